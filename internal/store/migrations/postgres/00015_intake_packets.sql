-- +goose Up
-- The forms a new client is sent when they book, as the provider chose
-- them: a JSON array of form_templates ids, in order. A provider without
-- a row gets Tend's default packet (see internal/forms).
CREATE TABLE intake_packets (
    provider_id     TEXT PRIMARY KEY REFERENCES providers (id),
    template_ids    TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE intake_packets;
