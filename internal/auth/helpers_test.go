package auth

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const (
	baseURL  = "https://tend.example"
	goodPass = "plum-orbit-canvas-42"
	testIP   = "192.0.2.10"
	testUA   = "test-agent/1.0"
)

// fastParams keep the many hashes in these tests cheap; TestHashVerify
// covers the production parameters.
var fastParams = hashParams{memoryKiB: 1024, time: 1, threads: 1, saltLen: 16, keyLen: 32}

// env is a service over a real database with a frozen clock.
type env struct {
	svc *Service
	db  *store.DB
	clk *clock.Test
}

// unsent is a mail sender for a queue that is never started: tests read
// queued mail from the job table instead.
type unsent struct{}

func (unsent) Send(context.Context, mail.Email) error {
	return errors.New("queue is not started in auth tests")
}

func newEnv(t testing.TB, db *store.DB, opts Options) *env {
	t.Helper()
	ctx := context.Background()
	ring, err := vault.LoadOrCreate(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatalf("key ring: %v", err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatalf("jobs migrate: %v", err)
	}
	clk := clock.NewFrozen(start)
	workers := river.NewWorkers()
	mail.Register(workers, unsent{}, ring, baseURL, nil)
	q, err := jobs.New(jobs.Config{DB: db, Clock: clk, Workers: workers})
	if err != nil {
		t.Fatalf("jobs: %v", err)
	}
	if opts.BaseURL == "" {
		opts.BaseURL = baseURL
	}
	svc := New(db, clk, ring, audit.New(db, clk), mail.NewOutbox(q, ring), opts)
	svc.params = fastParams
	return &env{svc: svc, db: db, clk: clk}
}

// provider inserts a providers row and returns its id.
func (e *env) provider(t testing.TB) string {
	t.Helper()
	id := store.NewID()
	_, err := e.db.Writer().ExecContext(context.Background(), `INSERT INTO providers
		(id, first_name, last_name, created_at, updated_at) VALUES ($1, 'Ada', 'Park', $2, $2)`,
		id, e.clk.Now())
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	return id
}

// client inserts a clients row for providerID and returns its id.
func (e *env) client(t testing.TB, providerID string) string {
	t.Helper()
	id := store.NewID()
	_, err := e.db.Writer().ExecContext(context.Background(), `INSERT INTO clients
		(id, provider_id, first_name, last_name, created_at, updated_at)
		VALUES ($1, $2, 'Sam', 'Lee', $3, $3)`, id, providerID, e.clk.Now())
	if err != nil {
		t.Fatalf("insert client: %v", err)
	}
	return id
}

// user creates an account with goodPass; providers and clients get the
// records they belong to.
func (e *env) user(t testing.TB, role access.Role, email string) User {
	t.Helper()
	n := NewUser{Email: email, Password: goodPass, Role: role, DisplayName: "Test User"}
	switch role {
	case access.RoleProvider:
		n.ProviderID = e.provider(t)
	case access.RoleClient:
		n.ClientID = e.client(t, e.provider(t))
	}
	u, err := e.svc.CreateUser(context.Background(), access.System(), n)
	if err != nil {
		t.Fatalf("create %s: %v", role, err)
	}
	return u
}

// signIn authenticates u and starts a session.
func (e *env) signIn(t testing.TB, u User) (string, Session) {
	t.Helper()
	ctx := context.Background()
	got, err := e.svc.Authenticate(ctx, u.Email, goodPass, testIP, testUA)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	token, sess, err := e.svc.StartSession(ctx, got, testIP, testUA, true)
	if err != nil {
		t.Fatalf("start session: %v", err)
	}
	return token, sess
}

// queuedMail lists the mail queued so far, oldest first.
func (e *env) queuedMail(t testing.TB) []mail.Message {
	t.Helper()
	out, err := mail.Queued(context.Background(), e.db, e.svc.ring)
	if err != nil {
		t.Fatalf("read queued mail: %v", err)
	}
	return out
}

// lastLinkToken returns the token at the end of the newest queued mail
// of the template, checking the link's address and path.
func (e *env) lastLinkToken(t testing.TB, template, path string) string {
	t.Helper()
	msgs := e.queuedMail(t)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Template != template {
			continue
		}
		link := msgs[i].Data["Link"]
		token, ok := strings.CutPrefix(link, baseURL+path)
		if !ok || token == "" {
			t.Fatalf("%s link = %q, want %s%s{token}", template, link, baseURL, path)
		}
		return token
	}
	t.Fatalf("no %s mail queued", template)
	return ""
}

// auditActions lists the audit actions recorded so far, in order, and
// fails if any detail or field holds a secret.
func (e *env) auditActions(t testing.TB, secrets ...string) []string {
	t.Helper()
	rows, err := e.db.Reader().QueryContext(context.Background(),
		`SELECT action, object_id, ip, user_agent, detail FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatalf("read audit log: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, object, ip, ua, detail string
		if err := rows.Scan(&action, &object, &ip, &ua, &detail); err != nil {
			t.Fatalf("scan audit log: %v", err)
		}
		for _, s := range secrets {
			if strings.Contains(action+object+ip+ua+detail, s) {
				t.Errorf("audit entry %s holds a secret: %q", action, detail)
			}
		}
		out = append(out, action)
	}
	return out
}

func count(actions []string, action string) int {
	n := 0
	for _, a := range actions {
		if a == action {
			n++
		}
	}
	return n
}

// wantErr fails unless errors.Is(err, want).
func wantErr(t testing.TB, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

// wantThrottled fails unless err is a *ThrottledError for retry.
func wantThrottled(t testing.TB, what string, err error, retry time.Duration) {
	t.Helper()
	var te *ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("%s: err = %v, want *ThrottledError", what, err)
	}
	if te.RetryAfter != retry {
		t.Fatalf("%s: RetryAfter = %v, want %v", what, te.RetryAfter, retry)
	}
}

// wantField fails unless err is a *FieldError on field.
func wantField(t testing.TB, what string, err error, field string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("%s: err = %v, want *FieldError on %q", what, err, field)
	}
	if fe.Field != field {
		t.Fatalf("%s: field = %q (%s), want %q", what, fe.Field, fe.Message, field)
	}
}
