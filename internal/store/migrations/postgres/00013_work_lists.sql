-- +goose Up
-- The dashboard counts a provider's unsigned notes, and the unsigned
-- notes page lists them oldest first.
CREATE INDEX notes_provider_status ON notes (provider_id, status, updated_at);

-- +goose Down
DROP INDEX notes_provider_status;
