-- +goose Up
-- Suggestions on a provider's dashboard (connect a calendar, say) that
-- the provider waved away: one row per provider and hint, so the
-- suggestion stays hidden. See internal/tasks.
CREATE TABLE dismissed_hints (
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    hint            TEXT NOT NULL,
    dismissed_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (provider_id, hint)
);

-- +goose Down
DROP TABLE dismissed_hints;
