package jobs

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/tend-portal/tend/internal/store"
)

// Migrate creates or upgrades River's own tables (river_job,
// river_leader, river_queue, …) in db. It is separate from store.Migrate
// because River versions its schema itself; run both at start-up.
func Migrate(ctx context.Context, db *store.DB) error {
	var err error
	switch db.Dialect() {
	case store.SQLite:
		err = migrateUp(ctx, riversqlite.New(db.Writer()))
	case store.Postgres:
		err = migrateUp(ctx, riverpgxv5.New(db.PgxPool()))
	default:
		return fmt.Errorf("jobs: unsupported dialect %q", db.Dialect())
	}
	if err != nil {
		return fmt.Errorf("jobs: migrate River tables: %w", err)
	}
	return nil
}

func migrateUp[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}
