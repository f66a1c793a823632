package calsync

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// env is one test's service over a real database.
type env struct {
	db    *store.DB
	clk   *clock.Test
	svc   *Service
	actor access.Actor
}

var testNow = time.Date(2024, 3, 1, 15, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, db *store.DB, opts Options) *env {
	t.Helper()
	ring, err := vault.LoadOrCreate(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatalf("key ring: %v", err)
	}
	clk := clock.NewFrozen(testNow)
	if opts.BaseURL == "" {
		opts.BaseURL = "https://tend.example/"
	}
	e := &env{db: db, clk: clk, svc: New(db, clk, ring, audit.New(db, clk), opts)}
	e.actor = e.provider(t, "America/New_York")
	return e
}

func (e *env) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := e.db.Writer().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// provider adds a provider in zone tz and returns their actor.
func (e *env) provider(t *testing.T, tz string) access.Actor {
	t.Helper()
	id := store.NewID()
	e.exec(t, `INSERT INTO providers (id, first_name, last_name, time_zone, created_at, updated_at)
		VALUES ($1, 'Ana', 'Rivera', $2, $3, $3)`, id, tz, testNow)
	return access.Actor{UserID: store.NewID(), Role: access.RoleProvider, ProviderID: id, IP: "192.0.2.1"}
}

// client adds a client of the provider.
func (e *env) client(t *testing.T, providerID, first, preferred, last string) string {
	t.Helper()
	id := store.NewID()
	e.exec(t, `INSERT INTO clients (id, provider_id, first_name, preferred_name, last_name,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
		id, providerID, first, preferred, last, testNow)
	return id
}

// appt adds an appointment row the way the scheduling package stores it.
type apptRow struct {
	clientID, kind, status, location string
	start                            time.Time
	minutes, sequence                int
}

func (e *env) appt(t *testing.T, providerID string, a apptRow) string {
	t.Helper()
	id := store.NewID()
	if a.status == "" {
		a.status = "scheduled"
	}
	if a.location == "" {
		a.location = "office"
	}
	e.exec(t, `INSERT INTO appointments (id, provider_id, client_id, starts_at, ends_at, status,
		kind, location, sequence, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		id, providerID, a.clientID, a.start.UTC(), a.start.Add(time.Duration(a.minutes)*time.Minute).UTC(),
		a.status, a.kind, a.location, a.sequence, testNow)
	return id
}
