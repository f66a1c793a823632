package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestTranslateErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		insert := func(tx *sql.Tx, id string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value, updated_at)
				VALUES ($1, $2, $3)`, id, "v", now)
			return err
		}
		if err := db.InTx(ctx, func(tx *sql.Tx) error { return insert(tx, "a") }); err != nil {
			t.Fatalf("first insert: %v", err)
		}
		err := db.InTx(ctx, func(tx *sql.Tx) error { return insert(tx, "a") })
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate insert: got %v, want ErrConflict", err)
		}

		var v string
		err = db.Reader().QueryRowContext(ctx,
			`SELECT value FROM settings WHERE name = $1`, "missing").Scan(&v)
		if !errors.Is(store.Translate(err), store.ErrNotFound) {
			t.Errorf("missing row: got %v, want ErrNotFound", err)
		}
	})
}

func TestInTxRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value, updated_at)
				VALUES ($1, $2, $3)`, "x", "y", time.Now().UTC()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v, want boom", err)
		}
		var n int
		if err := db.Reader().QueryRowContext(ctx,
			`SELECT COUNT(*) FROM settings`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("rows after rollback = %d, want 0", n)
		}
	})
}

func TestTimesRoundTripInUTC(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 8, 7, 30, 15, 123000000, time.UTC)
		if _, err := db.Writer().ExecContext(ctx, `INSERT INTO settings (name, value, updated_at)
			VALUES ($1, $2, $3)`, "t", "v", at); err != nil {
			t.Fatal(err)
		}
		var got time.Time
		if err := db.Reader().QueryRowContext(ctx,
			`SELECT updated_at FROM settings WHERE name = $1 AND updated_at >= $2`,
			"t", at.Add(-time.Millisecond)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(at) {
			t.Errorf("time = %v, want %v", got, at)
		}
	})
}

func TestIDs(t *testing.T) {
	a, b := store.NewID(), store.NewID()
	if a == b || !store.ValidID(a) || store.ValidID("1") || store.ValidID("") {
		t.Errorf("ids %q %q not unique or not valid", a, b)
	}
}
