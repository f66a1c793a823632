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
    signed_at       TIMESTAMP,
    signed_by       TEXT NOT NULL DEFAULT '',
    content_hash    TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CHECK ((status = 'signed') = (signed_at IS NOT NULL))
);
CREATE INDEX notes_client ON notes (client_id, created_at);
CREATE INDEX notes_appointment ON notes (appointment_id);

CREATE TABLE note_addenda (
    id              TEXT PRIMARY KEY,
    note_id         TEXT NOT NULL REFERENCES notes (id),
    author_id       TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX note_addenda_note ON note_addenda (note_id, created_at);

-- +goose StatementBegin
CREATE TRIGGER notes_signed_no_update BEFORE UPDATE ON notes
WHEN OLD.status = 'signed' AND (
    NEW.status IS NOT OLD.status OR NEW.signed_at IS NOT OLD.signed_at OR
    NEW.signed_by IS NOT OLD.signed_by OR
    NEW.content_hash IS NOT OLD.content_hash OR
    NEW.template IS NOT OLD.template OR NEW.client_id IS NOT OLD.client_id OR
    NEW.provider_id IS NOT OLD.provider_id OR
    NEW.appointment_id IS NOT OLD.appointment_id OR
    NEW.created_at IS NOT OLD.created_at)
BEGIN
    SELECT RAISE(ABORT, 'signed notes are locked');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER notes_signed_no_delete BEFORE DELETE ON notes
WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'signed notes are locked');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER note_addenda_no_update BEFORE UPDATE ON note_addenda
WHEN NEW.id IS NOT OLD.id OR NEW.note_id IS NOT OLD.note_id OR
    NEW.author_id IS NOT OLD.author_id OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'note addenda are immutable');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER note_addenda_no_delete BEFORE DELETE ON note_addenda
BEGIN
    SELECT RAISE(ABORT, 'note addenda are immutable');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER note_addenda_no_delete;
DROP TRIGGER note_addenda_no_update;
DROP TRIGGER notes_signed_no_delete;
DROP TRIGGER notes_signed_no_update;
DROP TABLE note_addenda;
DROP TABLE notes;
