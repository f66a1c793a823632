-- +goose Up
-- The clients list finds its Scheduled tab from the appointments side:
-- a provider's future appointments are few, and this index hands them
-- over with the client id and status without reading table rows. It
-- replaces appointments_provider, whose columns are its prefix.
CREATE INDEX appointments_provider_future ON appointments (provider_id, starts_at,
    status, client_id);
DROP INDEX appointments_provider;

-- +goose Down
CREATE INDEX appointments_provider ON appointments (provider_id, starts_at);
DROP INDEX appointments_provider_future;
