package clients_test

import (
	"context"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
)

var start = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

// env is one database with a clients service, a frozen clock and two
// providers, A and B.
type env struct {
	db   *store.DB
	clk  *clock.Test
	svc  *clients.Service
	a, b access.Actor
}

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	clk := clock.NewFrozen(start)
	e := &env{db: db, clk: clk, svc: clients.New(db, clk, audit.New(db, clk))}
	e.a = e.provider(t, "Ada")
	e.b = e.provider(t, "Bea")
	return e
}

// provider inserts a provider row and returns an actor for it.
func (e *env) provider(t testing.TB, first string) access.Actor {
	t.Helper()
	id := store.NewID()
	_, err := e.db.Writer().ExecContext(context.Background(), `INSERT INTO providers
		(id, first_name, last_name, created_at, updated_at) VALUES ($1, $2, 'Provider', $3, $3)`,
		id, first, start)
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	return access.Actor{UserID: store.NewID(), Role: access.RoleProvider, ProviderID: id,
		IP: "192.0.2.1", UserAgent: "test"}
}

// input is a valid adult client.
func input(first, last, email string) clients.Input {
	return clients.Input{FirstName: first, LastName: last, Email: email,
		Phone: "(212) 555-0147", DateOfBirth: "1990-05-17"}
}

func (e *env) create(t testing.TB, actor access.Actor, in clients.Input) clients.Client {
	t.Helper()
	c, err := e.svc.Create(context.Background(), actor, in)
	if err != nil {
		t.Fatalf("Create %s %s: %v", in.FirstName, in.LastName, err)
	}
	return c
}

// appointment inserts an appointment for c starting at starts, 50 minutes
// long, with status.
func (e *env) appointment(t testing.TB, c clients.Client, starts time.Time, status string) {
	t.Helper()
	now := e.clk.Now()
	_, err := e.db.Writer().ExecContext(context.Background(), `INSERT INTO appointments
		(id, provider_id, client_id, starts_at, ends_at, status, kind, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'follow_up', $7, $7)`,
		store.NewID(), c.ProviderID, c.ID, starts.UTC(), starts.Add(50*time.Minute).UTC(),
		status, now)
	if err != nil {
		t.Fatalf("insert appointment: %v", err)
	}
}

// auditCount counts audit rows with action about object id.
func (e *env) auditCount(t testing.TB, action, id string) int {
	t.Helper()
	var n int
	err := e.db.Reader().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM audit_log WHERE action = $1 AND object_id = $2`,
		action, id).Scan(&n)
	if err != nil {
		t.Fatalf("count audit rows: %v", err)
	}
	return n
}
