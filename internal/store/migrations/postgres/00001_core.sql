-- +goose Up
-- Accounts and the two kinds of people they belong to. Times are UTC,
-- ids are UUIDv7 strings.
CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('provider', 'client', 'admin')),
    password_hash   TEXT,
    display_name    TEXT NOT NULL DEFAULT '',
    provider_id     TEXT,
    client_id       TEXT,
    disabled_at     TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE providers (
    id              TEXT PRIMARY KEY,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    credentials     TEXT NOT NULL DEFAULT '',
    pronouns        TEXT NOT NULL DEFAULT '',
    time_zone       TEXT NOT NULL DEFAULT 'America/New_York',
    primary_state   TEXT NOT NULL DEFAULT '',
    npi             TEXT NOT NULL DEFAULT '',
    bio             TEXT NOT NULL DEFAULT '',
    referrals_on    BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE clients (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    preferred_name  TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    date_of_birth   TEXT NOT NULL DEFAULT '',
    archived_at     TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX clients_provider ON clients (provider_id, last_name, first_name);

-- Instance-wide settings such as "first admin created".
CREATE TABLE settings (
    name            TEXT PRIMARY KEY,
    value           TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE clients;
DROP TABLE providers;
DROP TABLE users;
