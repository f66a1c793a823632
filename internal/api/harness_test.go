package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/api"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/calsync"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/records"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/tasks"
	"github.com/tend-portal/tend/internal/vault"
)

// testStart is where every test clock starts: a Monday morning.
var testStart = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

// testRequestID is the request id of every test request.
const testRequestID = "test-request-0001"

// password is every test account's password.
const password = "correct horse battery staple 42"

// env is one API under test: real dependencies over a real database,
// served by a real HTTP server.
type env struct {
	db    *store.DB
	clk   *clock.Test
	auth  *auth.Service
	audit *audit.Log
	queue *jobs.Queue
	sched *scheduling.Service
	srv   *httptest.Server
	ran   *ranJobs    // jobs of kind "test.mark" that were worked
	logs  *syncBuffer // everything logged, as JSON lines
	// blobDir is where the attachment blobs are stored, sealed.
	blobDir string
}

// options vary the environment.
type options struct {
	demo bool // demo mode with the test clock endpoints
	// keys is the key ring file, for environments that stand for several
	// server processes of one installation; a fresh one when empty.
	keys string
	// bookingLimit is how many public bookings one IP address or email
	// may make per hour; the booking area's default when zero.
	bookingLimit int
	// limits bound message attachments; messaging's defaults when zero.
	limits messaging.Limits
}

// newEnv builds the API over db, as the app would.
func newEnv(t *testing.T, db *store.DB, o options) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	clk := clock.NewFrozen(testStart)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))

	keys := o.keys
	if keys == "" {
		keys = filepath.Join(dir, "secret.keys")
	}
	ring, err := vault.LoadOrCreate(keys)
	if err != nil {
		t.Fatalf("load key ring: %v", err)
	}
	cfg := config.Config{
		Addr:     "127.0.0.1:8080",
		DataDir:  dir,
		BaseURL:  "http://127.0.0.1:8080",
		MailFrom: "Tend <no-reply@tend.test>",
		Demo:     o.demo,
	}

	// The queue with the mail worker and a worker tests can schedule.
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate jobs: %v", err)
	}
	reg := prometheus.NewRegistry()
	workers := river.NewWorkers()
	ran := &ranJobs{}
	river.AddWorker[markArgs](workers, ran)
	sender, err := mail.NewSender(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("mail sender: %v", err)
	}
	mail.Register(workers, sender, ring, cfg.BaseURL, reg)
	notices := messaging.Register(workers)
	queue, err := jobs.New(jobs.Config{
		DB: db, Clock: clk, Workers: workers, Registerer: reg,
	})
	if err != nil {
		t.Fatalf("new queue: %v", err)
	}
	if err := queue.Start(ctx); err != nil {
		t.Fatalf("start queue: %v", err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = queue.Stop(stopCtx)
	})

	log := audit.New(db, clk)
	outbox := mail.NewOutbox(queue, ring)
	svc := auth.New(db, clk, ring, log, outbox,
		auth.Options{BaseURL: cfg.BaseURL, Demo: o.demo})
	clientSvc := clients.New(db, clk, log)
	formSvc := forms.New(db, clk, log, ring, outbox, cfg.BaseURL)
	noteSvc := notes.New(db, clk, log, ring)
	sched := scheduling.New(db, clk, log, queue, clientSvc)
	book := booking.New(booking.Deps{
		DB: db, Clock: clk, Audit: log, Ring: ring, Outbox: outbox,
		Scheduling: sched, Clients: clientSvc, Forms: formSvc, Auth: svc,
		BaseURL: cfg.BaseURL, Limit: o.bookingLimit,
	})
	feeds := calsync.New(db, clk, ring, log,
		calsync.Options{BaseURL: cfg.BaseURL, AllowPrivate: true})
	blobDir := filepath.Join(dir, "blobs")
	blobs, err := blob.NewFS(blobDir)
	if err != nil {
		t.Fatalf("blob store: %v", err)
	}
	msgs := messaging.New(db, clk, log, ring, blobs, outbox, queue, cfg.BaseURL, o.limits)
	notices.Connect(msgs)
	d := api.Deps{
		Config: cfg, DB: db, Clock: clk,
		Auth: svc, Audit: log, Jobs: queue, Logger: logger,
		Clients: clientSvc, Forms: formSvc, Notes: noteSvc,
		Tasks:      tasks.New(db, clk, log),
		Records:    records.NewExporter(clientSvc, formSvc, noteSvc, log, clk),
		Scheduling: sched,
		Booking:    book,
		Calsync:    feeds,
		Messaging:  msgs,
	}
	if o.demo {
		d.TestClock = clk
	}
	// The web layer sets the request id header before the API runs.
	h := api.New(d)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", testRequestID)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &env{db: db, clk: clk, auth: svc, audit: log, queue: queue,
		sched: sched, srv: srv, ran: ran, logs: logs, blobDir: blobDir}
}

// newUser creates an account of role, with the provider or client
// record it speaks for. A client belongs to provider (a provider id) or,
// when provider is "", to a new provider of its own.
func (e *env) newUser(t *testing.T, role access.Role, email, provider string) auth.User {
	t.Helper()
	ctx := context.Background()
	n := auth.NewUser{
		Email: email, Password: password, Role: role, DisplayName: "Test " + string(role),
	}
	switch role {
	case access.RoleProvider:
		n.ProviderID = e.insertProvider(t)
	case access.RoleClient:
		if provider == "" {
			provider = e.insertProvider(t)
		}
		n.ClientID = e.insertClient(t, provider)
	}
	u, err := e.auth.CreateUser(ctx, access.System(), n)
	if err != nil {
		t.Fatalf("create %s: %v", role, err)
	}
	return u
}

func (e *env) insertProvider(t *testing.T) string {
	t.Helper()
	id := store.NewID()
	now := e.clk.Now()
	_, err := e.db.Writer().ExecContext(context.Background(),
		`INSERT INTO providers (id, first_name, last_name, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5)`, id, "Pat", "Example", now, now)
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	return id
}

func (e *env) insertClient(t *testing.T, providerID string) string {
	t.Helper()
	id := store.NewID()
	now := e.clk.Now()
	_, err := e.db.Writer().ExecContext(context.Background(),
		`INSERT INTO clients (id, provider_id, first_name, last_name, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6)`, id, providerID, "Sam", "Example", now, now)
	if err != nil {
		t.Fatalf("insert client: %v", err)
	}
	return id
}

// count returns the number of rows in table.
func (e *env) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	err := e.db.Reader().QueryRowContext(context.Background(),
		"SELECT count(*) FROM "+table).Scan(&n)
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// markArgs is a job tests schedule to see that the demo clock runs
// what falls due.
type markArgs struct {
	Name string `json:"name"`
}

// Kind names the job kind.
func (markArgs) Kind() string { return "test.mark" }

// ranJobs records the names of the markArgs jobs worked.
type ranJobs struct {
	river.WorkerDefaults[markArgs]
	mu    sync.Mutex
	names []string
}

// Work records the job.
func (r *ranJobs) Work(ctx context.Context, job *river.Job[markArgs]) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, job.Args.Name)
	return nil
}

// list returns the names of the jobs worked so far.
func (r *ranJobs) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.names)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
