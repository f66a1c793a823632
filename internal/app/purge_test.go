package app

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// insertSession adds a user and a session for it that expires at
// expires, and returns the session id.
func insertSession(t *testing.T, a *App, expires time.Time) string {
	t.Helper()
	ctx := context.Background()
	now := a.Clock().Now().UTC()
	userID, sessionID := store.NewID(), store.NewID()
	if _, err := a.DB().Writer().ExecContext(ctx, `
		INSERT INTO users (id, email, role, password_hash, display_name, created_at, updated_at)
		VALUES ($1, $2, 'admin', '', 'Purge Test', $3, $3)`,
		userID, userID+"@purge.test", now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	if _, err := a.DB().Writer().ExecContext(ctx, `
		INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $3, $4)`,
		sessionID, userID, now, expires.UTC()); err != nil {
		t.Fatalf("insert session: %v", err)
	}
	return sessionID
}

func sessionExists(t *testing.T, a *App, id string) bool {
	t.Helper()
	var n int
	err := a.DB().Reader().QueryRowContext(context.Background(),
		`SELECT count(*) FROM sessions WHERE id = $1`, id).Scan(&n)
	if err != nil {
		t.Fatalf("count sessions: %v", err)
	}
	return n == 1
}

func TestRunDuePurgesExpiredSessions(t *testing.T) {
	for _, db := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(*testing.T) string { return "" }},
		{"postgres", func(t *testing.T) string { return storetest.PostgresURL(t) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			a, err := New(ctx, demoConfig(t, db.url(t)), slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			t.Cleanup(func() { a.Close() })
			now := a.Clock().Now()
			expired := insertSession(t, a, now.Add(-time.Minute))
			live := insertSession(t, a, now.Add(time.Hour))

			if err := a.Jobs().Start(ctx); err != nil {
				t.Fatalf("start queue: %v", err)
			}
			t.Cleanup(func() {
				stopCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				if err := a.Jobs().Stop(stopCtx); err != nil {
					t.Errorf("stop queue: %v", err)
				}
			})
			dueCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			if err := a.Jobs().RunDue(dueCtx); err != nil {
				t.Fatalf("RunDue: %v", err)
			}
			if sessionExists(t, a, expired) {
				t.Error("expired session survived the purge job")
			}
			if !sessionExists(t, a, live) {
				t.Error("live session was purged")
			}
		})
	}
}
