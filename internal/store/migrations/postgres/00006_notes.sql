-- +goose Up
-- Session notes and their addenda (see internal/notes). Section text and
-- addendum text are sealed with the vault (base64 in TEXT columns), so
-- the database never holds them in the clear. A signed note is locked:
-- the triggers refuse deleting it or changing anything but the sealed
-- content (re-encryption after a key rotation; the content hash, which
-- cannot change, proves the text did not), and addenda are never
-- deleted and change only by re-encryption.
CREATE TABLE notes (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    appointment_id  TEXT REFERENCES appointments (id),
    template        TEXT NOT NULL
        CHECK (template IN ('intake', 'soap', 'dap', 'birp', 'free')),
    content         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'signed')),
    signed_at       TIMESTAMPTZ,
    signed_by       TEXT NOT NULL DEFAULT '',
    content_hash    TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK ((status = 'signed') = (signed_at IS NOT NULL))
);
CREATE INDEX notes_client ON notes (client_id, created_at);
CREATE INDEX notes_appointment ON notes (appointment_id);

CREATE TABLE note_addenda (
    id              TEXT PRIMARY KEY,
    note_id         TEXT NOT NULL REFERENCES notes (id),
    author_id       TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX note_addenda_note ON note_addenda (note_id, created_at);

-- +goose StatementBegin
CREATE FUNCTION notes_guard_signed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'signed' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' OR
        NEW.status IS DISTINCT FROM OLD.status OR
        NEW.signed_at IS DISTINCT FROM OLD.signed_at OR
        NEW.signed_by IS DISTINCT FROM OLD.signed_by OR
        NEW.content_hash IS DISTINCT FROM OLD.content_hash OR
        NEW.template IS DISTINCT FROM OLD.template OR
        NEW.client_id IS DISTINCT FROM OLD.client_id OR
        NEW.provider_id IS DISTINCT FROM OLD.provider_id OR
        NEW.appointment_id IS DISTINCT FROM OLD.appointment_id OR
        NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'signed notes are locked (% refused)', TG_OP;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER notes_signed_locked
    BEFORE UPDATE OR DELETE ON notes
    FOR EACH ROW EXECUTE FUNCTION notes_guard_signed();

-- +goose StatementBegin
CREATE FUNCTION note_addenda_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR
        NEW.id IS DISTINCT FROM OLD.id OR
        NEW.note_id IS DISTINCT FROM OLD.note_id OR
        NEW.author_id IS DISTINCT FROM OLD.author_id OR
        NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'note addenda are immutable (% refused)', TG_OP;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER note_addenda_immutable
    BEFORE UPDATE OR DELETE ON note_addenda
    FOR EACH ROW EXECUTE FUNCTION note_addenda_guard();

-- +goose Down
DROP TRIGGER note_addenda_immutable ON note_addenda;
DROP FUNCTION note_addenda_guard();
DROP TRIGGER notes_signed_locked ON notes;
DROP FUNCTION notes_guard_signed();
DROP TABLE note_addenda;
DROP TABLE notes;
