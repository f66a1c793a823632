package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/demo"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/vault"
)

var start = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

// newDeps builds the services Load needs over db.
func newDeps(t testing.TB, db *store.DB) demo.Deps {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatalf("jobs.Migrate: %v", err)
	}
	ring, err := vault.LoadOrCreate(filepath.Join(t.TempDir(), "secret.keys"))
	if err != nil {
		t.Fatalf("vault: %v", err)
	}
	clk := clock.NewFrozen(start)
	q, err := jobs.New(jobs.Config{DB: db, Clock: clk, Workers: river.NewWorkers()})
	if err != nil {
		t.Fatalf("jobs.New: %v", err)
	}
	outbox := mail.NewOutbox(q, ring)
	a := auth.New(db, clk, ring, audit.New(db, clk), outbox,
		auth.Options{BaseURL: "http://127.0.0.1:8080", Demo: true})
	blobs, err := blob.NewFS(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatalf("blob store: %v", err)
	}
	msgs := messaging.New(db, clk, audit.New(db, clk), ring, blobs, outbox, q,
		"http://127.0.0.1:8080", messaging.Limits{})
	return demo.Deps{DB: db, Clock: clk, Auth: a, Messages: msgs}
}

// names returns every provider's and client's full name, sorted.
func names(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Reader().QueryContext(context.Background(), `
		SELECT first_name || ' ' || last_name FROM providers
		UNION ALL
		SELECT first_name || ' ' || last_name FROM clients`)
	if err != nil {
		t.Fatalf("query names: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatalf("scan: %v", err)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Reader().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDeps(t, db)
		if empty, err := demo.IsEmpty(ctx, db); err != nil || !empty {
			t.Fatalf("IsEmpty on a new database = %v, %v", empty, err)
		}
		// Load time is measured by BenchmarkLoad, not asserted here: a
		// timed assertion flakes on a shared machine.
		if err := demo.Load(ctx, d); err != nil {
			t.Fatalf("Load: %v", err)
		}

		if empty, err := demo.IsEmpty(ctx, db); err != nil || empty {
			t.Fatalf("IsEmpty after Load = %v, %v", empty, err)
		}
		if err := demo.Load(ctx, d); !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second Load = %v, want ErrNotEmpty", err)
		}

		mine := `SELECT COUNT(*) FROM clients c JOIN users u ON u.provider_id = c.provider_id
			WHERE u.email = $1`
		if n := count(t, db, mine, "provider@demo.test"); n < 40 {
			t.Errorf("provider@demo.test has %d clients, want at least 40", n)
		}
		if n := count(t, db, mine, "provider2@demo.test"); n < 12 {
			t.Errorf("provider2@demo.test has %d clients, want at least 12", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM providers`); n < 14 {
			t.Errorf("%d providers, want the two sign-ins and at least 12 more", n)
		}
		belongs := `SELECT COUNT(*) FROM users cu
			JOIN clients c ON c.id = cu.client_id
			JOIN users pu ON pu.provider_id = c.provider_id
			WHERE cu.email = $1 AND pu.email = $2`
		if count(t, db, belongs, "client@demo.test", "provider@demo.test") != 1 {
			t.Error("client@demo.test is not a client of provider@demo.test")
		}
		if count(t, db, belongs, "client2@demo.test", "provider2@demo.test") != 1 {
			t.Error("client2@demo.test is not a client of provider2@demo.test")
		}

		// Provider 1's clients fill every tab of the clients page.
		var providerID string
		if err := db.Reader().QueryRowContext(ctx, `SELECT provider_id FROM users
			WHERE email = 'provider@demo.test'`).Scan(&providerID); err != nil {
			t.Fatalf("provider id: %v", err)
		}
		svc := clients.New(db, d.Clock, audit.New(db, d.Clock))
		actor := access.Actor{UserID: "demo-test", Role: access.RoleProvider, ProviderID: providerID}
		n, err := svc.Counts(ctx, actor, "")
		if err != nil {
			t.Fatalf("Counts: %v", err)
		}
		t.Logf("provider 1 tabs: %+v", n)

		// Provider 1's inbox has conversations, some with unread replies,
		// and their bodies open with the key ring.
		threads, err := d.Messages.Threads(ctx, actor)
		if err != nil {
			t.Fatalf("Threads: %v", err)
		}
		unread := 0
		for _, th := range threads {
			unread += th.UnreadCount
		}
		if len(threads) < 10 || unread == 0 || threads[0].LastLine == "" {
			t.Errorf("provider 1 has %d threads, %d unread; want at least 10 with some unread",
				len(threads), unread)
		}
		if n.Scheduled < 10 || n.NeedsFollowUp < 5 || n.Archived < 2 ||
			n.Active <= n.Scheduled+n.NeedsFollowUp {
			t.Errorf("provider 1 tabs = %+v; want every tab used, and new clients", n)
		}
		insured := count(t, db, `SELECT COUNT(*) FROM clients WHERE provider_id = $1
			AND payer_id IS NOT NULL`, providerID)
		cash := count(t, db, `SELECT COUNT(*) FROM clients WHERE provider_id = $1
			AND cash_pay`, providerID)
		if insured < 20 || cash < 2 {
			t.Errorf("provider 1 has %d insured and %d cash-pay clients", insured, cash)
		}
		if count(t, db, `SELECT COUNT(*) FROM appointments WHERE provider_id = $1
			AND kind = 'intake'`, providerID) < 30 {
			t.Error("provider 1's clients lack intake appointments")
		}
		jamie, err := svc.List(ctx, actor, clients.Query{Q: "jamie chen"})
		if err != nil || len(jamie.Items) != 1 || jamie.Items[0].Status != clients.StatusScheduled {
			t.Errorf("client@demo.test is not found as scheduled: %+v, %v", jamie.Items, err)
		}

		for _, s := range demo.SignIns() {
			u, err := d.Auth.Authenticate(ctx, s.Email, demo.Password, "127.0.0.1", "test")
			if err != nil {
				t.Errorf("sign in as %s: %v", s.Email, err)
				continue
			}
			if u.Role != s.Role {
				t.Errorf("%s has role %s, want %s", s.Email, u.Role, s.Role)
			}
		}
	})
}

func TestLoadIsDeterministic(t *testing.T) {
	ctx := context.Background()
	first, second := storetest.SQLite(t), storetest.SQLite(t)
	for _, db := range []*store.DB{first, second} {
		if err := demo.Load(ctx, newDeps(t, db)); err != nil {
			t.Fatalf("Load: %v", err)
		}
	}
	a, b := names(t, first), names(t, second)
	if !slices.Equal(a, b) {
		t.Fatalf("two loads hold different people:\n%v\n%v", a, b)
	}
	if len(a) < 40 {
		t.Fatalf("only %d people loaded", len(a))
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := storetest.SQLite(b)
		d := newDeps(b, db)
		b.StartTimer()
		if err := demo.Load(context.Background(), d); err != nil {
			b.Fatalf("Load: %v", err)
		}
	}
}
