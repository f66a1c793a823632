-- +goose Up
-- Intake forms and scored measures (internal/forms) and the provider's
-- task list (internal/tasks).

-- Form templates. provider_id is '' for the instance's own templates
-- (seeded by forms.SeedInstanceTemplates) and a provider's id for the
-- forms they built. fields is the JSON list of typed fields.
CREATE TABLE form_templates (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL DEFAULT '',
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL CHECK (kind IN ('form', 'measure')),
    instrument      TEXT NOT NULL DEFAULT '',
    fields          TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (provider_id, slug)
);

-- A form sent to a client. The template's title and fields are copied
-- at assignment, so a later change to the template never alters what
-- the client saw and signed. Scores of measures are kept in columns so
-- trends chart without decrypting answers.
CREATE TABLE form_assignments (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    template_id     TEXT NOT NULL REFERENCES form_templates (id),
    template_title  TEXT NOT NULL,
    template_fields TEXT NOT NULL,
    kind            TEXT NOT NULL,
    instrument      TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('assigned', 'draft', 'signed')),
    assigned_at     TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    signed_at       TIMESTAMP,
    score_total     INTEGER,
    score_band      TEXT NOT NULL DEFAULT '',
    item9_positive  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX form_assignments_client ON form_assignments (client_id, assigned_at);
CREATE INDEX form_assignments_provider ON form_assignments (provider_id, status);
-- At most one copy of a template waits for a client at a time.
CREATE UNIQUE INDEX form_assignments_waiting ON form_assignments (client_id, template_id)
    WHERE status <> 'signed';

-- The client's answers, sealed with the key ring. answers and signature
-- (typed name and answers hash) are vault-sealed JSON bound to
-- (form_submissions, column, assignment_id).
CREATE TABLE form_submissions (
    assignment_id   TEXT PRIMARY KEY REFERENCES form_assignments (id),
    answers         TEXT NOT NULL,
    signature       TEXT NOT NULL DEFAULT '',
    signer_ip       TEXT NOT NULL DEFAULT '',
    updated_at      TIMESTAMP NOT NULL
);

-- Things a provider should act on, such as an urgent PHQ-9 item 9.
CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    client_id       TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    urgent          BOOLEAN NOT NULL DEFAULT FALSE,
    link            TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    dismissed_at    TIMESTAMP
);
CREATE INDEX tasks_provider ON tasks (provider_id, dismissed_at, created_at);

-- +goose Down
DROP TABLE tasks;
DROP TABLE form_submissions;
DROP TABLE form_assignments;
DROP TABLE form_templates;
