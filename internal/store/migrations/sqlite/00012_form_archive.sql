-- +goose Up
-- A provider retires a form of their own by archiving it: it leaves the
-- list of forms to send, and forms already sent keep their copy.
ALTER TABLE form_templates ADD COLUMN archived_at TIMESTAMP;

-- +goose Down
ALTER TABLE form_templates DROP COLUMN archived_at;
