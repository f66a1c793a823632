-- +goose Up
-- Secure messages between a provider and each of their clients: one
-- thread per client. Bodies are sealed with the key ring (vault, bound to
-- messages/body/id), so the key id is inside body_sealed; a retracted
-- message keeps its row with an empty body.
CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    sender          TEXT NOT NULL CHECK (sender IN ('provider', 'client')),
    sender_user_id  TEXT NOT NULL DEFAULT '',
    body_sealed     TEXT NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    read_at         TIMESTAMPTZ,
    retracted_at    TIMESTAMPTZ
);
CREATE INDEX messages_thread ON messages (client_id, sent_at);
CREATE INDEX messages_provider ON messages (provider_id, sent_at);
CREATE INDEX messages_unread ON messages (provider_id, sender, read_at);

-- Attachments are sealed blobs (internal/blob); blob_key names the
-- object, content_type is what the content turned out to be.
CREATE TABLE message_attachments (
    id              TEXT PRIMARY KEY,
    message_id      TEXT NOT NULL REFERENCES messages (id),
    blob_key        TEXT NOT NULL UNIQUE,
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX message_attachments_message ON message_attachments (message_id);

-- Per-user notification preferences; no row means the defaults.
CREATE TABLE notification_prefs (
    user_id         TEXT PRIMARY KEY,
    email_messages  BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- A provider's automatic welcome message to clients booked through a link.
CREATE TABLE message_welcome (
    provider_id     TEXT PRIMARY KEY REFERENCES providers (id),
    enabled         BOOLEAN NOT NULL DEFAULT FALSE,
    template        TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- Clients already welcomed, so the welcome goes once.
CREATE TABLE message_welcome_sent (
    client_id       TEXT PRIMARY KEY REFERENCES clients (id),
    message_id      TEXT NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL
);

-- Message notifications already queued as mail, one per recipient
-- ("provider:<id>" or "client:<id>") and batching window, so a job that
-- runs twice mails once.
CREATE TABLE message_notifications_sent (
    recipient       TEXT NOT NULL,
    window_start    TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (recipient, window_start)
);

-- +goose Down
DROP TABLE message_notifications_sent;
DROP TABLE message_welcome_sent;
DROP TABLE message_welcome;
DROP TABLE notification_prefs;
DROP TABLE message_attachments;
DROP TABLE messages;
