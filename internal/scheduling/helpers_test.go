package scheduling_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// start is Monday 2 March 2026, 09:00 in New York (EST); daylight saving
// begins on Sunday 8 March.
var start = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

var newYork = mustZone("America/New_York")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// ny returns the instant the New York wall clock reads the given time.
func ny(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, newYork).UTC()
}

// env is one database with the scheduling service, a frozen clock and
// two New York providers, A and B, each with one client.
type env struct {
	db       *store.DB
	clk      *clock.Test
	clients  *clients.Service
	svc      *scheduling.Service
	a, b     access.Actor
	ca, cb   clients.Client
	clientA  access.Actor // the client ca signed in
	officeID string
}

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	clk := clock.NewFrozen(start)
	log := audit.New(db, clk)
	cs := clients.New(db, clk, log)
	e := &env{db: db, clk: clk, clients: cs, svc: scheduling.New(db, clk, log, nil, cs)}
	e.a, e.b = e.provider(t, "Ada"), e.provider(t, "Bea")
	e.ca = e.client(t, e.a, "Cal", "cal@example.com")
	e.cb = e.client(t, e.b, "Dee", "dee@example.com")
	e.clientA = access.Actor{UserID: store.NewID(), Role: access.RoleClient, ClientID: e.ca.ID}
	e.officeID = e.setHours(t, e.a)
	e.setHours(t, e.b)
	return e
}

func (e *env) provider(t testing.TB, first string) access.Actor {
	t.Helper()
	id := store.NewID()
	_, err := e.db.Writer().ExecContext(context.Background(), `INSERT INTO providers
		(id, first_name, last_name, time_zone, created_at, updated_at)
		VALUES ($1, $2, 'Provider', 'America/New_York', $3, $3)`, id, first, start)
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	return access.Actor{UserID: store.NewID(), Role: access.RoleProvider, ProviderID: id,
		IP: "192.0.2.1", UserAgent: "test"}
}

func (e *env) client(t testing.TB, p access.Actor, first, email string) clients.Client {
	t.Helper()
	c, err := e.clients.Create(context.Background(), p, clients.Input{FirstName: first,
		LastName: "Client", Email: email, Phone: "(212) 555-0147", DateOfBirth: "1990-05-17"})
	if err != nil {
		t.Fatalf("create client: %v", err)
	}
	return c
}

// setHours gives p an office, weekday hours 09:00–17:00 (office until
// 12:00, telehealth after), 30-minute starts, no notice, 10-minute
// buffers after, a 24-hour cancellation window, and returns the office id.
func (e *env) setHours(t testing.TB, p access.Actor) string {
	t.Helper()
	offices := []scheduling.Office{{Name: "Main", Line1: "1 Main St", City: "Brooklyn",
		State: "NY", PostalCode: "11201"}}
	av, err := e.svc.UpdateAvailability(context.Background(), p,
		scheduling.AvailabilityPatch{Offices: &offices})
	if err != nil {
		t.Fatalf("set offices: %v", err)
	}
	office := av.Offices[0].ID
	var week slots.Week
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []slots.Range{
			{Start: 9 * time.Hour, End: 12 * time.Hour, Mode: slots.Office, OfficeID: office},
			{Start: 12 * time.Hour, End: 17 * time.Hour, Mode: slots.Telehealth},
		}
	}
	rules := scheduling.BookingRules{IncrementMinutes: 30, HorizonDays: 90,
		BufferAfterMinutes: 10, CancelWindowHours: 24, ReminderHours: 24}
	_, err = e.svc.UpdateAvailability(context.Background(), p,
		scheduling.AvailabilityPatch{Weekly: &week, Rules: &rules})
	if err != nil {
		t.Fatalf("set hours: %v", err)
	}
	return office
}

// book creates a 50-minute telehealth follow-up for c at at.
func (e *env) book(t testing.TB, p access.Actor, c clients.Client, at time.Time) scheduling.Appointment {
	t.Helper()
	out, err := e.svc.Create(context.Background(), p, scheduling.NewAppointment{
		ClientID: c.ID, Start: at, DurationMinutes: 50, Kind: scheduling.KindFollowUp})
	if err != nil {
		t.Fatalf("Create at %v: %v", at, err)
	}
	if len(out) != 1 {
		t.Fatalf("Create at %v: %d appointments, want 1", at, len(out))
	}
	return out[0]
}

// fieldOf returns the first field of a validation error, or "".
func fieldOf(err error) string {
	errs, ok := validation.From(err)
	if !ok || len(errs) == 0 {
		return ""
	}
	return errs[0].Field
}

// countRows counts the provider's appointments with status.
func (e *env) countRows(t testing.TB, providerID, status string) int {
	t.Helper()
	var n int
	err := e.db.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*)
		FROM appointments WHERE provider_id = $1 AND status = $2`, providerID, status).Scan(&n)
	if err != nil {
		t.Fatalf("count appointments: %v", err)
	}
	return n
}

// overlappingPairs counts pairs of one provider's booked appointments
// that overlap, straight from the table.
func overlappingPairs(t testing.TB, db *store.DB, providerID string) int {
	t.Helper()
	var n int
	err := db.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*)
		FROM appointments x JOIN appointments y ON x.provider_id = y.provider_id
		AND x.id < y.id AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at
		WHERE x.provider_id = $1
		AND x.status NOT IN ('canceled', 'late_canceled')
		AND y.status NOT IN ('canceled', 'late_canceled')`, providerID).Scan(&n)
	if err != nil {
		t.Fatalf("count overlaps: %v", err)
	}
	return n
}

func isTaken(err error) bool { return errors.Is(err, scheduling.ErrSlotTaken) }
