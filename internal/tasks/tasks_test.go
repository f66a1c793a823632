package tasks_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/tasks"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// provider inserts a provider and returns them as an actor.
func provider(t testing.TB, db *store.DB) access.Actor {
	t.Helper()
	id := store.NewID()
	_, err := db.Writer().ExecContext(context.Background(), `INSERT INTO providers
		(id, first_name, last_name, created_at, updated_at)
		VALUES ($1, 'Ada', 'Park', $2, $2)`, id, start)
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	return access.Actor{UserID: store.NewID(), Role: access.RoleProvider, ProviderID: id}
}

// raise stores t in its own transaction.
func raise(t testing.TB, db *store.DB, task tasks.Task) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx *sql.Tx) error {
		return tasks.Raise(context.Background(), tx, task)
	})
	if err != nil {
		t.Fatalf("raise %s: %v", task.Title, err)
	}
}

func TestRaiseRefusesIncompleteTasks(t *testing.T) {
	db := storetest.SQLite(t)
	prov := provider(t, db)
	full := tasks.Task{ProviderID: prov.ProviderID, Kind: "k", Title: "T", CreatedAt: start}
	tests := []struct {
		name string
		edit func(*tasks.Task)
	}{
		{"no provider", func(t *tasks.Task) { t.ProviderID = "" }},
		{"no kind", func(t *tasks.Task) { t.Kind = " " }},
		{"no title", func(t *tasks.Task) { t.Title = "" }},
		{"no time", func(t *tasks.Task) { t.CreatedAt = time.Time{} }},
	}
	for _, tt := range tests {
		task := full
		tt.edit(&task)
		if err := tasks.Raise(context.Background(), db.Writer(), task); err == nil {
			t.Errorf("%s: Raise accepted %+v", tt.name, task)
		}
	}
}

func TestListAndDismiss(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFrozen(start)
		svc := tasks.New(db, clk, audit.New(db, clk))
		prov, other := provider(t, db), provider(t, db)

		clientID := store.NewID()
		raise(t, db, tasks.Task{ProviderID: prov.ProviderID, Kind: "note", Title: "Old",
			CreatedAt: start.Add(-2 * time.Hour)})
		raise(t, db, tasks.Task{ProviderID: prov.ProviderID, Kind: "note", Title: "New",
			CreatedAt: start.Add(-time.Hour)})
		raise(t, db, tasks.Task{ProviderID: prov.ProviderID, ClientID: clientID,
			Kind: tasks.KindPHQ9Item9, Title: "Urgent", Urgent: true,
			CreatedAt: start.Add(-3 * time.Hour), Link: "/clients/" + clientID})
		raise(t, db, tasks.Task{ProviderID: other.ProviderID, Kind: "note", Title: "Theirs",
			CreatedAt: start})

		list, err := svc.List(ctx, prov)
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if got := titles(list); got != "Urgent,New,Old" {
			t.Fatalf("tasks = %s, want Urgent,New,Old", got)
		}
		urgent := list[0]
		if urgent.ClientID != clientID || urgent.Link != "/clients/"+clientID ||
			!urgent.CreatedAt.Equal(start.Add(-3*time.Hour)) || urgent.DismissedAt != nil {
			t.Errorf("urgent task = %+v", urgent)
		}

		for _, tt := range []struct {
			name  string
			actor access.Actor
			id    string
		}{
			{"another provider", other, urgent.ID},
			{"malformed id", prov, "x"},
			{"unknown id", prov, store.NewID()},
			{"a client", access.Actor{UserID: "u", Role: access.RoleClient, ClientID: clientID},
				urgent.ID},
		} {
			err := svc.Dismiss(ctx, tt.actor, tt.id)
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: dismiss err = %v, want not found", tt.name, err)
			}
		}

		if err := svc.Dismiss(ctx, prov, urgent.ID); err != nil {
			t.Fatalf("dismiss: %v", err)
		}
		if err := svc.Dismiss(ctx, prov, urgent.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("dismissing twice: err = %v, want not found", err)
		}
		list, _ = svc.List(ctx, prov)
		if got := titles(list); got != "New,Old" {
			t.Errorf("after dismissing: %s, want New,Old", got)
		}
		var at time.Time
		err = db.Reader().QueryRowContext(ctx, `SELECT dismissed_at FROM tasks WHERE id = $1`,
			urgent.ID).Scan(&at)
		if err != nil || !at.Equal(start) {
			t.Errorf("dismissed_at = %v, %v; want %v", at, err, start)
		}

		_, err = svc.List(ctx, access.Actor{UserID: "u", Role: access.RoleClient, ClientID: "c"})
		if !errors.Is(err, access.ErrForbidden) {
			t.Errorf("client list: err = %v, want ErrForbidden", err)
		}

		var dismissals int
		err = db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log
			WHERE action = 'tasks.task.dismiss' AND object_id = $1 AND client_id = $2`,
			urgent.ID, clientID).Scan(&dismissals)
		if err != nil || dismissals != 1 {
			t.Errorf("%d dismissals audited (%v), want 1", dismissals, err)
		}
	})
}

func titles(list []tasks.Task) string {
	var out []string
	for _, t := range list {
		out = append(out, t.Title)
	}
	return strings.Join(out, ",")
}
