package main

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/store/storetest"
)

// result is what one run of the program produced.
type result struct {
	code           int
	stdout, stderr string
}

// instance is a data directory and database for a series of commands.
type instance struct {
	dir string
	env map[string]string
}

func newInstance(t *testing.T) *instance {
	t.Helper()
	dir := t.TempDir()
	return &instance{dir: dir, env: map[string]string{
		"TEND_DATA_DIR":  dir,
		"TEND_LOG_LEVEL": "warn",
	}}
}

// newPostgresInstance uses a fresh PostgreSQL database (or skips).
func newPostgresInstance(t *testing.T) *instance {
	t.Helper()
	in := newInstance(t)
	in.env["TEND_DATABASE_URL"] = storetest.PostgresURL(t)
	return in
}

// eachDatabase runs fn on a SQLite instance and a PostgreSQL one.
func eachDatabase(t *testing.T, fn func(t *testing.T, in *instance)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newInstance(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, newPostgresInstance(t)) })
}

// run runs the program with args and stdin.
func (in *instance) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return in.env[k] },
		strings.NewReader(stdin), &out, &errOut)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// must runs the program and fails the test unless it exits with want.
func (in *instance) must(t *testing.T, want int, args ...string) result {
	t.Helper()
	r := in.run(t, "", args...)
	if r.code != want {
		t.Fatalf("tend %s: exit %d, want %d\nstdout: %s\nstderr: %s",
			strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
	}
	return r
}

func (in *instance) sqlitePath() string { return filepath.Join(in.dir, "tend.db") }

func TestVersion(t *testing.T) {
	r := newInstance(t).must(t, exitOK, "version")
	if !strings.HasPrefix(r.stdout, "tend ") || !strings.Contains(r.stdout, runtime.Version()) {
		t.Errorf("version printed %q", r.stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout for exit 0, else stderr
	}{
		{name: "help", args: []string{"-h"}, code: exitOK, want: "Commands:"},
		{name: "command help", args: []string{"migrate", "-h"}, code: exitOK, want: "-database-url string"},
		{name: "user help", args: []string{"user", "-h"}, code: exitOK, want: "--password-stdin"},
		{name: "unknown command", args: []string{"frobnicate"}, code: exitUsage, want: "unknown command"},
		{name: "bad flag", args: []string{"serve", "--bogus"}, code: exitUsage, want: "-bogus"},
		{name: "bad config", args: []string{"--log-format", "xml"}, code: exitUsage, want: "--log-format"},
		{name: "migrate action", args: []string{"migrate", "sideways"}, code: exitUsage, want: "'up' or 'status'"},
		{name: "user needs role", args: []string{"user", "create", "--email", "a@example.com"},
			code: exitUsage, want: "--role"},
		{name: "user needs email", args: []string{"user", "disable"}, code: exitUsage, want: "--email"},
		{name: "backup needs path", args: []string{"backup"}, code: exitUsage, want: "PATH"},
		{name: "flags before command", args: []string{"--data-dir", "x", "migrate", "status"},
			code: exitUsage, want: "flags go after the command"},
		{name: "extra argument", args: []string{"version", "now"}, code: exitUsage, want: "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newInstance(t).must(t, tt.code, tt.args...)
			got := r.stderr
			if tt.code == exitOK {
				got = r.stdout
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("output %q does not mention %q", got, tt.want)
			}
		})
	}
}

func TestDatabaseUnreachable(t *testing.T) {
	in := newInstance(t)
	in.env["TEND_DATABASE_URL"] = "postgres://tend:hunter2secret@127.0.0.1:1/tend"
	r := in.must(t, exitFailure, "migrate", "status")
	if !strings.Contains(r.stderr, "127.0.0.1:1") || !strings.Contains(r.stderr, "--database-url") {
		t.Errorf("message does not name the host and flag: %s", r.stderr)
	}
	if strings.Contains(r.stderr, "hunter2secret") {
		t.Errorf("message leaks the password: %s", r.stderr)
	}
}

func TestMigrate(t *testing.T) {
	eachDatabase(t, func(t *testing.T, in *instance) {
		r := in.must(t, exitOK, "migrate", "status")
		if !strings.Contains(r.stdout, "pending") || strings.Contains(r.stdout, " 0 pending") {
			t.Errorf("status on a new database shows nothing pending:\n%s", r.stdout)
		}
		for range 2 {
			r = in.must(t, exitOK, "migrate", "up")
			if !strings.Contains(r.stdout, " 0 pending") {
				t.Errorf("migrate up left migrations pending:\n%s", r.stdout)
			}
		}
		r = in.must(t, exitOK, "migrate", "status")
		if !strings.Contains(r.stdout, "00001  applied") || !strings.Contains(r.stdout, " 0 pending") {
			t.Errorf("status after up:\n%s", r.stdout)
		}
	})
}

func TestDemoCommand(t *testing.T) {
	in := newInstance(t)
	r := in.must(t, exitOK, "demo")
	for _, want := range []string{"provider@demo.test", "client2@demo.test", "demo-password"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output does not list %s:\n%s", want, r.stdout)
		}
	}
	r = in.must(t, exitFailure, "demo")
	if !strings.Contains(r.stderr, "empty database") {
		t.Errorf("refusal does not explain itself: %s", r.stderr)
	}
}
