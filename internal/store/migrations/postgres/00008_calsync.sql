-- +goose Up
-- Calendar sync (see internal/calsync). A provider's private export feed
-- is reached by a token of which only a keyed hash is stored. Imported
-- calendars are fetched on a schedule; their addresses are secret and
-- sealed with the vault (url_host is kept in the clear for display
-- only), and what they contribute is reduced to busy intervals: no event
-- titles, descriptions or attendees are stored.
CREATE TABLE calendar_export_tokens (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL,
    revoked_at      TIMESTAMPTZ
);
-- At most one live token per provider.
CREATE UNIQUE INDEX calendar_export_tokens_live
    ON calendar_export_tokens (provider_id) WHERE revoked_at IS NULL;

CREATE TABLE calendar_feeds (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    url_sealed      TEXT NOT NULL,
    url_host        TEXT NOT NULL,
    etag            TEXT NOT NULL DEFAULT '',
    last_modified   TEXT NOT NULL DEFAULT '',
    last_fetched_at TIMESTAMPTZ,
    last_ok_at      TIMESTAMPTZ,
    -- When a body was last parsed in full; a 304 does not move it, so
    -- the window's far end is recomputed at least daily.
    last_parsed_at  TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    -- Set when a fetch fails after a success (or first), cleared by the
    -- next success: a task is raised once per failure streak.
    failing_since   TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX calendar_feeds_provider ON calendar_feeds (provider_id, created_at);

CREATE TABLE busy_events (
    id              TEXT PRIMARY KEY,
    feed_id         TEXT NOT NULL REFERENCES calendar_feeds (id) ON DELETE CASCADE,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    starts_at       TIMESTAMPTZ NOT NULL,
    ends_at         TIMESTAMPTZ NOT NULL,
    all_day         BOOLEAN NOT NULL DEFAULT FALSE,
    transparent     BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX busy_events_provider ON busy_events (provider_id, starts_at);
CREATE INDEX busy_events_feed ON busy_events (feed_id);

-- +goose Down
DROP TABLE busy_events;
DROP TABLE calendar_feeds;
DROP TABLE calendar_export_tokens;
