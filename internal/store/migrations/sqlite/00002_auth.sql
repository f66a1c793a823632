-- +goose Up
-- Sign-in state: sessions, throttling, emailed links, API tokens and
-- two-factor authentication. No raw secret is stored: session, link, API
-- and recovery tokens are kept as keyed hashes, and TOTP secrets are
-- sealed with the key ring.

-- A browser session. The id is the hex keyed hash of the cookie token.
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    last_seen_at    TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    ip              TEXT NOT NULL DEFAULT '',
    user_agent      TEXT NOT NULL DEFAULT '',
    mfa_done        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_user ON sessions (user_id, last_seen_at);

-- Failure counters for sign-in throttling. scope is 'account', 'ip' or
-- 'mfa'; subject is a keyed hash of the email, address or user id.
CREATE TABLE login_throttle (
    scope           TEXT NOT NULL,
    subject         TEXT NOT NULL,
    failures        INTEGER NOT NULL DEFAULT 0,
    window_start    TIMESTAMP NOT NULL,
    locked_until    TIMESTAMP,
    PRIMARY KEY (scope, subject)
);

-- Single-use links sent by email (password reset, client sign-in).
CREATE TABLE user_tokens (
    token_hash      TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('reset', 'sign_in')),
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    used_at         TIMESTAMP
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose, created_at);

-- Bearer tokens for the JSON API.
CREATE TABLE api_tokens (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    name            TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL CHECK (kind IN ('session', 'personal')),
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      TIMESTAMP NOT NULL,
    last_used_at    TIMESTAMP,
    expires_at      TIMESTAMP,
    revoked_at      TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

-- TOTP enrolment: pending while enabled_at is NULL. last_step is the
-- highest 30-second step accepted, so a code is never accepted twice.
CREATE TABLE user_totp (
    user_id         TEXT PRIMARY KEY REFERENCES users (id),
    secret_sealed   TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    enabled_at      TIMESTAMP,
    last_step       BIGINT NOT NULL DEFAULT 0
);

-- One-time recovery codes, stored as keyed hashes.
CREATE TABLE recovery_codes (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    code_hash       TEXT NOT NULL UNIQUE,
    created_at      TIMESTAMP NOT NULL,
    used_at         TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- +goose Down
DROP TABLE recovery_codes;
DROP TABLE user_totp;
DROP TABLE api_tokens;
DROP TABLE user_tokens;
DROP TABLE login_throttle;
DROP TABLE sessions;
