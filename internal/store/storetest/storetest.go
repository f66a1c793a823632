// Package storetest opens real, migrated databases for tests: a SQLite
// file in a temporary directory and, when TEND_TEST_POSTGRES_URL is set,
// a fresh PostgreSQL database created for the test and dropped after it.
//
// Each runs a test body once per database, so every store test holds on
// both engines. Without PostgreSQL the postgres half is skipped, unless
// TEND_TEST_REQUIRE_ALL=1, where a missing database fails the run.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/tend-portal/tend/internal/store"
)

// RequireAll reports whether TEND_TEST_REQUIRE_ALL=1 is set, in which
// case a test must fail rather than skip when a dependency is missing.
func RequireAll() bool { return os.Getenv("TEND_TEST_REQUIRE_ALL") == "1" }

// Each runs fn as two subtests, "sqlite" and "postgres", each with its
// own migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "tend.db"))
}

// Postgres returns a migrated, empty PostgreSQL database of its own, or
// skips the test when no server is configured.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

// PostgresURL creates an empty PostgreSQL database for this test and
// returns its URL; the database is dropped when the test ends. Tests
// that start whole server processes use it to share one database.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEND_TEST_POSTGRES_URL")
	if base == "" {
		if RequireAll() {
			t.Fatal("TEND_TEST_POSTGRES_URL is not set and TEND_TEST_REQUIRE_ALL=1")
		}
		t.Skip("PostgreSQL not configured: set TEND_TEST_POSTGRES_URL")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open PostgreSQL: %v", err)
	}
	defer admin.Close()

	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "tend_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.ExecContext(context.Background(),
			"DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})

	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEND_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func open(t testing.TB, url string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}
