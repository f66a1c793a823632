package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
)

// DefaultReminderHours is how long before the start a reminder goes out
// when the provider has not chosen.
const DefaultReminderHours = 24

// parties is who an appointment's mail goes to and what it may say
// about them.
type parties struct {
	providerName  string // e.g. "Ada Park, LCSW"
	providerEmail string // "" when the provider has no active account
	providerZone  *time.Location
	clientEmail   string // "" when the client cannot be mailed
	clientZone    *time.Location
	clientOwnZone bool   // clientZone is the client's own, not the provider's
	initials      string // e.g. "S.L."
	offices       []scheduling.Office
	reminderHours int
}

// parties reads the provider's and the client's contact details in q
// (the scheduling transaction, so a client created in it is seen) and
// the provider's booking settings.
func (n *Notifier) parties(ctx context.Context, q store.Querier, providerID, clientID string) (parties, error) {
	var p parties
	var first, last, creds, zone string
	err := q.QueryRowContext(ctx, `SELECT first_name, last_name, credentials, time_zone
		FROM providers WHERE id = $1`, providerID).Scan(&first, &last, &creds, &zone)
	if err != nil {
		return p, fmt.Errorf("read provider: %w", store.Translate(err))
	}
	p.providerName = strings.TrimSpace(first + " " + last)
	if creds != "" {
		p.providerName += ", " + creds
	}
	err = q.QueryRowContext(ctx, `SELECT email FROM users WHERE provider_id = $1
		AND role = 'provider' AND disabled_at IS NULL ORDER BY created_at LIMIT 1`,
		providerID).Scan(&p.providerEmail)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("read provider account: %w", store.Translate(err))
	}

	avail, err := n.availability(ctx, q, providerID)
	if err != nil {
		return p, err
	}
	if avail.TimeZone != "" {
		zone = avail.TimeZone
	}
	p.providerZone = loadZone(zone, time.UTC)
	p.offices = avail.Offices
	p.reminderHours = avail.Rules.ReminderHours
	if p.reminderHours <= 0 {
		p.reminderHours = DefaultReminderHours
	}

	var cFirst, cLast, cPreferred, cZone string
	err = q.QueryRowContext(ctx, `SELECT first_name, last_name, preferred_name, email, time_zone
		FROM clients WHERE id = $1 AND provider_id = $2`, clientID, providerID).
		Scan(&cFirst, &cLast, &cPreferred, &p.clientEmail, &cZone)
	if err != nil {
		return p, fmt.Errorf("read client: %w", store.Translate(err))
	}
	if p.clientEmail == "" {
		err = q.QueryRowContext(ctx, `SELECT email FROM users WHERE client_id = $1
			AND role = 'client' AND disabled_at IS NULL ORDER BY created_at LIMIT 1`,
			clientID).Scan(&p.clientEmail)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return p, fmt.Errorf("read client account: %w", store.Translate(err))
		}
	}
	p.initials = initials(cFirst, cLast)
	p.clientZone = p.providerZone
	if z := loadZone(cZone, nil); z != nil {
		p.clientZone, p.clientOwnZone = z, true
	}
	return p, nil
}

// availability returns the provider's settings. A provider who never
// saved any (their appointments were made some other way, such as the
// demo) gets the default rules without a call into scheduling, which
// would write the defaults in a second transaction while q, the
// caller's, holds SQLite's only write connection.
func (n *Notifier) availability(ctx context.Context, q store.Querier, providerID string) (
	scheduling.Availability, error) {
	var saved int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM scheduling_settings
		WHERE provider_id = $1`, providerID).Scan(&saved)
	if err != nil {
		return scheduling.Availability{}, fmt.Errorf("read availability: %w", store.Translate(err))
	}
	if saved == 0 {
		return scheduling.Availability{ProviderID: providerID, Rules: scheduling.DefaultRules()}, nil
	}
	// Read through q: the caller holds the provider's booking lock, and
	// asking the pool for a second connection could wait forever.
	a, err := n.sched.AvailabilityIn(ctx, q, providerID)
	if err != nil {
		return a, fmt.Errorf("read availability: %w", err)
	}
	return a, nil
}

// loadZone returns the named zone, or fallback when the name is empty
// or unknown.
func loadZone(name string, fallback *time.Location) *time.Location {
	if name == "" {
		return fallback
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return fallback
	}
	return z
}

// initials returns "S.L." for Samira Lindqvist: the first letter of each
// name, enough for a provider to recognise an appointment in a mailbox
// or calendar that others may see.
func initials(first, last string) string {
	var b strings.Builder
	for _, name := range []string{first, last} {
		for _, r := range strings.TrimSpace(name) {
			b.WriteRune(unicode.ToUpper(r))
			b.WriteByte('.')
			break
		}
	}
	if b.Len() == 0 {
		return "Client"
	}
	return b.String()
}

// place says where an appointment is: telehealth, or the office's name
// and address.
func place(a scheduling.Appointment, offices []scheduling.Office) string {
	if a.Location != scheduling.LocationOffice {
		return "Telehealth (video); join from your portal"
	}
	for _, o := range offices {
		if o.ID != a.OfficeID {
			continue
		}
		parts := []string{}
		for _, s := range []string{o.Name, o.Line1, o.City, strings.TrimSpace(o.State + " " + o.PostalCode)} {
			if s = strings.TrimSpace(s); s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			return "In person: " + strings.Join(parts, ", ")
		}
	}
	return "In person at the office"
}
