package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/tend-portal/tend/internal/app"
	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/store"
)

// positional takes a leading non-flag argument (tend migrate up --flags)
// or, failing that, the first one left after the flags
// (tend migrate --flags up). It returns "" when there is none.
func positional(args []string) (first string, flags []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// takeArg completes positional once the flags are parsed.
func takeArg(first string, rest []string) (string, []string) {
	if first != "" || len(rest) == 0 {
		return first, rest
	}
	return rest[0], rest[1:]
}

const migrateHelp = `Usage: tend migrate up|status [flags]

up      applies every pending migration (the server also does this at start)
status  lists each migration and whether it has been applied
`

func runMigrate(ctx context.Context, e *env, args []string) error {
	action, args := positional(args)
	cfg, rest, err := e.loadConfig("migrate", args, migrateHelp)
	if err != nil {
		return err
	}
	action, rest = takeArg(action, rest)
	if err := noArgs(rest); err != nil {
		return err
	}
	if action != "up" && action != "status" {
		return usagef("want 'up' or 'status', got %q", action)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()

	if action == "up" {
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		if err := jobs.Migrate(ctx, db); err != nil {
			return fmt.Errorf("apply job queue migrations: %w", err)
		}
	}
	states, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	pending := 0
	for _, s := range states {
		mark := "applied"
		if !s.Applied {
			mark = "pending"
			pending++
		}
		fmt.Fprintf(e.stdout, "%05d  %-8s %s\n", s.Version, mark, s.Name)
	}
	fmt.Fprintf(e.stdout, "%s database at %s: %d migrations, %d pending\n",
		db.Dialect(), app.RedactURL(cfg.DatabaseURL), len(states), pending)
	return nil
}

// openDB opens the configured database, creating the data directory
// for a SQLite file.
func openDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	if !cfg.UsesPostgres() {
		if err := os.MkdirAll(filepath.Dir(cfg.DatabaseURL), 0o700); err != nil {
			return nil, fmt.Errorf("create directory for %s (check --data-dir / --database-url): %w",
				cfg.DatabaseURL, err)
		}
	}
	return app.OpenDB(ctx, cfg)
}

const backupHelp = `Usage: tend backup PATH [flags]

Writes a consistent copy of the SQLite database to PATH (a new file)
while the server keeps running. For PostgreSQL use pg_dump.
`

func runBackup(ctx context.Context, e *env, args []string) error {
	target, args := positional(args)
	cfg, rest, err := e.loadConfig("backup", args, backupHelp)
	if err != nil {
		return err
	}
	target, rest = takeArg(target, rest)
	if err := noArgs(rest); err != nil {
		return err
	}
	if target == "" {
		return usagef("name the backup file: tend backup PATH")
	}
	if cfg.UsesPostgres() {
		return errors.New("online backup is for SQLite; this instance uses PostgreSQL, " +
			"so back it up with pg_dump (see the README)")
	}
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", target)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, target); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", target)
	return nil
}

func runVersion(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		if isHelp(args[0]) {
			fmt.Fprintln(e.stdout, "Usage: tend version")
			return nil
		}
		return usagef("unexpected argument %q", args[0])
	}
	fmt.Fprintln(e.stdout, versionString())
	return nil
}

// versionString describes the build: module version, commit and Go.
func versionString() string {
	version, revision, modified := "(devel)", "", false
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	out := "tend " + version
	if revision != "" {
		out += " commit " + revision[:min(12, len(revision))]
		if modified {
			out += " (modified)"
		}
	}
	return out + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
