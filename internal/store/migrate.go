package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// Migrations live in one ordered set per dialect. Each file is numbered;
// a change to the schema adds a file to both sets with the same number,
// and TestSchemasMatch holds the two sets to the same tables and columns.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

func (db *DB) provider() (*goose.Provider, error) {
	dir := "migrations/" + string(db.dialect)
	sub, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.write, sub)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// MigrationState is one migration and whether it has been applied.
type MigrationState struct {
	Version int64
	Name    string
	Applied bool
}

// MigrationStatus lists every known migration in order.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	status, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(status))
	for _, s := range status {
		out = append(out, MigrationState{
			Version: s.Source.Version,
			Name:    s.Source.Path,
			Applied: s.State == goose.StateApplied,
		})
	}
	return out, nil
}

// Pending reports how many migrations have not been applied; /readyz
// answers not ready while it is above zero.
func (db *DB) Pending(ctx context.Context) (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	has, err := p.HasPending(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: pending migrations: %w", err)
	}
	if !has {
		return 0, nil
	}
	status, err := p.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: pending migrations: %w", err)
	}
	n := 0
	for _, s := range status {
		if s.State != goose.StateApplied {
			n++
		}
	}
	return n, nil
}
