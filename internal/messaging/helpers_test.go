package messaging

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const baseURL = "https://tend.example"

// env is a messaging service over a real database, a filesystem blob
// store, a real job queue and a frozen clock.
type env struct {
	svc     *Service
	db      *store.DB
	clk     *clock.Test
	queue   *jobs.Queue
	sent    *outbox
	keyFile string
	blobDir string
	raw     blob.Store
	log     *audit.Log
	worker  *Worker
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

func newEnv(t testing.TB, db *store.DB, limits Limits) *env {
	t.Helper()
	ctx := context.Background()
	keyFile := filepath.Join(t.TempDir(), "keys")
	ring, err := vault.LoadOrCreate(keyFile)
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
	w := Register(workers)
	q, err := jobs.New(jobs.Config{DB: db, Clock: clk, Workers: workers})
	if err != nil {
		t.Fatalf("jobs: %v", err)
	}
	blobDir := filepath.Join(t.TempDir(), "blobs")
	raw, err := blob.NewFS(blobDir)
	if err != nil {
		t.Fatalf("blobs: %v", err)
	}
	log := audit.New(db, clk)
	svc := New(db, clk, log, ring, raw, mail.NewOutbox(q, ring), q, baseURL+"/", limits)
	w.Connect(svc)
	return &env{svc: svc, db: db, clk: clk, queue: q, sent: sent, keyFile: keyFile,
		blobDir: blobDir, raw: raw, log: log, worker: w}
}

// startQueue works jobs until the test ends.
func (e *env) startQueue(t *testing.T) {
	t.Helper()
	if err := e.queue.Start(context.Background()); err != nil {
		t.Fatalf("start queue: %v", err)
	}
	t.Cleanup(func() { _ = e.queue.Stop(context.Background()) })
}

// runDue works every job due by the clock.
func (e *env) runDue(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.queue.RunDue(ctx); err != nil {
		t.Fatalf("run due: %v", err)
	}
}

// provider inserts a provider (Ada Park) with an account and returns
// them as an actor.
func (e *env) provider(t testing.TB, email string) access.Actor {
	t.Helper()
	id, userID := store.NewID(), store.NewID()
	ctx := context.Background()
	_, err := e.db.Writer().ExecContext(ctx, `INSERT INTO providers
		(id, first_name, last_name, created_at, updated_at)
		VALUES ($1, 'Ada', 'Park', $2, $2)`, id, e.clk.Now())
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	_, err = e.db.Writer().ExecContext(ctx, `INSERT INTO users (id, email, role, provider_id,
		created_at, updated_at) VALUES ($1, $2, 'provider', $3, $4, $4)`,
		userID, email, id, e.clk.Now())
	if err != nil {
		t.Fatalf("insert provider user: %v", err)
	}
	return access.Actor{UserID: userID, Role: access.RoleProvider, ProviderID: id, IP: "198.51.100.7"}
}

// client inserts a client of provider (Samira Lindqvist) with a portal
// account and returns them as an actor.
func (e *env) client(t testing.TB, provider access.Actor, email string) access.Actor {
	t.Helper()
	id, userID := store.NewID(), store.NewID()
	ctx := context.Background()
	_, err := e.db.Writer().ExecContext(ctx, `INSERT INTO clients
		(id, provider_id, first_name, last_name, email, created_at, updated_at)
		VALUES ($1, $2, 'Samira', 'Lindqvist', $3, $4, $4)`,
		id, provider.ProviderID, email, e.clk.Now())
	if err != nil {
		t.Fatalf("insert client: %v", err)
	}
	_, err = e.db.Writer().ExecContext(ctx, `INSERT INTO users (id, email, role, client_id,
		created_at, updated_at) VALUES ($1, $2, 'client', $3, $4, $4)`,
		userID, email, id, e.clk.Now())
	if err != nil {
		t.Fatalf("insert client user: %v", err)
	}
	return access.Actor{UserID: userID, Role: access.RoleClient, ClientID: id, IP: "192.0.2.44"}
}

// send posts body and fails the test on error.
func (e *env) send(t testing.TB, actor access.Actor, clientID, body string, files ...Upload) Message {
	t.Helper()
	m, err := e.svc.Send(context.Background(), actor, clientID, body, files)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	return m
}

// auditActions lists the audit rows' actions in order, failing if any
// row's detail holds one of the secrets.
func (e *env) auditActions(t testing.TB, secrets ...string) []string {
	t.Helper()
	rows, err := e.db.Reader().QueryContext(context.Background(),
		`SELECT action, detail FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatalf("read audit log: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, detail string
		if err := rows.Scan(&action, &detail); err != nil {
			t.Fatalf("scan audit log: %v", err)
		}
		for _, s := range secrets {
			if strings.Contains(detail, s) {
				t.Errorf("audit %s detail %q holds %q", action, detail, s)
			}
		}
		out = append(out, action)
	}
	return out
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

// wantErr fails unless errors.Is(err, want).
func wantErr(t testing.TB, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

// file is an upload of data under name.
func file(name string, data []byte) Upload {
	return Upload{Filename: name, Reader: bytes.NewReader(data), DeclaredSize: -1}
}

// readAttachment downloads an attachment as actor.
func (e *env) readAttachment(t testing.TB, actor access.Actor, id string) (Attachment, []byte) {
	t.Helper()
	a, rc, err := e.svc.Attachment(context.Background(), actor, id)
	if err != nil {
		t.Fatalf("attachment: %v", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read attachment: %v", err)
	}
	return a, data
}

// readFile reads a file of the blob store directly.
func readFile(path string) ([]byte, error) { return os.ReadFile(path) }
