package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var (
	admin  = access.Actor{UserID: "u-admin", Role: access.RoleAdmin}
	provA  = access.Actor{UserID: "u-pa", Role: access.RoleProvider, ProviderID: "p-a"}
	provB  = access.Actor{UserID: "u-pb", Role: access.RoleProvider, ProviderID: "p-b"}
	client = access.Actor{UserID: "u-c1", Role: access.RoleClient, ClientID: "c-1"}
)

func newLog(t testing.TB, db *store.DB) (*audit.Log, *clock.Test) {
	t.Helper()
	clk := clock.NewFrozen(start)
	return audit.New(db, clk), clk
}

func record(t testing.TB, l *audit.Log, actor access.Actor, e audit.Entry) {
	t.Helper()
	if err := l.Record(context.Background(), nil, actor, e); err != nil {
		t.Fatalf("Record %s: %v", e.Action, err)
	}
}

// seqs lists the seq of each record, in order.
func seqs(items []audit.Record) []int64 {
	out := make([]int64, len(items))
	for i, r := range items {
		out[i] = r.Seq
	}
	return out
}

func TestListScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, clk := newLog(t, db)
		entries := []struct {
			actor access.Actor
			entry audit.Entry
		}{
			{provA, audit.Entry{Action: "clients.client.read", ObjectType: "client",
				ObjectID: "c-1", ProviderID: "p-a", ClientID: "c-1"}},
			{provB, audit.Entry{Action: "clients.client.read", ObjectType: "client",
				ObjectID: "c-2", ProviderID: "p-b", ClientID: "c-2"}},
			{client, audit.Entry{Action: "auth.sign_in", ObjectType: "user",
				ObjectID: "u-c1", ProviderID: "p-a", ClientID: "c-1"}},
			{admin, audit.Entry{Action: "providers.provider.update",
				ObjectType: "provider", ObjectID: "p-a", ProviderID: "p-a"}},
			{access.System(), audit.Entry{Action: "jobs.reminder.create",
				ProviderID: "p-b"}},
			{provA, audit.Entry{Action: "auth.sign_in", ObjectType: "user",
				ObjectID: "u-pa"}},
		}
		for _, e := range entries {
			record(t, l, e.actor, e.entry)
			clk.Advance(time.Minute)
		}

		tests := []struct {
			name    string
			actor   access.Actor
			want    []int64
			wantErr error
		}{
			{"admin sees all", admin, []int64{6, 5, 4, 3, 2, 1}, nil},
			{"provider A: own practice and own actions", provA, []int64{6, 4, 3, 1}, nil},
			{"provider B: not A's", provB, []int64{5, 2}, nil},
			{"client: own actions", client, []int64{3}, nil},
			{"anonymous", access.Actor{}, nil, access.ErrForbidden},
			{"system", access.System(), nil, access.ErrForbidden},
			{"provider without practice", access.Actor{UserID: "u-x",
				Role: access.RoleProvider}, nil, access.ErrForbidden},
			{"provider without user", access.Actor{Role: access.RoleProvider,
				ProviderID: "p-b"}, nil, access.ErrForbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				items, next, err := l.List(ctx, tt.actor, audit.Filter{})
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("List error = %v, want %v", err, tt.wantErr)
				}
				if got := seqs(items); !slices.Equal(got, tt.want) {
					t.Errorf("seqs = %v, want %v", got, tt.want)
				}
				if next != "" {
					t.Errorf("next cursor = %q on the only page", next)
				}
			})
		}
	})
}

func TestRecordFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, clk := newLog(t, db)
		clk.Advance(1500 * time.Nanosecond) // below a microsecond is dropped
		actor := provA
		actor.IP = "192.0.2.7"
		actor.UserAgent = "Mozilla/5.0 \x00bad\xff"
		e := audit.Entry{Action: "clients.note.update", ObjectType: "note",
			ObjectID: "n-1", ProviderID: "p-a", ClientID: "c-1", Detail: "field=body"}
		record(t, l, actor, e)

		items, _, err := l.List(ctx, admin, audit.Filter{})
		if err != nil || len(items) != 1 {
			t.Fatalf("List = %d items, %v", len(items), err)
		}
		got := items[0]
		want := audit.Record{ID: got.ID, Seq: 1,
			At: start.Add(time.Microsecond), ActorID: "u-pa", ActorRole: "provider",
			Action: e.Action, ObjectType: "note", ObjectID: "n-1", ProviderID: "p-a",
			ClientID: "c-1", IP: "192.0.2.7", UserAgent: "Mozilla/5.0 bad\uFFFD",
			Detail: "field=body"}
		if !store.ValidID(got.ID) {
			t.Errorf("id %q is not a valid id", got.ID)
		}
		if !got.At.Equal(want.At) || got.At.Location() != time.UTC {
			t.Errorf("At = %v, want %v UTC", got.At, want.At)
		}
		got.At = want.At
		if got != want {
			t.Errorf("record =\n%+v\nwant\n%+v", got, want)
		}
		if n, err := l.Verify(ctx); err != nil || n != 1 {
			t.Errorf("Verify = %d, %v; want 1, nil", n, err)
		}
	})
}

func TestRecordRejectsEmptyAction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		l, _ := newLog(t, db)
		if err := l.Record(context.Background(), nil, admin, audit.Entry{}); err == nil {
			t.Error("Record accepted an entry without an action")
		}
	})
}

func TestRecordInCallersTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := newLog(t, db)
		change := func(tx *sql.Tx, name string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value,
				updated_at) VALUES ($1, $2, $3)`, name, "v", start)
			if err != nil {
				return err
			}
			return l.Record(ctx, tx, admin, audit.Entry{Action: "settings.setting.create",
				ObjectType: "setting", ObjectID: name})
		}

		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			if err := change(tx, "rolled-back"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		if err := db.InTx(ctx, func(tx *sql.Tx) error {
			return change(tx, "kept")
		}); err != nil {
			t.Fatal(err)
		}

		items, _, err := l.List(ctx, admin, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].ObjectID != "kept" || items[0].Seq != 1 {
			t.Errorf("entries = %+v, want only the committed one, seq 1", items)
		}
	})
}

func TestListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, clk := newLog(t, db)
		// Six entries an hour apart, alternating between two objects.
		for i := range 6 {
			obj := []string{"c-1", "c-2"}[i%2]
			record(t, l, provA, audit.Entry{Action: "clients.client.read",
				ObjectType: "client", ObjectID: obj, ProviderID: "p-a"})
			clk.Advance(time.Hour)
		}
		hour := func(n int) time.Time { return start.Add(time.Duration(n) * time.Hour) }

		tests := []struct {
			name   string
			filter audit.Filter
			want   []int64
		}{
			{"object", audit.Filter{ObjectID: "c-2"}, []int64{6, 4, 2}},
			{"from inclusive", audit.Filter{From: hour(3)}, []int64{6, 5, 4}},
			{"to exclusive", audit.Filter{To: hour(2)}, []int64{2, 1}},
			{"range", audit.Filter{From: hour(1), To: hour(4)}, []int64{4, 3, 2}},
			{"range and object", audit.Filter{ObjectID: "c-1", From: hour(1),
				To: hour(5)}, []int64{5, 3}},
			{"from in another zone", audit.Filter{
				From: hour(4).In(time.FixedZone("EST", -5*3600))}, []int64{6, 5}},
			{"no match", audit.Filter{ObjectID: "c-9"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				items, _, err := l.List(ctx, provA, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := seqs(items); !slices.Equal(got, tt.want) {
					t.Errorf("seqs = %v, want %v", got, tt.want)
				}
			})
		}
	})
}

func TestListPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := newLog(t, db)
		// 205 entries in one transaction, with provider B's mixed in.
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			for i := range 205 {
				actor, prov := provA, "p-a"
				if i%5 == 4 {
					actor, prov = provB, "p-b"
				}
				if err := l.Record(ctx, tx, actor, audit.Entry{
					Action: "clients.client.read", ProviderID: prov}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("pages of 3 until the end", func(t *testing.T) {
			var got []int64
			cursor, pages := "", 0
			for {
				items, next, err := l.List(ctx, provB, audit.Filter{Cursor: cursor, Limit: 3})
				if err != nil {
					t.Fatal(err)
				}
				pages++
				got = append(got, seqs(items)...)
				if next == "" {
					break
				}
				cursor = next
			}
			var want []int64
			for s := int64(205); s >= 1; s-- {
				if s%5 == 0 {
					want = append(want, s)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("seqs = %v, want %v", got, want)
			}
			if pages != 14 {
				t.Errorf("pages = %d, want 14 (41 entries, 3 a page)", pages)
			}
		})

		limits := []struct {
			name  string
			limit int
			want  int
		}{
			{"default", 0, audit.DefaultLimit},
			{"negative", -1, audit.DefaultLimit},
			{"small", 7, 7},
			{"capped", 1000, audit.MaxLimit},
		}
		for _, tt := range limits {
			t.Run("limit "+tt.name, func(t *testing.T) {
				items, next, err := l.List(ctx, admin, audit.Filter{Limit: tt.limit})
				if err != nil {
					t.Fatal(err)
				}
				if len(items) != tt.want || items[0].Seq != 205 {
					t.Errorf("got %d items from seq %d, want %d from 205",
						len(items), items[0].Seq, tt.want)
				}
				if next == "" {
					t.Error("no next cursor although more entries exist")
				}
			})
		}

		for _, bad := range []string{"x", "YTE6MA", "bm9wZTox", "%%"} {
			_, _, err := l.List(ctx, admin, audit.Filter{Cursor: bad})
			if !errors.Is(err, audit.ErrInvalidCursor) {
				t.Errorf("cursor %q: error = %v, want ErrInvalidCursor", bad, err)
			}
		}
	})
}
