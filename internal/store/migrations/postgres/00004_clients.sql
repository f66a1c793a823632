-- +goose Up
-- The full client record, the instance's payer list and a minimal
-- appointments table. A client's status (active, needs follow-up,
-- scheduled, archived) is never stored: queries derive it from
-- archived_at and the appointments, so it is right the moment an
-- appointment is booked, cancelled or takes place.
ALTER TABLE clients ADD COLUMN pronouns TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN client_type TEXT NOT NULL DEFAULT 'adult'
    CHECK (client_type IN ('adult', 'minor', 'couple_family'));
ALTER TABLE clients ADD COLUMN address_line1 TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN address_line2 TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN address_city TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN address_state TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN address_postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN emergency_name TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN emergency_relationship TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN emergency_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN emergency_email TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN guardian_name TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN guardian_relationship TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN guardian_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN guardian_email TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN cash_pay BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN payer_id TEXT;
ALTER TABLE clients ADD COLUMN member_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN group_number TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN subscriber_name TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN subscriber_relationship TEXT NOT NULL DEFAULT '';
-- JSON array of {"code", "description"}; codes are ICD-10-CM.
ALTER TABLE clients ADD COLUMN diagnoses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN billing_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN archive_reason TEXT NOT NULL DEFAULT '';
-- Search keys, maintained by the clients package: search_name is
-- " first last / preferred last " lowercased with accents removed, so a
-- word prefix is LIKE '% q%'; sort_name orders by last then first name;
-- phone_digits and phone_national are the phone's digits with and
-- without the country code.
ALTER TABLE clients ADD COLUMN search_name TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN sort_name TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN phone_digits TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN phone_national TEXT COLLATE "C" NOT NULL DEFAULT '';

-- Existing rows get their search keys from the plain columns; the
-- clients package rewrites them with full accent folding on every save.
UPDATE clients SET
    email = lower(email),
    search_name = ' ' || lower(first_name) || ' ' || lower(last_name) || ' / ' ||
        lower(CASE WHEN preferred_name = '' THEN first_name ELSE preferred_name END) ||
        ' ' || lower(last_name) || ' ',
    sort_name = lower(last_name) || chr(1) || lower(first_name),
    phone_digits = replace(phone, '+', ''),
    phone_national = CASE WHEN phone LIKE '+1%' THEN substr(phone, 3)
        ELSE replace(phone, '+', '') END;

-- Name order for a provider's pages, and covering everything the tab
-- counts and the search read, so neither touches the table rows.
CREATE INDEX clients_provider_sort ON clients (provider_id, sort_name, id,
    archived_at, search_name, email, phone_digits, phone_national);
CREATE UNIQUE INDEX clients_provider_email ON clients (provider_id, email)
    WHERE email <> '';

CREATE TABLE payers (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    code            TEXT NOT NULL UNIQUE
);
INSERT INTO payers (id, name, code) VALUES
    ('0190a000-0000-7000-8000-000000000001', 'Aetna', 'aetna'),
    ('0190a000-0000-7000-8000-000000000002', 'Anthem Blue Cross Blue Shield', 'anthem_bcbs'),
    ('0190a000-0000-7000-8000-000000000003', 'Cigna', 'cigna'),
    ('0190a000-0000-7000-8000-000000000004', 'UnitedHealthcare', 'unitedhealthcare'),
    ('0190a000-0000-7000-8000-000000000005', 'Humana', 'humana'),
    ('0190a000-0000-7000-8000-000000000006', 'Medicare', 'medicare'),
    ('0190a000-0000-7000-8000-000000000007', 'Medicaid (state)', 'medicaid'),
    ('0190a000-0000-7000-8000-000000000008', 'Kaiser Permanente', 'kaiser'),
    ('0190a000-0000-7000-8000-000000000009', 'Optum', 'optum'),
    ('0190a000-0000-7000-8000-00000000000a', 'TRICARE', 'tricare'),
    ('0190a000-0000-7000-8000-00000000000b', 'Oscar Health', 'oscar'),
    ('0190a000-0000-7000-8000-00000000000c', 'Magellan Health', 'magellan');

-- The least the statuses need; the scheduling work extends it.
CREATE TABLE appointments (
    id              TEXT PRIMARY KEY,
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    starts_at       TIMESTAMPTZ NOT NULL,
    ends_at         TIMESTAMPTZ NOT NULL,
    status          TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN
        ('scheduled', 'completed', 'canceled', 'late_canceled', 'no_show')),
    kind            TEXT NOT NULL DEFAULT 'follow_up'
        CHECK (kind IN ('intake', 'follow_up')),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK (ends_at > starts_at)
);
-- Covers the status lookups (future / past appointment of one client)
-- without touching the table.
CREATE INDEX appointments_client ON appointments (client_id, starts_at, status, ends_at);
CREATE INDEX appointments_provider ON appointments (provider_id, starts_at);

-- +goose Down
DROP TABLE appointments;
DROP TABLE payers;
DROP INDEX clients_provider_email;
DROP INDEX clients_provider_sort;
ALTER TABLE clients DROP COLUMN phone_national;
ALTER TABLE clients DROP COLUMN phone_digits;
ALTER TABLE clients DROP COLUMN sort_name;
ALTER TABLE clients DROP COLUMN search_name;
ALTER TABLE clients DROP COLUMN archive_reason;
ALTER TABLE clients DROP COLUMN billing_notes;
ALTER TABLE clients DROP COLUMN diagnoses;
ALTER TABLE clients DROP COLUMN subscriber_relationship;
ALTER TABLE clients DROP COLUMN subscriber_name;
ALTER TABLE clients DROP COLUMN group_number;
ALTER TABLE clients DROP COLUMN member_id;
ALTER TABLE clients DROP COLUMN payer_id;
ALTER TABLE clients DROP COLUMN cash_pay;
ALTER TABLE clients DROP COLUMN guardian_email;
ALTER TABLE clients DROP COLUMN guardian_phone;
ALTER TABLE clients DROP COLUMN guardian_relationship;
ALTER TABLE clients DROP COLUMN guardian_name;
ALTER TABLE clients DROP COLUMN emergency_email;
ALTER TABLE clients DROP COLUMN emergency_phone;
ALTER TABLE clients DROP COLUMN emergency_relationship;
ALTER TABLE clients DROP COLUMN emergency_name;
ALTER TABLE clients DROP COLUMN address_postal_code;
ALTER TABLE clients DROP COLUMN address_state;
ALTER TABLE clients DROP COLUMN address_city;
ALTER TABLE clients DROP COLUMN address_line2;
ALTER TABLE clients DROP COLUMN address_line1;
ALTER TABLE clients DROP COLUMN client_type;
ALTER TABLE clients DROP COLUMN pronouns;
