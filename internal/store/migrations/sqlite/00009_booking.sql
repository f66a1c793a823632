-- +goose Up
-- Booking links, confirmations and reminders.

-- The client's own time zone (an IANA name), when known: confirmations
-- and reminders show times in it, else in the provider's zone.
ALTER TABLE clients ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
-- A random value bound into the client's booking link; replacing it
-- revokes every link issued before. Empty until the first link.
ALTER TABLE clients ADD COLUMN booking_nonce TEXT NOT NULL DEFAULT '';

-- One row per public booking attempt, for the rate limits. subject is
-- an HMAC of "ip:<address>" or "email:<address>", never the value.
CREATE TABLE booking_attempts (
    subject         TEXT NOT NULL,
    at              TIMESTAMP NOT NULL
);
CREATE INDEX booking_attempts_subject ON booking_attempts (subject, at);
CREATE INDEX booking_attempts_at ON booking_attempts (at);

-- Reminders already queued as mail, so a reminder job that runs twice
-- (a crash after the mail was queued) mails once.
CREATE TABLE appointment_reminders_sent (
    appointment_id  TEXT NOT NULL,
    sequence        INTEGER NOT NULL,
    sent_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (appointment_id, sequence)
);

-- +goose Down
DROP TABLE appointment_reminders_sent;
DROP INDEX booking_attempts_at;
DROP INDEX booking_attempts_subject;
DROP TABLE booking_attempts;
ALTER TABLE clients DROP COLUMN booking_nonce;
ALTER TABLE clients DROP COLUMN time_zone;
