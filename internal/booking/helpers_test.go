package booking_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/notify"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// start is a Monday morning; the test provider works weekdays 09:00 to
// 17:00 in New York, books a day ahead at least, and reminds 24 hours
// before.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const (
	baseURL       = "https://tend.example"
	providerEmail = "ada.park@example.test"
	visitorIP     = "203.0.113.9"
)

// wednesday10 is Wednesday 4 March 2026, 10:00 in New York (15:00 UTC).
var wednesday10 = time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)

// recorder is a mail sender that keeps what it is given.
type recorder struct {
	mu    sync.Mutex
	mails []mail.Email
}

func (r *recorder) Send(_ context.Context, e mail.Email) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mails = append(r.mails, e)
	return nil
}

// take returns the mails sent since the last take.
func (r *recorder) take() []mail.Email {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.mails
	r.mails = nil
	return out
}

// env wires the booking service the way the app does, over a real
// database, a real job queue and a frozen clock.
type env struct {
	db       *store.DB
	clk      *clock.Test
	ring     *vault.Ring
	sent     *recorder
	queue    *jobs.Queue
	sched    *scheduling.Service
	clients  *clients.Service
	forms    *forms.Service
	auth     *auth.Service
	book     *booking.Booking
	messages *messaging.Service
	provider access.Actor
	slug     string
	stopped  map[*jobs.Queue]bool
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	ring, err := vault.LoadOrCreate(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatalf("key ring: %v", err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatalf("jobs migrate: %v", err)
	}
	e := &env{db: db, clk: clock.NewFrozen(start), ring: ring}
	e.startQueue(t)
	return e
}

// startQueue builds the services on a new queue with a new recorder, as
// a (re)started process would, and starts it. The provider is made once.
func (e *env) startQueue(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	e.sent = &recorder{}
	workers := river.NewWorkers()
	mail.Register(workers, e.sent, e.ring, baseURL, nil)
	n := notify.New(e.db, e.clk, baseURL, nil)
	notify.Register(workers, n)
	msgWorker := messaging.Register(workers)
	q, err := jobs.New(jobs.Config{DB: e.db, Clock: e.clk, Workers: workers})
	if err != nil {
		t.Fatalf("jobs: %v", err)
	}
	e.queue = q
	log := audit.New(e.db, e.clk)
	outbox := mail.NewOutbox(q, e.ring)
	e.clients = clients.New(e.db, e.clk, log)
	e.forms = forms.New(e.db, e.clk, log, e.ring, outbox, baseURL)
	e.auth = auth.New(e.db, e.clk, e.ring, log, outbox, auth.Options{BaseURL: baseURL})
	e.sched = scheduling.New(e.db, e.clk, log, q, e.clients)
	n.Connect(outbox, q, e.sched)
	e.sched.SetNotifier(n)
	blobs, err := blob.NewFS(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatalf("blob store: %v", err)
	}
	e.messages = messaging.New(e.db, e.clk, log, e.ring, blobs, outbox, q, baseURL,
		messaging.Limits{})
	msgWorker.Connect(e.messages)
	e.book = booking.New(booking.Deps{DB: e.db, Clock: e.clk, Audit: log, Ring: e.ring,
		Outbox: outbox, Scheduling: e.sched, Clients: e.clients, Forms: e.forms,
		Auth: e.auth, BaseURL: baseURL, Welcome: e.messages.SendWelcome})
	if err := q.Start(ctx); err != nil {
		t.Fatalf("start queue: %v", err)
	}
	t.Cleanup(func() { e.stop(t, q) })
	if e.provider.ProviderID == "" {
		e.provider = e.newProvider(t)
		a, err := e.sched.AvailabilityForProvider(ctx, e.provider.ProviderID)
		if err != nil {
			t.Fatalf("availability: %v", err)
		}
		e.slug = a.Slug
	}
}

// stop stops q once; later calls do nothing.
func (e *env) stop(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if e.stopped[q] {
		return
	}
	if e.stopped == nil {
		e.stopped = map[*jobs.Queue]bool{}
	}
	e.stopped[q] = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Errorf("stop queue: %v", err)
	}
}

// newProvider inserts Ada Park, LCSW (New York) with an account.
func (e *env) newProvider(t *testing.T) access.Actor {
	t.Helper()
	ctx := context.Background()
	id := store.NewID()
	_, err := e.db.Writer().ExecContext(ctx, `INSERT INTO providers (id, first_name,
		last_name, credentials, time_zone, created_at, updated_at)
		VALUES ($1, 'Ada', 'Park', 'LCSW', 'America/New_York', $2, $2)`, id, e.clk.Now())
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	u, err := e.auth.CreateUser(ctx, access.System(), auth.NewUser{Email: providerEmail,
		Role: access.RoleProvider, DisplayName: "Ada Park", ProviderID: id})
	if err != nil {
		t.Fatalf("provider account: %v", err)
	}
	return access.Actor{UserID: u.ID, Role: access.RoleProvider, ProviderID: id, IP: "198.51.100.7"}
}

// runDue works every job due by the clock.
func (e *env) runDue(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := e.queue.RunDue(ctx); err != nil {
		t.Fatalf("run due: %v", err)
	}
}

// request is a valid new-client booking for Wednesday 10:00.
func (e *env) request(email string) booking.NewClientRequest {
	return booking.NewClientRequest{Slug: e.slug, Start: wednesday10,
		FirstName: "Samira", LastName: "Lindqvist", Email: email, Phone: "(212) 555-0147",
		DateOfBirth: "1990-05-17", State: "NY", CashPay: true, ConsentTerms: true,
		ConsentPrivacy: true, IP: visitorIP, TimeZone: "America/Chicago"}
}

// mailsTo returns the mails of template to addr.
func mailsTo(list []mail.Email, template, addr string) []mail.Email {
	var out []mail.Email
	for _, m := range list {
		if m.Template == template && m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// count runs a COUNT(*) query.
func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Reader().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
