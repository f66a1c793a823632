package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tend-portal/tend/internal/app"
	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/demo"
)

// clockStart is where every test server's demo clock starts, so the
// demo data and the test clock are the same on every run.
const clockStart = "2026-03-02T09:00:00-05:00"

// Demo accounts the tests sign in as.
const (
	providerEmail  = "provider@demo.test"
	provider2Email = "provider2@demo.test"
	adminEmail     = "admin@demo.test"
)

// server is a running Tend: the real program in demo mode with SQLite
// in a temporary directory, on a loopback port.
type server struct {
	url  string
	http *http.Client
	app  *app.App // for setting up what the pages cannot do yet
}

// startServer builds the app as `tend serve --demo --clock …` does, loads
// the demo data, and serves it until the test ends.
func startServer(t *testing.T) *server {
	t.Helper()
	args := []string{"--demo", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(),
		"--clock", clockStart, "--log-level", "warn"}
	cfg, _, err := config.Parse("serve", args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: cfg.LogLevel}))
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	if err := demo.Load(ctx, demo.Deps{DB: a.DB(), Clock: a.Clock(), Auth: a.Auth(),
		Messages: a.Messaging()}); err != nil {
		t.Fatalf("load demo data: %v", err)
	}
	if _, err := a.Listen(); err != nil {
		t.Fatalf("listen: %v", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server shutdown: %v", err)
		}
	})
	return &server{url: a.URL(), http: &http.Client{Timeout: 20 * time.Second}, app: a}
}

// apiCall sends a JSON request to the API and decodes a JSON answer
// into out (when not nil), failing the test on any status but want.
func (s *server) apiCall(t *testing.T, method, path, token string, body, out any, want int) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("encode %s body: %v", path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
}

// adminToken signs the demo administrator in to the API.
func (s *server) adminToken(t *testing.T) string {
	t.Helper()
	var got struct {
		Token string `json:"token"`
	}
	s.apiCall(t, http.MethodPost, "/api/v1/auth/token", "",
		map[string]string{"email": adminEmail, "password": demo.Password}, &got, http.StatusCreated)
	if got.Token == "" {
		t.Fatal("POST /api/v1/auth/token gave no token")
	}
	return got.Token
}

// clockAnswer is what GET and POST /api/v1/demo/clock return.
type clockAnswer struct {
	Now time.Time `json:"now"`
}

// advanceClock moves the server's demo clock forward by d, as an
// administrator, and returns the new reading.
func (s *server) advanceClock(t *testing.T, token string, d time.Duration) time.Time {
	t.Helper()
	var got clockAnswer
	s.apiCall(t, http.MethodPost, "/api/v1/demo/clock", token,
		map[string]string{"advance": d.String()}, &got, http.StatusOK)
	return got.Now
}

// now reads the server's demo clock.
func (s *server) now(t *testing.T, token string) time.Time {
	t.Helper()
	var got clockAnswer
	s.apiCall(t, http.MethodGet, "/api/v1/demo/clock", token, nil, &got, http.StatusOK)
	return got.Now
}

// totpCode is the code an authenticator app holding secret shows at
// the instant at.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatalf("generate TOTP code: %v", err)
	}
	return code
}

// wrongCode returns a six-digit code that is valid at none of the
// steps around at, so the server must refuse it.
func wrongCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	valid := map[string]bool{}
	for step := -2; step <= 2; step++ {
		valid[totpCode(t, secret, at.Add(time.Duration(step)*30*time.Second))] = true
	}
	for n := 123456; ; n++ {
		if c := fmt.Sprintf("%06d", n%1000000); !valid[c] {
			return c
		}
	}
}
