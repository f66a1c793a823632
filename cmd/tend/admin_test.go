package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
)

// openDB opens the instance's database for checks made behind the
// program's back.
func (in *instance) openDB(t *testing.T) *store.DB {
	t.Helper()
	url := in.env["TEND_DATABASE_URL"]
	if url == "" {
		url = in.sqlitePath()
	}
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func emails(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Reader().QueryContext(context.Background(), `SELECT email FROM users`)
	if err != nil {
		t.Fatalf("list users: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			t.Fatalf("scan: %v", err)
		}
		out = append(out, e)
	}
	slices.Sort(out)
	return out
}

func TestUserCreateAndDisable(t *testing.T) {
	in := newInstance(t)
	const password = "quiet harbour lantern 42"
	r := in.run(t, password+"\n", "user", "create", "--email", "Ops@Example.com",
		"--role", "admin", "--name", "Ops Person", "--password-stdin")
	if r.code != exitOK || !strings.Contains(r.stdout, "created admin account ops@example.com") {
		t.Fatalf("create: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = in.run(t, password+"\n", "user", "create", "--email", "ops@example.com",
		"--role", "admin", "--password-stdin")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--email") {
		t.Errorf("duplicate create: exit %d, stderr %s", r.code, r.stderr)
	}
	r = in.run(t, "short\n", "user", "create", "--email", "second@example.com",
		"--role", "admin", "--password-stdin")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--password-stdin") {
		t.Errorf("weak password: exit %d, stderr %s", r.code, r.stderr)
	}

	in.must(t, exitOK, "user", "create", "--email", "pat@example.org",
		"--role", "provider", "--name", "Pat Q. Rivera")
	mail, _ := filepath.Glob(filepath.Join(in.dir, "mail", "*.eml"))
	if len(mail) == 0 {
		t.Error("no reset link was mailed to the new provider without a password")
	}

	in.must(t, exitOK, "user", "disable", "--email", "ops@example.com")
	db := in.openDB(t)
	var disabled bool
	err := db.Reader().QueryRowContext(context.Background(),
		`SELECT disabled_at IS NOT NULL FROM users WHERE email = $1`, "ops@example.com").Scan(&disabled)
	if err != nil || !disabled {
		t.Errorf("account not disabled: %v, %v", disabled, err)
	}
	r = in.must(t, exitFailure, "user", "disable", "--email", "nobody@example.com")
	if !strings.Contains(r.stderr, "no account") {
		t.Errorf("unknown email: %s", r.stderr)
	}
}

func TestAuditVerify(t *testing.T) {
	eachDatabase(t, func(t *testing.T, in *instance) {
		in.must(t, exitOK, "demo")
		r := in.must(t, exitOK, "audit", "verify")
		m := regexp.MustCompile(`audit chain intact: (\d+) entries`).FindStringSubmatch(r.stdout)
		if m == nil || m[1] == "0" {
			t.Fatalf("verify output %q", r.stdout)
		}

		// Tamper with row 2 the way an intruder with database access
		// would: lift the append-only guard, then edit the row.
		db := in.openDB(t)
		drop := `DROP TRIGGER audit_log_no_update`
		if db.Dialect() == store.Postgres {
			drop = `DROP TRIGGER audit_log_append_only ON audit_log`
		}
		ctx := context.Background()
		if _, err := db.Writer().ExecContext(ctx, drop); err != nil {
			t.Fatalf("drop trigger: %v", err)
		}
		if _, err := db.Writer().ExecContext(ctx,
			`UPDATE audit_log SET detail = 'edited' WHERE seq = 2`); err != nil {
			t.Fatalf("tamper: %v", err)
		}
		r = in.must(t, exitFailure, "audit", "verify")
		if !strings.Contains(r.stderr, "seq 2") {
			t.Errorf("verify did not name seq 2: %s", r.stderr)
		}
	})
}

func TestKeysRotate(t *testing.T) {
	in := newInstance(t)
	r := in.must(t, exitFailure, "keys", "rotate")
	if !strings.Contains(r.stderr, "--secret-key-file") {
		t.Errorf("rotate without a key file: %s", r.stderr)
	}
	in.must(t, exitOK, "migrate", "up")
	in.must(t, exitOK, "demo") // creates the key ring
	first := in.must(t, exitOK, "keys", "rotate").stdout
	second := in.must(t, exitOK, "keys", "rotate").stdout
	if first == second || !strings.Contains(first, "new primary key") {
		t.Fatalf("rotations printed %q and %q", first, second)
	}
	data, err := os.ReadFile(filepath.Join(in.dir, "secret.keys"))
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{first, second} {
		id := strings.Fields(out)[3]
		if !bytes.Contains(data, []byte(id)) {
			t.Errorf("key %s is not in the key file", id)
		}
	}
	// The server still starts with the rotated ring.
	in.must(t, exitOK, "user", "reset-password", "--email", "admin@demo.test")
}

func TestBackup(t *testing.T) {
	in := newInstance(t)
	in.must(t, exitOK, "demo")
	target := filepath.Join(t.TempDir(), "copy.db")
	in.must(t, exitOK, "backup", target)

	copyDB, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer copyDB.Close()
	if got, want := emails(t, copyDB), emails(t, in.openDB(t)); !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("backup users %v, want %v", got, want)
	}
	if r := in.must(t, exitFailure, "backup", target); !strings.Contains(r.stderr, "already exists") {
		t.Errorf("second backup: %s", r.stderr)
	}

	pg := newInstance(t)
	pg.env["TEND_DATABASE_URL"] = "postgres://tend@127.0.0.1:1/tend"
	if r := pg.must(t, exitFailure, "backup", target+"2"); !strings.Contains(r.stderr, "pg_dump") {
		t.Errorf("backup on PostgreSQL: %s", r.stderr)
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine to write
// while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeDemo(t *testing.T) {
	in := newInstance(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--demo", "--addr", "127.0.0.1:0"},
			func(k string) string { return in.env[k] }, strings.NewReader(""), &out, &errOut)
	}()

	// Wait for the banner; run ends early (and the test fails) on error.
	url := waitForURL(t, &out, done, &errOut)
	resp, err := httpGet(url + "/healthz")
	if err != nil || resp != 200 {
		t.Errorf("GET /healthz: %d, %v", resp, err)
	}
	if !strings.Contains(out.String(), "provider@demo.test") {
		t.Errorf("serve --demo did not print the sign-ins:\n%s", out.String())
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("serve exited %d after cancel: %s", code, errOut.String())
	}
}

// waitForURL polls the server's output for the address it printed. If
// the server exits first, the test fails with its error output.
func waitForURL(t *testing.T, out *syncBuffer, done <-chan int, errOut *syncBuffer) string {
	t.Helper()
	re := regexp.MustCompile(`running at (http://\S+)`)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening: %s", code, errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// httpGet returns the status code of a GET.
func httpGet(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
