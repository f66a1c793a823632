package web_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
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
	"github.com/tend-portal/tend/internal/web"
)

// start is a Monday, 09:00 in New York.
var start = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

const goodPass = "plum-orbit-canvas-42"

// site is the whole web layer over a real database, with a frozen clock.
type site struct {
	t       testing.TB
	srv     *httptest.Server
	db      *store.DB
	clk     *clock.Test
	auth    *auth.Service
	metrics *prometheus.Registry
	logs    *syncBuffer
	clients *clients.Service
	forms   *forms.Service
	notes   *notes.Service
	tasks   *tasks.Service
	ring    *vault.Ring
	sched   *scheduling.Service
	booking *booking.Booking
	calsync *calsync.Service
	msgs    *messaging.Service
}

// testLimits are the attachment limits of web tests: small, so the
// limits are reached with small files.
var testLimits = messaging.Limits{MaxFiles: 3, MaxFileBytes: 64 << 10}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// unsent is the sender of a queue that is never started: tests read
// queued mail from the job table instead.
type unsent struct{}

func (unsent) Send(context.Context, mail.Email) error {
	return errors.New("queue is not started in web tests")
}

// newSite wires the real areas the way the program does and serves
// web.New over HTTP. change may adjust the configuration.
func newSite(t testing.TB, db *store.DB, change func(*config.Config)) *site {
	t.Helper()
	ctx := context.Background()
	cfg := config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), LogFormat: "text"}
	if change != nil {
		change(&cfg)
	}
	ring, err := vault.LoadOrCreate(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatalf("key ring: %v", err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatalf("jobs migrate: %v", err)
	}
	clk := clock.NewFrozen(start)
	workers := river.NewWorkers()
	mail.Register(workers, unsent{}, ring, "http://tend.test", nil)
	notifier := messaging.Register(workers)
	q, err := jobs.New(jobs.Config{DB: db, Clock: clk, Workers: workers})
	if err != nil {
		t.Fatalf("jobs: %v", err)
	}
	logs := &syncBuffer{}
	s := &site{t: t, db: db, clk: clk, metrics: prometheus.NewRegistry(), logs: logs, ring: ring}
	s.srv = httptest.NewUnstartedServer(nil)
	cfg.BaseURL = "http://" + s.srv.Listener.Addr().String()
	outbox := mail.NewOutbox(q, ring)
	log := audit.New(db, clk)
	s.auth = auth.New(db, clk, ring, log, outbox,
		auth.Options{BaseURL: cfg.BaseURL, Demo: cfg.Demo})
	s.clients = clients.New(db, clk, log)
	s.forms = forms.New(db, clk, log, ring, outbox, cfg.BaseURL)
	s.notes = notes.New(db, clk, log, ring)
	s.tasks = tasks.New(db, clk, log)
	s.sched = scheduling.New(db, clk, log, q, s.clients)
	s.calsync = calsync.New(db, clk, ring, log, calsync.Options{BaseURL: cfg.BaseURL, AllowPrivate: true})
	s.booking = booking.New(booking.Deps{DB: db, Clock: clk, Audit: log, Ring: ring, Outbox: outbox,
		Scheduling: s.sched, Clients: s.clients, Forms: s.forms, Auth: s.auth, BaseURL: cfg.BaseURL})
	blobs, err := blob.NewFS(filepath.Join(cfg.DataDir, "blobs"))
	if err != nil {
		t.Fatalf("blob store: %v", err)
	}
	s.msgs = messaging.New(db, clk, log, ring, blobs, outbox, q, cfg.BaseURL, testLimits)
	notifier.Connect(s.msgs)
	h, err := web.New(web.Deps{
		Config:     cfg,
		DB:         db,
		Clock:      clk,
		Auth:       s.auth,
		Audit:      audit.New(db, clk),
		Jobs:       q,
		Logger:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Metrics:    s.metrics,
		API:        http.NotFoundHandler(),
		Clients:    s.clients,
		Forms:      s.forms,
		Notes:      s.notes,
		Tasks:      s.tasks,
		Records:    records.NewExporter(s.clients, s.forms, s.notes, log, clk),
		Scheduling: s.sched,
		Booking:    s.booking,
		Calsync:    s.calsync,
		Messaging:  s.msgs,
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	s.srv.Config.Handler = h
	s.srv.Start()
	t.Cleanup(s.srv.Close)
	return s
}

// admin creates the first administrator, which opens the site.
func (s *site) admin(email string) auth.User {
	s.t.Helper()
	u, err := s.auth.CreateFirstAdmin(context.Background(), email, goodPass, "Alex Admin",
		"192.0.2.1", "test")
	if err != nil {
		s.t.Fatalf("create admin: %v", err)
	}
	return u
}

// provider creates a provider in New York with an account.
func (s *site) provider(email string) auth.User {
	s.t.Helper()
	id := store.NewID()
	_, err := s.db.Writer().ExecContext(context.Background(), `INSERT INTO providers
		(id, first_name, last_name, time_zone, created_at, updated_at)
		VALUES ($1, 'Dana', 'Reyes', 'America/New_York', $2, $2)`, id, s.clk.Now())
	if err != nil {
		s.t.Fatalf("insert provider: %v", err)
	}
	return s.user(auth.NewUser{Email: email, Role: access.RoleProvider,
		DisplayName: "Dana Reyes", ProviderID: id})
}

// client creates a client of providerID with an account.
func (s *site) client(email, providerID string) auth.User {
	s.t.Helper()
	id := store.NewID()
	_, err := s.db.Writer().ExecContext(context.Background(), `INSERT INTO clients
		(id, provider_id, first_name, last_name, created_at, updated_at)
		VALUES ($1, $2, 'Sam', 'Lee', $3, $3)`, id, providerID, s.clk.Now())
	if err != nil {
		s.t.Fatalf("insert client: %v", err)
	}
	return s.user(auth.NewUser{Email: email, Role: access.RoleClient,
		DisplayName: "Sam Lee", ClientID: id})
}

func (s *site) user(n auth.NewUser) auth.User {
	s.t.Helper()
	n.Password = goodPass
	u, err := s.auth.CreateUser(context.Background(), access.System(), n)
	if err != nil {
		s.t.Fatalf("create %s: %v", n.Role, err)
	}
	return u
}

// browser is one cookie jar talking to the site; it does not follow
// redirects, so tests see every 303.
type browser struct {
	s      *site
	client *http.Client
}

func (s *site) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		s.t.Fatalf("cookie jar: %v", err)
	}
	return &browser{s: s, client: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// page is a response with its body read.
type page struct {
	*http.Response
	body string
}

// location is the redirect target of a response.
func (p page) location() string { return p.Header.Get("Location") }

func (b *browser) do(req *http.Request) page {
	b.s.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.s.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.s.t.Fatalf("read body: %v", err)
	}
	return page{Response: resp, body: string(body)}
}

func (b *browser) get(path string) page {
	b.s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.s.srv.URL+path, nil)
	if err != nil {
		b.s.t.Fatalf("new request: %v", err)
	}
	return b.do(req)
}

// post submits a form; headers are added to the request.
func (b *browser) post(path string, form url.Values, headers ...string) page {
	b.s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.s.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.s.t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// signIn signs in with the password and expects to land on want.
func (b *browser) signIn(email, want string) {
	b.s.t.Helper()
	p := b.post("/login", url.Values{"email": {email}, "password": {goodPass}})
	if p.StatusCode != http.StatusSeeOther || p.location() != want {
		b.s.t.Fatalf("sign in as %s: %d → %q, want 303 → %q", email, p.StatusCode, p.location(), want)
	}
}

// want fails unless the response has the status and contains every
// fragment.
func want(t testing.TB, p page, status int, fragments ...string) {
	t.Helper()
	if p.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body:\n%s", p.Request.Method, p.Request.URL.Path,
			p.StatusCode, status, p.body)
	}
	for _, f := range fragments {
		if !strings.Contains(p.body, f) {
			t.Fatalf("%s %s: body lacks %q:\n%s", p.Request.Method, p.Request.URL.Path, f, p.body)
		}
	}
}

// wantRedirect fails unless the response is a 303 to to.
func wantRedirect(t testing.TB, p page, to string) {
	t.Helper()
	if p.StatusCode != http.StatusSeeOther || p.location() != to {
		t.Fatalf("%s %s: %d → %q, want 303 → %q", p.Request.Method, p.Request.URL.Path,
			p.StatusCode, p.location(), to)
	}
}

// textOf returns the text inside the element with the id.
func textOf(t testing.TB, body, id string) string {
	t.Helper()
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no element #%s in:\n%s", id, body)
	}
	return strings.TrimSpace(m[1])
}

// lastLinkToken returns the token of the newest queued mail of the
// template, whose link must start with base+path.
func (s *site) lastLinkToken(template, path string) string {
	s.t.Helper()
	msgs, err := mail.Queued(context.Background(), s.db, s.ring)
	if err != nil {
		s.t.Fatalf("read queued mail: %v", err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.Template != template {
			continue
		}
		u, err := url.Parse(m.Data["Link"])
		if err != nil {
			s.t.Fatalf("parse link: %v", err)
		}
		token, ok := strings.CutPrefix(u.Path, path)
		if !ok || token == "" {
			s.t.Fatalf("%s link %q does not start with %s", template, u.Path, path)
		}
		return token
	}
	s.t.Fatalf("no %s mail queued", template)
	return ""
}

// regexpAll returns the first group of every match of pattern in body.
func regexpAll(body, pattern string) []string {
	var out []string
	for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}
