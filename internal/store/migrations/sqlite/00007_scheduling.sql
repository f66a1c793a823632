-- +goose Up
-- Scheduling: recurring series, the rest of an appointment's fields, and
-- each provider's availability settings. The provider's time zone stays
-- in providers.time_zone.

-- A recurring series as booked: an RFC 5545 RRULE anchored at dtstart,
-- whose wall clock in time_zone every occurrence repeats. Every
-- occurrence is also an appointments row (series_id), so the series row
-- is the record of how the rows were made, not the source of truth.
CREATE TABLE appointment_series (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    rrule           TEXT NOT NULL,
    dtstart         TIMESTAMP NOT NULL,
    local_start     TEXT NOT NULL, -- wall clock, 2006-01-02T15:04:05
    time_zone       TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX appointment_series_provider ON appointment_series (provider_id);

-- series_id names an appointment_series row. SQLite cannot drop a
-- column that holds a foreign key, so here (unlike PostgreSQL) the link
-- is kept by internal/scheduling alone, which writes both in one
-- transaction.
ALTER TABLE appointments ADD COLUMN series_id TEXT;
-- The occurrence's place in its series as first booked (its
-- RECURRENCE-ID); detached is true once it was edited on its own.
ALTER TABLE appointments ADD COLUMN original_start TIMESTAMP;
ALTER TABLE appointments ADD COLUMN detached BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE appointments ADD COLUMN type_key TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN location TEXT NOT NULL DEFAULT 'telehealth'
    CHECK (location IN ('office', 'telehealth'));
ALTER TABLE appointments ADD COLUMN office_id TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN cpt_code TEXT NOT NULL DEFAULT '';
-- Logistics for the client (parking, door code): not clinical, stored
-- as written.
ALTER TABLE appointments ADD COLUMN notes_for_client TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN canceled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN canceled_at TIMESTAMP;
-- Incremented on every change, for iCalendar SEQUENCE.
ALTER TABLE appointments ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN source TEXT NOT NULL DEFAULT 'provider'
    CHECK (source IN ('provider', 'client', 'public'));

-- The overlap re-check and the calendar: one provider's rows by start.
CREATE INDEX appointments_provider_span ON appointments (provider_id, starts_at, ends_at, status);
-- The list tabs: one provider's rows by status and start.
CREATE INDEX appointments_provider_status ON appointments (provider_id, status, starts_at, id);
CREATE INDEX appointments_series ON appointments (series_id, starts_at);

-- A provider's availability. The list-shaped parts are JSON documents
-- read and written whole by internal/scheduling.
CREATE TABLE scheduling_settings (
    provider_id     TEXT PRIMARY KEY REFERENCES providers (id),
    slug            TEXT NOT NULL UNIQUE,
    telehealth      BOOLEAN NOT NULL DEFAULT TRUE,
    weekly_hours    TEXT NOT NULL DEFAULT '[]',
    overrides       TEXT NOT NULL DEFAULT '[]',
    time_off        TEXT NOT NULL DEFAULT '[]',
    types           TEXT NOT NULL DEFAULT '[]',
    rules           TEXT NOT NULL DEFAULT '{}',
    offices         TEXT NOT NULL DEFAULT '[]',
    updated_at      TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE scheduling_settings;
DROP INDEX appointments_series;
DROP INDEX appointments_provider_status;
DROP INDEX appointments_provider_span;
ALTER TABLE appointments DROP COLUMN source;
ALTER TABLE appointments DROP COLUMN sequence;
ALTER TABLE appointments DROP COLUMN canceled_at;
ALTER TABLE appointments DROP COLUMN canceled_by;
ALTER TABLE appointments DROP COLUMN cancel_reason;
ALTER TABLE appointments DROP COLUMN notes_for_client;
ALTER TABLE appointments DROP COLUMN cpt_code;
ALTER TABLE appointments DROP COLUMN office_id;
ALTER TABLE appointments DROP COLUMN location;
ALTER TABLE appointments DROP COLUMN type_key;
ALTER TABLE appointments DROP COLUMN detached;
ALTER TABLE appointments DROP COLUMN original_start;
ALTER TABLE appointments DROP COLUMN series_id;
DROP TABLE appointment_series;
