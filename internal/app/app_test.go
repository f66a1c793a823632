package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/demo"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// demoConfig is a demo-mode configuration on a loopback port chosen by
// the system, over databaseURL ("" for SQLite in a temporary directory).
func demoConfig(t *testing.T, databaseURL string) config.Config {
	t.Helper()
	args := []string{"--demo", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(),
		"--clock", "2026-03-02T09:00:00-05:00"}
	if databaseURL != "" {
		args = append(args, "--database-url", databaseURL)
	}
	cfg, _, err := config.Parse("serve", args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// running is a started App.
type running struct {
	app    *App
	url    string
	cancel context.CancelFunc
	done   chan struct{} // closed when Run has returned
	err    error         // what Run returned
}

// start builds an App with demo data, lets prepare adjust it, and runs
// it until the test stops it (or ends).
func start(t *testing.T, cfg config.Config, prepare func(*App)) *running {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := New(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	if err := demo.Load(ctx, demo.Deps{DB: a.DB(), Clock: a.Clock(), Auth: a.Auth(),
		Messages: a.Messaging()}); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	if prepare != nil {
		prepare(a)
	}
	if _, err := a.Listen(); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	r := &running{app: a, url: a.URL(), cancel: cancel, done: make(chan struct{})}
	go func() {
		r.err = a.Run(runCtx)
		close(r.done)
	}()
	t.Cleanup(func() { _ = r.stop() })
	return r
}

// stop cancels the run and returns what Run returned.
func (r *running) stop() error {
	r.cancel()
	<-r.done
	return r.err
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeDemo(t *testing.T) {
	for _, db := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(*testing.T) string { return "" }},
		{"postgres", func(t *testing.T) string { return storetest.PostgresURL(t) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			r := start(t, demoConfig(t, db.url(t)), nil)
			if !strings.HasPrefix(r.url, "http://127.0.0.1:") || strings.HasSuffix(r.url, ":0") {
				t.Fatalf("URL %q does not carry the real port", r.url)
			}

			plain := &http.Client{}
			for _, path := range []string{"/healthz", "/readyz", "/login"} {
				if code, _ := get(t, plain, r.url+path); code != http.StatusOK {
					t.Errorf("GET %s = %d, want 200", path, code)
				}
			}
			signIn(t, r.url, "provider@demo.test")

			if err := r.stop(); err != nil {
				t.Fatalf("Run returned %v after shutdown", err)
			}
			if err := r.app.DB().Ping(context.Background()); err == nil {
				t.Error("database still open after Run returned")
			}
		})
	}
}

// signIn posts the login form and checks the dashboard is shown.
func signIn(t *testing.T, base, email string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(base+"/login", url.Values{
		"email": {email}, "password": {demo.Password},
	})
	if err != nil {
		t.Fatalf("POST /login: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/dashboard" {
		t.Fatalf("sign-in as %s ended at %s with %d:\n%.2000s",
			email, resp.Request.URL.Path, resp.StatusCode, body)
	}
	if code, page := get(t, c, base+"/dashboard"); code != http.StatusOK ||
		!strings.Contains(page, "Dashboard") {
		t.Errorf("GET /dashboard = %d", code)
	}
}

// TestShutdownFinishesInFlightRequests holds a request open across the
// start of shutdown and checks that it still gets its full answer.
func TestShutdownFinishesInFlightRequests(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	r := start(t, demoConfig(t, ""), func(a *App) {
		site := a.handler
		mux := http.NewServeMux()
		mux.Handle("/", site)
		mux.HandleFunc("GET /test/slow", func(w http.ResponseWriter, _ *http.Request) {
			close(started)
			<-release
			io.WriteString(w, "finished")
		})
		a.handler = mux
	})

	type answer struct {
		code int
		body string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.Get(r.url + "/test/slow")
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- answer{resp.StatusCode, string(b), err}
	}()
	<-started
	r.cancel()

	// Once the listener refuses connections, shutdown has begun; only
	// then may the held request finish.
	addr := strings.TrimPrefix(r.url, "http://")
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		conn.Close()
		time.Sleep(10 * time.Millisecond)
	}
	close(release)

	got := <-answered
	if got.err != nil || got.code != http.StatusOK || got.body != "finished" {
		t.Errorf("in-flight request: %d %q %v", got.code, got.body, got.err)
	}
	if err := r.stop(); err != nil {
		t.Errorf("Run returned %v", err)
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"password", "postgres://tend:s3cret@db.internal:5432/tend?sslmode=require",
			"postgres://tend:xxxxx@db.internal:5432/tend"},
		{"no password", "postgres://tend@db.internal/tend", "postgres://tend@db.internal/tend"},
		{"sqlite path", "tend-data/tend.db", "tend-data/tend.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedactURL(tt.in); got != tt.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
