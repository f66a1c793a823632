package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// seed records n entries, one a minute.
func seed(t testing.TB, db *store.DB, n int) *audit.Log {
	t.Helper()
	l, clk := newLog(t, db)
	for i := range n {
		record(t, l, provA, audit.Entry{Action: "clients.client.read",
			ObjectType: "client", ObjectID: "c-1", ProviderID: "p-a",
			Detail: "n=" + string(rune('a'+i))})
		clk.Advance(time.Minute)
	}
	return l
}

// dropTriggers removes the append-only triggers, as an attacker with
// direct database access could.
func dropTriggers(t testing.TB, db *store.DB) {
	t.Helper()
	stmts := []string{
		`DROP TRIGGER audit_log_no_update`,
		`DROP TRIGGER audit_log_no_delete`,
	}
	if db.Dialect() == store.Postgres {
		stmts = []string{`DROP TRIGGER audit_log_append_only ON audit_log`}
	}
	for _, s := range stmts {
		if _, err := db.Writer().ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func exec(t testing.TB, db *store.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Writer().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func TestVerifyIntactChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := newLog(t, db)
		if n, err := l.Verify(ctx); err != nil || n != 0 {
			t.Errorf("empty log: Verify = %d, %v; want 0, nil", n, err)
		}
		// More rows than one Verify page.
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			for range 1203 {
				if err := l.Record(ctx, tx, client, audit.Entry{
					Action: "auth.sign_in"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := l.Verify(ctx); err != nil || n != 1203 {
			t.Errorf("Verify = %d, %v; want 1203, nil", n, err)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l := seed(t, db, 3)
		stmts := []string{
			`UPDATE audit_log SET detail = 'x' WHERE seq = 2`,
			`DELETE FROM audit_log WHERE seq = 3`,
			`DELETE FROM audit_log`,
		}
		if db.Dialect() == store.Postgres {
			stmts = append(stmts, `TRUNCATE audit_log`)
		}
		for _, s := range stmts {
			if _, err := db.Writer().ExecContext(ctx, s); err == nil {
				t.Errorf("%s: succeeded, want the trigger to refuse it", s)
			}
		}
		if n, err := l.Verify(ctx); err != nil || n != 3 {
			t.Errorf("Verify = %d, %v; want 3, nil", n, err)
		}
	})
}

func TestVerifyFindsTampering(t *testing.T) {
	later := start.Add(48 * time.Hour)
	tests := []struct {
		name    string
		tamper  []string
		args    []any
		wantSeq int64
	}{
		{"changed detail", []string{
			`UPDATE audit_log SET detail = 'n=z' WHERE seq = 3`}, nil, 3},
		{"changed actor", []string{
			`UPDATE audit_log SET actor_id = 'u-pb' WHERE seq = 5`}, nil, 5},
		{"changed time", []string{
			`UPDATE audit_log SET at = $1 WHERE seq = 4`}, []any{later}, 4},
		{"deleted middle row", []string{
			`DELETE FROM audit_log WHERE seq = 2`}, nil, 2},
		{"deleted first row", []string{
			`DELETE FROM audit_log WHERE seq = 1`}, nil, 1},
		{"re-linked row", []string{
			`UPDATE audit_log SET prev_hash = hash WHERE seq = 6`}, nil, 6},
		{"reordered rows", []string{
			`UPDATE audit_log SET seq = 100 WHERE seq = 3`,
			`UPDATE audit_log SET seq = 3 WHERE seq = 4`,
			`UPDATE audit_log SET seq = 4 WHERE seq = 100`}, nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				l := seed(t, db, 6)
				dropTriggers(t, db)
				for _, s := range tt.tamper {
					exec(t, db, s, tt.args...)
				}

				n, err := l.Verify(context.Background())
				var te *audit.TamperError
				if !errors.As(err, &te) {
					t.Fatalf("Verify = %d, %v; want a *TamperError", n, err)
				}
				if te.Seq != tt.wantSeq {
					t.Errorf("TamperError.Seq = %d (%s), want %d",
						te.Seq, te.Reason, tt.wantSeq)
				}
				if !errors.Is(err, audit.ErrTampered) {
					t.Error("error does not match ErrTampered")
				}
				if n != int(tt.wantSeq-1) {
					t.Errorf("checked = %d, want %d", n, tt.wantSeq-1)
				}
			})
		})
	}
}

func TestConcurrentRecordKeepsChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := newLog(t, db)
		const workers, each = 20, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				actor := access.Actor{UserID: "u-" + string(rune('a'+w)),
					Role: access.RoleAdmin}
				for range each {
					e := audit.Entry{Action: "clients.client.read"}
					var err error
					if w%2 == 0 {
						err = l.Record(ctx, nil, actor, e)
					} else {
						err = db.InTx(ctx, func(tx *sql.Tx) error {
							return l.Record(ctx, tx, actor, e)
						})
					}
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("Record: %v", err)
		}

		if n, err := l.Verify(ctx); err != nil || n != workers*each {
			t.Errorf("Verify = %d, %v; want %d, nil", n, err, workers*each)
		}
		items, _, err := l.List(ctx, admin, audit.Filter{Limit: audit.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range items {
			if want := int64(workers*each - i); r.Seq != want {
				t.Fatalf("item %d has seq %d, want %d", i, r.Seq, want)
			}
		}
	})
}
