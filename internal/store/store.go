// Package store opens the database, applies migrations and runs
// transactions. It hides which database is underneath: SQLite (embedded,
// pure Go) or PostgreSQL (pgx), chosen by the URL alone.
//
// SQL in the areas is written once in a portable subset: $1-style
// placeholders (both drivers accept them), TIMESTAMP columns holding UTC,
// integer cents, TEXT ids. Errors come back as ErrNotFound or ErrConflict
// so no caller needs to know the driver.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names the database engine behind a DB.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Querier is what both *sql.DB and *sql.Tx offer; area functions that
// read or write take one so they run inside or outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is an open database with a pool for reads and one for writes.
// On SQLite the write pool has a single connection (SQLite allows one
// writer) and its transactions start with BEGIN IMMEDIATE; on
// PostgreSQL both are the same pool.
type DB struct {
	dialect Dialect
	read    *sql.DB
	write   *sql.DB
	pgx     *pgxpool.Pool // PostgreSQL only: the pool the job queue uses
	path    string        // SQLite only: the database file
}

// Open connects to the database named by url. An empty url, a plain file
// path or a sqlite: / file: URL opens SQLite; postgres:// or
// postgresql:// opens PostgreSQL. Open does not migrate; call Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return openPostgres(ctx, url)
	}
	return openSQLite(ctx, url)
}

func openSQLite(ctx context.Context, url string) (*DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite://"), "sqlite:")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, errors.New("store: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create database directory: %w", err)
		}
	}

	// Pragmas apply to every connection the driver opens. The page cache
	// is 32 MiB a connection (the default is 2 MiB), filled only as pages
	// are read: enough for the index pages a provider's client list
	// touches in an instance of 100,000 clients. No mmap: a file that
	// grows with every write is remapped at each read transaction, and
	// mapped pages skip the cache, which made the list slower.
	const pragmas = "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)" +
		"&_pragma=cache_size(-32768)&_pragma=temp_store(MEMORY)" +
		"&_time_format=sqlite"
	dsn := "file:" + path + "?" + pragmas
	write, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open SQLite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open SQLite: %w", err)
	}
	read.SetMaxOpenConns(8)

	db := &DB{dialect: SQLite, read: read, write: write, path: path}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: parse PostgreSQL URL: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	db := &DB{dialect: Postgres, read: sqldb, write: sqldb, pgx: pool}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Dialect reports which engine is underneath.
func (db *DB) Dialect() Dialect { return db.dialect }

// Reader returns the pool for queries that only read.
func (db *DB) Reader() *sql.DB { return db.read }

// Writer returns the pool for statements that change data.
func (db *DB) Writer() *sql.DB { return db.write }

// PgxPool returns the pgx pool on PostgreSQL and nil on SQLite. Only the
// job queue needs it.
func (db *DB) PgxPool() *pgxpool.Pool { return db.pgx }

// Path returns the SQLite database file, or "" on PostgreSQL.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("store: database unreachable: %w", err)
	}
	return nil
}

// Close closes every pool.
func (db *DB) Close() error {
	var errs []error
	if db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	if db.pgx != nil {
		db.pgx.Close()
	}
	return errors.Join(errs...)
}

// InTx runs fn in a write transaction and commits it when fn returns nil.
// Any error rolls everything back, so a rejected request leaves nothing
// half-written. The returned error is translated (see Translate).
func (db *DB) InTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return Translate(fmt.Errorf("store: begin: %w", err))
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return Translate(err)
	}
	if err := tx.Commit(); err != nil {
		return Translate(fmt.Errorf("store: commit: %w", err))
	}
	return nil
}

// Backup writes a consistent copy of a SQLite database to path while the
// server keeps running (VACUUM INTO). It is not available on PostgreSQL,
// whose own tools (pg_dump) do this job.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return errors.New("store: online backup is for SQLite; use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup target %s already exists", path)
	}
	if _, err := db.write.ExecContext(ctx, "VACUUM INTO $1", path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}
