package notes_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

var start = time.Date(2025, 3, 10, 15, 0, 0, 0, time.UTC)

// fixture is a notes service over a fresh database holding two
// providers, each with one client.
type fixture struct {
	db      *store.DB
	clk     *clock.Test
	svc     *notes.Service
	me      access.Actor // provider of client
	other   access.Actor // another provider, owner of otherClient
	client  string
	otherCl string
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ring, err := vault.LoadOrCreate(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatalf("key ring: %v", err)
	}
	clk := clock.NewFrozen(start)
	f := &fixture{db: db, clk: clk,
		svc: notes.New(db, clk, audit.New(db, clk), ring)}
	f.me, f.client = addProvider(t, db, "Ana", "María")
	f.other, f.otherCl = addProvider(t, db, "Ben", "Øster")
	return f
}

// addProvider inserts a provider and one client of theirs and returns
// the provider's actor and the client's id.
func addProvider(t *testing.T, db *store.DB, first, clientFirst string) (access.Actor, string) {
	t.Helper()
	pid, cid := store.NewID(), store.NewID()
	exec(t, db, `INSERT INTO providers (id, first_name, last_name, created_at,
		updated_at) VALUES ($1, $2, 'Rivera', $3, $3)`, pid, first, start)
	exec(t, db, `INSERT INTO clients (id, provider_id, first_name, last_name,
		date_of_birth, created_at, updated_at)
		VALUES ($1, $2, $3, 'Núñez', '1990-04-02', $4, $4)`, cid, pid, clientFirst, start)
	return access.Actor{UserID: store.NewID(), Role: access.RoleProvider,
		ProviderID: pid, IP: "192.0.2.1"}, cid
}

// addAppointment inserts a completed appointment for clientID.
func addAppointment(t *testing.T, db *store.DB, providerID, clientID string) string {
	t.Helper()
	id := store.NewID()
	exec(t, db, `INSERT INTO appointments (id, provider_id, client_id,
		starts_at, ends_at, status, kind, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 'completed', 'follow_up', $4, $4)`,
		id, providerID, clientID, start.Add(-time.Hour), start)
	return id
}

func exec(t testing.TB, db *store.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Writer().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// soap creates a SOAP draft about the fixture's client.
func (f *fixture) soap(t *testing.T, subjective string) notes.Note {
	t.Helper()
	n, err := f.svc.Create(context.Background(), f.me, f.client, "soap", "",
		map[string]string{"subjective": subjective, "plan": "Weekly sessions."})
	if err != nil {
		t.Fatalf("create note: %v", err)
	}
	return n
}

// signed creates and signs a SOAP note.
func (f *fixture) signed(t *testing.T, subjective string) notes.Note {
	t.Helper()
	n := f.soap(t, subjective)
	n, err := f.svc.Sign(context.Background(), f.me, n.ID)
	if err != nil {
		t.Fatalf("sign note: %v", err)
	}
	return n
}

// actions returns the audit actions recorded about object, in order.
func actions(t *testing.T, db *store.DB, object string) []string {
	t.Helper()
	rows, err := db.Reader().QueryContext(context.Background(),
		`SELECT action FROM audit_log WHERE object_id = $1 ORDER BY seq`, object)
	if err != nil {
		t.Fatalf("read audit: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatalf("read audit: %v", err)
		}
		out = append(out, a)
	}
	return out
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}
