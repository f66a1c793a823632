package clients

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The derived parts of a client, as SQL over the appointments table.
// Each takes the placeholder that holds the clock's now; "c" is the
// clients row. Cancelled appointments never count; a past appointment
// counts once it has ended and was not cancelled or missed.
func futureExists(now string) string {
	return `EXISTS (SELECT 1 FROM appointments a WHERE a.client_id = c.id
		AND a.starts_at > ` + now + `
		AND a.status NOT IN ('canceled', 'late_canceled'))`
}

func pastExists(now string) string {
	return `EXISTS (SELECT 1 FROM appointments a WHERE a.client_id = c.id
		AND a.starts_at < ` + now + ` AND a.ends_at <= ` + now + `
		AND a.status IN ('scheduled', 'completed'))`
}

// scheduledSet selects the ids of a provider's clients with a future
// appointment that is not cancelled: a few rows read from the
// appointments side through appointments_provider_future, which the
// query builds once into a lookup set instead of probing per client. It
// relies on an appointment's provider being its client's provider,
// which the scheduling code enforces when it books.
func scheduledSet(provider, now string) string {
	return `SELECT a.client_id FROM appointments a WHERE a.provider_id = ` + provider + `
		AND a.starts_at > ` + now + `
		AND a.status NOT IN ('canceled', 'late_canceled')`
}

// pastProbe is pastExists as a LIMIT 1 lookup: one seek into
// appointments_client per client, whose first row is almost always the
// answer. Written this way PostgreSQL also probes per client instead of
// hashing every past appointment of the instance.
func pastProbe(now string) string {
	return `(SELECT 1 FROM appointments a WHERE a.client_id = c.id
		AND a.starts_at < ` + now + ` AND a.ends_at <= ` + now + `
		AND a.status IN ('scheduled', 'completed') LIMIT 1) IS NOT NULL`
}

// listStatusExpr is statusExpr for many clients of one provider, with
// the scheduled test chosen by the caller (see args.scheduled); the past
// probe runs only for clients that are neither archived nor scheduled.
func listStatusExpr(scheduled, now string) string {
	return `CASE WHEN c.archived_at IS NOT NULL THEN 'archived'
		WHEN ` + scheduled + ` THEN 'scheduled'
		WHEN ` + pastProbe(now) + ` THEN 'needs_follow_up'
		ELSE 'active' END`
}

// nextAt and lastAt read one index row each: the first future and the
// last past appointment in appointments_client order. As MIN and MAX
// over the same rows they would read every row of the client that
// passes the range.
func nextAt(now string) string {
	return `(SELECT a.starts_at FROM appointments a WHERE a.client_id = c.id
		AND a.starts_at > ` + now + `
		AND a.status NOT IN ('canceled', 'late_canceled')
		ORDER BY a.starts_at LIMIT 1)`
}

func lastAt(now string) string {
	return `(SELECT a.starts_at FROM appointments a WHERE a.client_id = c.id
		AND a.starts_at < ` + now + ` AND a.ends_at <= ` + now + `
		AND a.status IN ('scheduled', 'completed')
		ORDER BY a.starts_at DESC LIMIT 1)`
}

// statusExpr is the most specific status that applies.
func statusExpr(now string) string {
	return `CASE WHEN c.archived_at IS NOT NULL THEN 'archived'
		WHEN ` + futureExists(now) + ` THEN 'scheduled'
		WHEN ` + pastExists(now) + ` THEN 'needs_follow_up'
		ELSE 'active' END`
}

// clientColumns selects a client with its payer name and derived parts;
// scanClient reads them in this order.
func clientColumns(now string) string {
	return `c.id, c.provider_id, c.first_name, c.last_name, c.preferred_name,
		c.pronouns, c.email, c.phone, c.date_of_birth, c.client_type,
		c.address_line1, c.address_line2, c.address_city, c.address_state,
		c.address_postal_code, c.emergency_name, c.emergency_relationship,
		c.emergency_phone, c.emergency_email, c.guardian_name,
		c.guardian_relationship, c.guardian_phone, c.guardian_email,
		c.cash_pay, COALESCE(c.payer_id, ''), COALESCE(p.name, ''),
		c.member_id, c.group_number, c.subscriber_name,
		c.subscriber_relationship, c.diagnoses, c.billing_notes,
		c.archived_at, c.archive_reason, c.created_at, c.updated_at,
		` + statusExpr(now) + ` AS status, ` + nextAt(now) + ` AS next_at,
		` + lastAt(now) + ` AS last_at`
}

// clientFrom joins the payer list for the payer's name.
const clientFrom = ` FROM clients c LEFT JOIN payers p ON p.id = c.payer_id`

type rowScanner interface{ Scan(dest ...any) error }

// scanClient reads clientColumns, then any extra destinations.
func scanClient(row rowScanner, extra ...any) (Client, error) {
	var (
		c                     Client
		status, diagnoses     string
		archived, next, last  nullTime
		ins                   = &c.Insurance
		addr, emerg, guardian = &c.Address, &c.EmergencyContact, &c.Guardian
	)
	dest := append([]any{&c.ID, &c.ProviderID, &c.FirstName, &c.LastName,
		&c.PreferredName, &c.Pronouns, &c.Email, &c.Phone, &c.DateOfBirth,
		&c.Type, &addr.Line1, &addr.Line2, &addr.City, &addr.State,
		&addr.PostalCode, &emerg.Name, &emerg.Relationship, &emerg.Phone,
		&emerg.Email, &guardian.Name, &guardian.Relationship, &guardian.Phone,
		&guardian.Email, &c.CashPay, &ins.PayerID, &ins.PayerName,
		&ins.MemberID, &ins.GroupNumber, &ins.SubscriberName,
		&ins.SubscriberRelationship, &diagnoses, &c.BillingNotes,
		&archived, &c.ArchiveReason, &c.CreatedAt, &c.UpdatedAt,
		&status, &next, &last}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Client{}, err
	}
	if err := json.Unmarshal([]byte(diagnoses), &c.Diagnoses); err != nil {
		return Client{}, fmt.Errorf("decode diagnoses: %w", err)
	}
	c.Status = Status(status)
	c.ArchivedAt, c.NextAppointmentAt, c.LastAppointmentAt = archived.ptr(), next.ptr(), last.ptr()
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, nil
}

// nullTime scans a nullable time that SQLite may hand back as text: an
// expression such as MIN(starts_at) has no declared column type, so the
// driver cannot tell it holds a time.
type nullTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTimeLayouts are the ways SQLite text can spell a time; the
// first is how the driver writes time.Time values.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05",
}

// Scan implements sql.Scanner.
func (n *nullTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*n = nullTime{}
		return nil
	case time.Time:
		*n = nullTime{Time: v.UTC(), Valid: true}
		return nil
	case []byte:
		return n.parse(string(v))
	case string:
		return n.parse(v)
	}
	return fmt.Errorf("scan time: unsupported type %T", v)
}

func (n *nullTime) parse(s string) error {
	s = strings.TrimSpace(s)
	for _, layout := range sqliteTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			*n = nullTime{Time: t.UTC(), Valid: true}
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}

func (n nullTime) ptr() *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time
	return &t
}

// nullable turns "" into NULL for optional reference columns.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// compile-time check that nullTime is a Scanner.
var _ sql.Scanner = (*nullTime)(nil)
