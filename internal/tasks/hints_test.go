package tasks_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/tasks"
)

func TestDismissHint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFrozen(start)
		svc := tasks.New(db, clk, audit.New(db, clk))
		prov := provider(t, db)
		if got, err := svc.DismissedHints(ctx, prov); err != nil || len(got) != 0 {
			t.Fatalf("DismissedHints = %v, %v", got, err)
		}
		for range 2 { // the second time changes nothing
			if err := svc.DismissHint(ctx, prov, tasks.HintCalendarSync); err != nil {
				t.Fatal(err)
			}
		}
		got, err := svc.DismissedHints(ctx, prov)
		if err != nil || !got[tasks.HintCalendarSync] || len(got) != 1 {
			t.Fatalf("DismissedHints = %v, %v", got, err)
		}
		var n int
		err = db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log
			WHERE action = 'tasks.hint.dismiss' AND provider_id = $1`, prov.ProviderID).Scan(&n)
		if err != nil || n != 1 {
			t.Errorf("%d dismissals audited (%v), want 1", n, err)
		}
		if err := svc.DismissHint(ctx, prov, "made_up"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown hint: %v", err)
		}
		client := access.Actor{Role: access.RoleClient, ClientID: store.NewID()}
		if err := svc.DismissHint(ctx, client, tasks.HintCalendarSync); err == nil {
			t.Error("a client dismissed a provider's hint")
		}
		other := provider(t, db)
		if got, _ := svc.DismissedHints(ctx, other); len(got) != 0 {
			t.Errorf("another provider's hints: %v", got)
		}
	})
}
