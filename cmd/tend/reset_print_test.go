package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/app"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/config"
)

func TestResetPasswordPrint(t *testing.T) {
	eachDatabase(t, func(t *testing.T, in *instance) {
		in.must(t, exitOK, "user", "create", "--email", "pat@example.org",
			"--role", "admin", "--name", "Pat Rivera")
		mailBefore, _ := filepath.Glob(filepath.Join(in.dir, "mail", "*.eml"))

		r := in.must(t, exitOK, "user", "reset-password", "--email", "pat@example.org", "--print")
		link := strings.TrimSpace(r.stdout)
		if strings.Count(r.stdout, "\n") != 1 || !strings.Contains(link, "/reset/") ||
			!strings.HasPrefix(link, "http") {
			t.Fatalf("stdout = %q, want one line holding a reset link", r.stdout)
		}
		if mail, _ := filepath.Glob(filepath.Join(in.dir, "mail", "*.eml")); len(mail) != len(mailBefore) {
			t.Errorf("--print mailed something: %d .eml files, want %d", len(mail), len(mailBefore))
		}
		token := link[strings.LastIndex(link, "/reset/")+len("/reset/"):]

		var detail string
		err := in.openDB(t).Reader().QueryRowContext(context.Background(),
			`SELECT detail FROM audit_log WHERE action = 'auth.password_reset_link'`).Scan(&detail)
		if err != nil {
			t.Fatalf("audit entry auth.password_reset_link: %v", err)
		}
		if strings.Contains(detail, token) {
			t.Errorf("audit detail holds the token: %q", detail)
		}

		a := openApp(t, in)
		ctx := context.Background()
		if err := a.Auth().ResetPassword(ctx, token, "quiet harbour lantern 42"); err != nil {
			t.Fatalf("printed link does not reset the password: %v", err)
		}
		if err := a.Auth().ResetPassword(ctx, token, "another calm meadow 77"); !errors.Is(err, auth.ErrTokenInvalid) {
			t.Errorf("second use of the link = %v, want %v", err, auth.ErrTokenInvalid)
		}
	})
}

func TestResetPasswordPrintRejectsPasswordStdin(t *testing.T) {
	in := newInstance(t)
	r := in.run(t, "quiet harbour lantern 42\n", "user", "reset-password",
		"--email", "pat@example.org", "--print", "--password-stdin")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--print") {
		t.Errorf("exit %d, stderr %s; want a usage error naming --print", r.code, r.stderr)
	}
}

// openApp builds the instance's app the way a command does.
func openApp(t *testing.T, in *instance) *app.App {
	t.Helper()
	cfg, _, err := config.Parse("user", nil, func(k string) string { return in.env[k] }, io.Discard)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}
