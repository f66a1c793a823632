package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

func TestSecurityHeaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db, nil)
		s.admin("admin@example.org")
		b := s.browser()
		for _, path := range []string{"/login", "/nope", "/healthz", "/forgot"} {
			p := b.get(path)
			for header, value := range map[string]string{
				"Content-Security-Policy": wantCSP,
				"X-Frame-Options":         "DENY",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
			} {
				if got := p.Header.Get(header); got != value {
					t.Errorf("GET %s: %s = %q, want %q", path, header, got, value)
				}
			}
			if p.Header.Get("Permissions-Policy") == "" {
				t.Errorf("GET %s: no Permissions-Policy", path)
			}
			if got := p.Header.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("GET %s: HSTS %q without TLS", path, got)
			}
		}
		// No inline script or style anywhere in a page.
		body := b.get("/login").body
		for _, bad := range []string{"<script>", "style=", "onclick=", "<style"} {
			if strings.Contains(body, bad) {
				t.Errorf("login page contains %q", bad)
			}
		}
	})
}

func TestHSTSUnderTLS(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), func(c *config.Config) {
		c.TLSCertFile, c.TLSKeyFile = "cert.pem", "key.pem"
	})
	p := s.browser().get("/healthz")
	if got := p.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q under TLS", got)
	}
}

func TestCrossOriginRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db, nil)
		s.admin("admin@example.org")
		s.provider("dana@example.org")
		b := s.browser()
		b.signIn("dana@example.org", "/dashboard")
		form := url.Values{"email": {"dana@example.org"}, "password": {goodPass}}

		tests := []struct {
			name    string
			path    string
			headers []string
		}{
			{"sec-fetch-site cross-site login", "/login", []string{"Sec-Fetch-Site", "cross-site"}},
			{"foreign origin login", "/login", []string{"Origin", "https://evil.example"}},
			{"foreign origin logout", "/logout", []string{"Origin", "https://evil.example"}},
			{"cross-site sign out everywhere", "/logout/all", []string{"Sec-Fetch-Site", "cross-site"}},
			{"same-site is not same-origin", "/settings/password",
				[]string{"Sec-Fetch-Site", "same-site"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := b.post(tt.path, form, tt.headers...)
				want(t, p, http.StatusForbidden, "Not allowed")
			})
		}
		// The refused sign-outs left the session alone.
		want(t, b.get("/dashboard"), http.StatusOK)

		// A same-origin browser request passes.
		p := b.post("/session/keepalive", nil, "Sec-Fetch-Site", "same-origin",
			"Origin", s.srv.URL)
		if p.StatusCode != http.StatusNoContent {
			t.Fatalf("same-origin keepalive: %d, want 204", p.StatusCode)
		}
	})
}

func TestIdleExpiry(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	// Activity, including the keep-alive, moves the idle limit.
	s.clk.Advance(14 * time.Minute)
	if p := b.post("/session/keepalive", nil); p.StatusCode != http.StatusNoContent {
		t.Fatalf("keepalive: %d, want 204", p.StatusCode)
	}
	s.clk.Advance(14 * time.Minute)
	want(t, b.get("/dashboard"), http.StatusOK)

	// Sixteen quiet minutes end the session.
	s.clk.Advance(16 * time.Minute)
	p := b.get("/dashboard")
	wantRedirect(t, p, "/login?expired=1&next=%2Fdashboard")
	if c := p.Header.Get("Set-Cookie"); !strings.Contains(c, "tend_session=;") {
		t.Errorf("expired session cookie not cleared: %q", c)
	}
	want(t, b.get("/login?expired=1"), http.StatusOK, "signed out after 15 minutes")
	if p := b.post("/session/keepalive", nil); p.StatusCode != http.StatusUnauthorized {
		t.Fatalf("keepalive after expiry: %d, want 401", p.StatusCode)
	}
}

func TestNextRedirect(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	tests := []struct {
		name, next, want string
	}{
		{"local path", "/settings/sessions", "/settings/sessions"},
		{"local path with query", "/settings/activity?from=2026-03-01", "/settings/activity?from=2026-03-01"},
		{"absolute url", "https://evil.example/", "/dashboard"},
		{"scheme relative", "//evil.example/x", "/dashboard"},
		{"backslash", "/\\evil.example", "/dashboard"},
		{"javascript", "javascript:alert(1)", "/dashboard"},
		{"encoded newline", "/x\r\nLocation: https://evil.example", "/dashboard"},
		{"empty", "", "/dashboard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := s.browser()
			p := b.post("/login", url.Values{"email": {"dana@example.org"},
				"password": {goodPass}, "next": {tt.next}})
			wantRedirect(t, p, tt.want)
			// The login page never echoes a foreign next into its form.
			page := b.get("/login?next=" + url.QueryEscape(tt.next))
			if tt.want == "/dashboard" && tt.next != "" && strings.Contains(page.body, "evil.example") {
				t.Errorf("login page echoes %q", tt.next)
			}
		})
	}
}

func TestErrorPages(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	b := s.browser()
	notFound := b.get("/no/such/page")
	want(t, notFound, http.StatusNotFound, "Page not found", `id="request-id"`)
	if id := notFound.Header.Get("X-Request-Id"); id == "" || !strings.Contains(notFound.body, id) {
		t.Errorf("404 page lacks the request id %q", id)
	}
	for _, leak := range []string{"goroutine", ".go:", "panic"} {
		if strings.Contains(notFound.body, leak) {
			t.Errorf("404 page contains %q", leak)
		}
	}
	wrongMethod := b.post("/healthz", nil)
	want(t, wrongMethod, http.StatusMethodNotAllowed, "Method not allowed")
	if allow := wrongMethod.Header.Get("Allow"); !strings.Contains(allow, "GET") {
		t.Errorf("405 Allow = %q", allow)
	}
	// A body over the limit is refused before a handler reads it.
	big := b.post("/login", url.Values{"email": {strings.Repeat("a", 2<<20)}})
	want(t, big, http.StatusRequestEntityTooLarge)
}

func TestRequestIDAndLog(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	b := s.browser()

	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/login?next=%2Fsecret-path", nil)
	req.Header.Set("X-Request-Id", "abc-123-def-456")
	p := b.do(req)
	if got := p.Header.Get("X-Request-Id"); got != "abc-123-def-456" {
		t.Errorf("X-Request-Id = %q, want the caller's", got)
	}
	req, _ = http.NewRequest(http.MethodGet, s.srv.URL+"/login", nil)
	req.Header.Set("X-Request-Id", "bad id; forged=1")
	if got := b.do(req).Header.Get("X-Request-Id"); got == "" || strings.Contains(got, "forged") {
		t.Errorf("X-Request-Id = %q, want a fresh id", got)
	}

	logs := s.logs.String()
	for _, want := range []string{`route="GET /login"`, "request_id=abc-123-def-456",
		"status=200", "duration_ms=", "method=GET"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "secret-path") {
		t.Errorf("log contains the query string:\n%s", logs)
	}
}

func TestMetrics(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	b := s.browser()
	b.get("/login")
	b.get("/nope")
	p := b.get("/metrics")
	want(t, p, http.StatusOK,
		`tend_http_requests_total{method="GET",route="GET /login",status="200"} 1`,
		`tend_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`tend_http_request_duration_seconds_bucket{route="GET /login"`)
}

func TestStaticAssets(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	b := s.browser()
	login := b.get("/login").body
	for _, pattern := range []string{`href="(/static/app\.[0-9a-f]{12}\.css)"`,
		`src="(/static/app\.[0-9a-f]{12}\.js)"`} {
		m := regexp.MustCompile(pattern).FindStringSubmatch(login)
		if m == nil {
			t.Fatalf("login page does not link %s", pattern)
		}
		p := b.get(m[1])
		want(t, p, http.StatusOK)
		if cc := p.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s Cache-Control = %q", m[1], cc)
		}
	}
	want(t, b.get("/static/app.css"), http.StatusNotFound)
}

func TestRoleSeparation(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	p := s.provider("dana@example.org")
	s.client("sam@example.org", p.ProviderID)

	client := s.browser()
	client.signIn("sam@example.org", "/portal")
	want(t, client.get("/portal"), http.StatusOK, "Welcome, Sam Lee")
	for _, path := range []string{"/dashboard", "/clients", "/messages", "/payouts",
		"/settings/profile", "/admin", "/admin/audit"} {
		want(t, client.get(path), http.StatusNotFound, "Page not found")
	}
	want(t, client.get("/settings"), http.StatusOK, "Account settings")
	want(t, client.get("/portal/billing"), http.StatusOK, `id="coming"`)
	want(t, client.get("/portal/messages"), http.StatusOK, `id="crisis-note"`)
	want(t, client.get("/attachments/"+store.NewID()), http.StatusNotFound)
	want(t, client.get("/portal/appointments"), http.StatusOK, `id="portal-upcoming"`)
	for _, path := range []string{"/appointments", "/appointments/new", "/settings/availability",
		"/settings/calendar"} {
		want(t, client.get(path), http.StatusNotFound, "Page not found")
	}
	want(t, client.get("/portal/forms"), http.StatusOK, `id="forms-todo"`)

	provider := s.browser()
	provider.signIn("dana@example.org", "/dashboard")
	for _, path := range []string{"/portal", "/portal/messages", "/portal/forms", "/portal/appointments",
		"/admin", "/admin/audit"} {
		want(t, provider.get(path), http.StatusNotFound)
	}
}

func TestReadyz(t *testing.T) {
	db := storetest.SQLite(t)
	s := newSite(t, db, nil)
	p := s.browser().get("/readyz")
	want(t, p, http.StatusOK, `{"status":"ready"}`)
	if err := db.Close(); err != nil {
		t.Fatalf("close db: %v", err)
	}
	p = s.browser().get("/readyz")
	want(t, p, http.StatusServiceUnavailable, `"status":"unavailable"`, `"reason":"database unreachable"`)
}
