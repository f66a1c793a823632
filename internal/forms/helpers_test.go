package forms

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/tasks"
	"github.com/tend-portal/tend/internal/vault"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const (
	baseURL = "https://tend.example"
	testIP  = "192.0.2.44"
)

// env is a forms service over a real database with a frozen clock.
type env struct {
	svc   *Service
	tasks *tasks.Service
	db    *store.DB
	clk   *clock.Test
	queue *jobs.Queue
	sent  *outbox
}

// outbox is a mail sender that keeps what it is given.
type outbox struct {
	mu    sync.Mutex
	mails []mail.Email
}

func (o *outbox) Send(_ context.Context, e mail.Email) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mails = append(o.mails, e)
	return nil
}

func (o *outbox) all() []mail.Email {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]mail.Email(nil), o.mails...)
}

func newEnv(t testing.TB, db *store.DB) *env {
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
	sent := &outbox{}
	workers := river.NewWorkers()
	mail.Register(workers, sent, ring, baseURL, nil)
	q, err := jobs.New(jobs.Config{DB: db, Clock: clk, Workers: workers})
	if err != nil {
		t.Fatalf("jobs: %v", err)
	}
	log := audit.New(db, clk)
	svc := New(db, clk, log, ring, mail.NewOutbox(q, ring), baseURL+"/")
	return &env{svc: svc, tasks: tasks.New(db, clk, log), db: db, clk: clk,
		queue: q, sent: sent}
}

// provider inserts a provider and returns them as an actor.
func (e *env) provider(t testing.TB) access.Actor {
	t.Helper()
	id := store.NewID()
	_, err := e.db.Writer().ExecContext(context.Background(), `INSERT INTO providers
		(id, first_name, last_name, created_at, updated_at)
		VALUES ($1, 'Ada', 'Park', $2, $2)`, id, e.clk.Now())
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	return access.Actor{UserID: store.NewID(), Role: access.RoleProvider,
		ProviderID: id, IP: "198.51.100.7"}
}

// client inserts a client of provider (named Sam Lee) and returns them
// as an actor.
func (e *env) client(t testing.TB, provider access.Actor, email string) access.Actor {
	t.Helper()
	id := store.NewID()
	_, err := e.db.Writer().ExecContext(context.Background(), `INSERT INTO clients
		(id, provider_id, first_name, last_name, email, created_at, updated_at)
		VALUES ($1, $2, 'Samira', 'Lindqvist', $3, $4, $4)`,
		id, provider.ProviderID, email, e.clk.Now())
	if err != nil {
		t.Fatalf("insert client: %v", err)
	}
	return access.Actor{UserID: store.NewID(), Role: access.RoleClient,
		ClientID: id, IP: testIP}
}

// template returns the instance template with slug, as provider sees it.
func (e *env) template(t testing.TB, provider access.Actor, slug string) Template {
	t.Helper()
	list, err := e.svc.Templates(context.Background(), provider)
	if err != nil {
		t.Fatalf("templates: %v", err)
	}
	for _, tpl := range list {
		if tpl.Slug == slug && tpl.ProviderID == "" {
			return tpl
		}
	}
	t.Fatalf("no instance template %s", slug)
	return Template{}
}

// assign sends the instance template slug to client.
func (e *env) assign(t testing.TB, provider, client access.Actor, slug string) Assignment {
	t.Helper()
	a, err := e.svc.Assign(context.Background(), provider, client.ClientID,
		e.template(t, provider, slug).ID)
	if err != nil {
		t.Fatalf("assign %s: %v", slug, err)
	}
	return a
}

// measureAnswers answers items 1..n with the given values.
func measureAnswers(values ...int) map[string]string {
	out := map[string]string{}
	for i, v := range values {
		out["item"+strconv.Itoa(i+1)] = strconv.Itoa(v)
	}
	return out
}

// auditActions lists the audit rows' actions in order, failing if any
// row's detail holds one of the secrets.
func (e *env) auditActions(t testing.TB, secrets ...string) []string {
	t.Helper()
	rows, err := e.db.Reader().QueryContext(context.Background(),
		`SELECT action, object_type, detail FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatalf("read audit log: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, objectType, detail string
		if err := rows.Scan(&action, &objectType, &detail); err != nil {
			t.Fatalf("scan audit log: %v", err)
		}
		for _, s := range secrets {
			if strings.Contains(detail, s) {
				t.Errorf("audit %s detail %q holds %q", action, detail, s)
			}
		}
		out = append(out, action)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read audit log: %v", err)
	}
	return out
}

// mailJobs counts queued mail jobs.
func (e *env) mailJobs(t testing.TB) int {
	t.Helper()
	var n int
	err := e.db.Reader().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM river_job WHERE kind = 'mail.send'`).Scan(&n)
	if err != nil {
		t.Fatalf("count mail jobs: %v", err)
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

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
