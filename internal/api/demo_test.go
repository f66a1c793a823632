package api_test

import (
	"context"
	"database/sql"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

type clockBody struct {
	Now string `json:"now"`
}

// schedule inserts a test.mark job named name to run after d.
func (e *env) schedule(t *testing.T, name string, d time.Duration) {
	t.Helper()
	err := e.db.InTx(context.Background(), func(tx *sql.Tx) error {
		return e.queue.Insert(context.Background(), tx, markArgs{Name: name},
			&river.InsertOpts{ScheduledAt: e.clk.Now().Add(d)})
	})
	if err != nil {
		t.Fatalf("schedule %s: %v", name, err)
	}
}

func TestDemoClockRefusedOutsideDemoMode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		u := e.newUser(t, access.RoleAdmin, "admin@example.test", "")
		// Outside demo mode admins need TOTP to get a token; a personal
		// token made in the portal stands in for it here.
		token, _, err := e.auth.CreatePersonalToken(context.Background(),
			e.auth.Actor(u, "", "127.0.0.1", "test"), "ops", nil)
		if err != nil {
			t.Fatalf("create personal token: %v", err)
		}
		before := e.clk.Now()

		for _, c := range []call{
			{method: http.MethodPost, path: "/demo/clock", token: token,
				body: map[string]string{"advance": "72h"}},
			{method: http.MethodGet, path: "/demo/clock", token: token},
			{method: http.MethodPost, path: "/demo/clock",
				body: map[string]string{"advance": "72h"}},
		} {
			res := e.do(t, c)
			wantError(t, res, http.StatusNotFound, "not_found", "")
		}
		if now := e.clk.Now(); !now.Equal(before) {
			t.Errorf("clock moved from %s to %s", before, now)
		}
	})
}

func TestDemoClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{demo: true})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")
		e.newUser(t, access.RoleAdmin, "admin@example.test", "")
		provider := e.signIn(t, "pro@example.test")
		admin := e.signIn(t, "admin@example.test")
		start := e.clk.Now()
		advance := map[string]string{"advance": "72h"}

		// Anyone signed in may read the clock; no one else.
		res := e.do(t, call{method: http.MethodGet, path: "/demo/clock", token: provider})
		wantStatus(t, res, http.StatusOK)
		if got := decode[clockBody](t, res).Now; got != start.Format(time.RFC3339) {
			t.Errorf("now %s, want %s", got, start.Format(time.RFC3339))
		}
		res = e.do(t, call{method: http.MethodPost, path: "/demo/clock", body: advance})
		wantError(t, res, http.StatusUnauthorized, "unauthorized", "")

		// Only an administrator may move it.
		res = e.do(t, call{method: http.MethodPost, path: "/demo/clock", token: provider, body: advance})
		wantError(t, res, http.StatusForbidden, "forbidden", "")

		for _, bad := range []string{"", "soon", "-1h", "0s", "9000h"} {
			res = e.do(t, call{method: http.MethodPost, path: "/demo/clock", token: admin,
				body: map[string]string{"advance": bad}})
			wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "advance")
		}
		if !e.clk.Now().Equal(start) {
			t.Fatalf("refused requests moved the clock to %s", e.clk.Now())
		}

		// Moving it runs what fell due, and only that.
		e.schedule(t, "in two days", 48*time.Hour)
		e.schedule(t, "in a week", 7*24*time.Hour)
		res = e.do(t, call{method: http.MethodPost, path: "/demo/clock", token: admin, body: advance})
		wantStatus(t, res, http.StatusOK)
		want := start.Add(72 * time.Hour)
		if got := decode[clockBody](t, res).Now; got != want.Format(time.RFC3339) {
			t.Errorf("now %s, want %s", got, want.Format(time.RFC3339))
		}
		if !e.clk.Now().Equal(want) {
			t.Errorf("clock reads %s, want %s", e.clk.Now(), want)
		}
		if ran := e.ran.list(); !slices.Equal(ran, []string{"in two days"}) {
			t.Errorf("jobs run %q, want only the one due", ran)
		}

		// Time moved for everything: the 12-hour token has expired.
		res = e.do(t, call{method: http.MethodGet, path: "/demo/clock", token: admin})
		wantError(t, res, http.StatusUnauthorized, "invalid_token", "")

		// The move is audited.
		found := false
		admin = e.signIn(t, "admin@example.test")
		for _, it := range e.listAudit(t, admin, nil).Items {
			found = found || it.Action == "demo.clock.advance"
		}
		if !found {
			t.Error("no demo.clock.advance audit entry")
		}
	})
}
