package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestFirstRunGate(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	b := s.browser()

	// Before setup every page leads to /setup; probes and assets do not.
	for _, path := range []string{"/", "/login", "/dashboard", "/settings", "/nope"} {
		wantRedirect(t, b.get(path), "/setup")
	}
	want(t, b.get("/healthz"), http.StatusOK, "ok")
	want(t, b.get("/readyz"), http.StatusOK, `"ready"`)
	want(t, b.get("/metrics"), http.StatusOK)
	setup := b.get("/setup")
	want(t, setup, http.StatusOK, `id="setup"`, `name="email"`, `for="setup-email"`)

	// A mistake is shown next to its field.
	bad := b.post("/setup", url.Values{"display_name": {"Alex"}, "email": {"alex@example.org"},
		"password": {goodPass}, "confirm": {"something-else-entirely"}})
	want(t, bad, http.StatusUnprocessableEntity, `aria-describedby="setup-confirm-error"`,
		`id="setup-confirm-error"`, "do not match", `value="alex@example.org"`)
	weak := b.post("/setup", url.Values{"display_name": {"Alex"}, "email": {"alex@example.org"},
		"password": {"short"}, "confirm": {"short"}})
	want(t, weak, http.StatusUnprocessableEntity, `id="setup-password-error"`)

	ok := b.post("/setup", url.Values{"display_name": {"Alex"}, "email": {"alex@example.org"},
		"password": {goodPass}, "confirm": {goodPass}})
	wantRedirect(t, ok, "/admin")

	// Set up: /setup is gone and the admin must enrol two-factor first.
	want(t, b.get("/setup"), http.StatusNotFound, "Page not found")
	want(t, s.browser().post("/setup", url.Values{}), http.StatusNotFound)
	wantRedirect(t, b.get("/admin"), "/settings/mfa")
	want(t, b.get("/settings/mfa"), http.StatusOK, `id="mfa-required"`)
	wantRedirect(t, s.browser().get("/dashboard"), "/login?next=%2Fdashboard")
}

func TestSignInAndOut(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()

	login := b.get("/login")
	want(t, login, http.StatusOK, `<form method="post" action="/login" id="login"`,
		`name="email"`, `name="password"`, `type="submit"`, `<main id="main"`, "Skip to main content")

	wrong := b.post("/login", url.Values{"email": {"dana@example.org"}, "password": {"not-the-password"}})
	want(t, wrong, http.StatusUnauthorized, "Email or password is incorrect", `value="dana@example.org"`)
	unknown := b.post("/login", url.Values{"email": {"nobody@example.org"}, "password": {goodPass}})
	want(t, unknown, http.StatusUnauthorized, "Email or password is incorrect")
	empty := b.post("/login", url.Values{"email": {""}, "password": {""}})
	want(t, empty, http.StatusUnprocessableEntity, `id="login-email-error"`, `id="login-password-error"`)

	b.signIn("dana@example.org", "/dashboard")
	cookie := b.client.Jar.Cookies(mustURL(t, s.srv.URL))
	if len(cookie) != 1 || cookie[0].Name != "tend_session" {
		t.Fatalf("cookies = %v, want one tend_session", cookie)
	}

	// 14:00 UTC is 09:00 on Monday in New York.
	dash := b.get("/dashboard")
	want(t, dash, http.StatusOK, "Good morning, Dana", "Monday, 2 March 2026",
		"Turn on two-factor authentication", `aria-current="page"`, `id="logout"`,
		`<nav class="sidebar" aria-label="Main"`, `data-idle-seconds="900"`)
	for _, path := range []string{"/messages", "/clients", "/appointments", "/payouts",
		"/community", "/settings/profile", "/settings/forms", "/settings"} {
		want(t, b.get(path), http.StatusOK, `id="account-menu"`)
	}
	wantRedirect(t, b.get("/login"), "/dashboard")
	wantRedirect(t, b.get("/"), "/dashboard")

	wantRedirect(t, b.post("/logout", nil), "/login?signed_out=1")
	wantRedirect(t, b.get("/dashboard"), "/login?next=%2Fdashboard")
	want(t, b.get("/login?signed_out=1"), http.StatusOK, "You have signed out.")
}

func TestSignInSetsCookieAttributes(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	p := s.browser().post("/login", url.Values{"email": {"dana@example.org"}, "password": {goodPass}})
	c := p.Header.Get("Set-Cookie")
	for _, attr := range []string{"tend_session=", "Path=/", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(c, attr) {
			t.Errorf("Set-Cookie %q lacks %s", c, attr)
		}
	}
	if strings.Contains(c, "Secure") {
		t.Errorf("Set-Cookie %q is Secure without TLS", c)
	}
}

func TestLockout(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	var last page
	for range 6 {
		last = b.post("/login", url.Values{"email": {"dana@example.org"}, "password": {"wrong-password-x"}})
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	want(t, last, http.StatusTooManyRequests, "Too many sign-in attempts", `id="form-error"`)
	if last.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Locked: even the right password is refused until the lock expires.
	locked := b.post("/login", url.Values{"email": {"dana@example.org"}, "password": {goodPass}})
	want(t, locked, http.StatusTooManyRequests, "Try again in")
	s.clk.Advance(16 * time.Minute)
	b.signIn("dana@example.org", "/dashboard")
}

func TestMFAFlow(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	// Enrol: the secret shows as text, as a link and as a QR image.
	want(t, b.get("/settings/mfa"), http.StatusOK, `id="mfa-off"`)
	setup := b.post("/settings/mfa/setup", nil)
	want(t, setup, http.StatusOK, `src="data:image/png;base64,`, "otpauth://totp/")
	secret := textOf(t, setup.body, "mfa-secret")
	uri := textOf(t, setup.body, "mfa-uri")

	confirm := url.Values{"secret": {secret}, "uri": {strings.ReplaceAll(uri, "&amp;", "&")}}
	confirm.Set("code", "000000")
	if c, _ := totp.GenerateCode(secret, s.clk.Now()); c == "000000" {
		confirm.Set("code", "111111")
	}
	wrong := b.post("/settings/mfa/confirm", confirm)
	want(t, wrong, http.StatusUnprocessableEntity, `id="mfa-confirm-code-error"`, secret)

	code, err := totp.GenerateCode(secret, s.clk.Now())
	if err != nil {
		t.Fatalf("generate code: %v", err)
	}
	confirm.Set("code", code)
	codes := b.post("/settings/mfa/confirm", confirm)
	want(t, codes, http.StatusOK, `id="recovery-codes"`)
	recovery := regexpAll(codes.body, `<li>([a-z2-9]{5}-[a-z2-9]{5})</li>`)
	if len(recovery) != 10 {
		t.Fatalf("got %d recovery codes, want 10", len(recovery))
	}
	want(t, b.get("/settings/mfa"), http.StatusOK, `id="mfa-on"`)
	if strings.Contains(b.get("/dashboard").body, "Turn on two-factor") {
		t.Error("dashboard still asks to turn on two-factor")
	}

	// Sign in again: the password alone reaches only the second step.
	wantRedirect(t, b.post("/logout", nil), "/login?signed_out=1")
	b.signIn("dana@example.org", "/login/mfa")
	wantRedirect(t, b.get("/dashboard"), "/login/mfa")
	want(t, b.get("/login/mfa"), http.StatusOK, `id="mfa"`, `name="code"`)
	want(t, b.post("/login/mfa", url.Values{"code": {"12345"}}), http.StatusUnauthorized, "not right")

	s.clk.Advance(30 * time.Second) // the enrolment code's step is spent
	code, _ = totp.GenerateCode(secret, s.clk.Now())
	wantRedirect(t, b.post("/login/mfa", url.Values{"code": {code}}), "/dashboard")
	want(t, b.get("/dashboard"), http.StatusOK, "Good morning")

	// A recovery code works once, in place of the app.
	other := s.browser()
	other.signIn("dana@example.org", "/login/mfa")
	wantRedirect(t, other.post("/login/mfa", url.Values{"code": {recovery[0]}}), "/dashboard")
	third := s.browser()
	third.signIn("dana@example.org", "/login/mfa")
	want(t, third.post("/login/mfa", url.Values{"code": {recovery[0]}}), http.StatusUnauthorized)

	// Turning it off needs the password.
	bad := b.post("/settings/mfa/disable", url.Values{"password": {"not-my-password"}})
	want(t, bad, http.StatusUnprocessableEntity, `id="mfa-disable-password-error"`)
	wantRedirect(t, b.post("/settings/mfa/disable", url.Values{"password": {goodPass}}),
		"/settings/mfa?off=1")
	want(t, b.get("/settings/mfa"), http.StatusOK, `id="mfa-off"`)
}

func TestAdminMustEnrolMFA(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	b := s.browser()
	b.signIn("admin@example.org", "/admin")
	for _, path := range []string{"/admin", "/admin/audit", "/settings", "/settings/tokens"} {
		wantRedirect(t, b.get(path), "/settings/mfa")
	}
	setup := b.post("/settings/mfa/setup", nil)
	secret := textOf(t, setup.body, "mfa-secret")
	code, _ := totp.GenerateCode(secret, s.clk.Now())
	want(t, b.post("/settings/mfa/confirm", url.Values{"code": {code}}), http.StatusOK,
		`id="recovery-codes"`)
	want(t, b.get("/admin"), http.StatusOK, "Administration")
	want(t, b.get("/admin/audit"), http.StatusOK, "auth.mfa_enabled", "auth.sign_in")
	// Required two-factor cannot be switched off.
	want(t, b.get("/settings/mfa"), http.StatusOK, `id="mfa-on"`)
	if strings.Contains(b.get("/settings/mfa").body, `id="mfa-disable"`) {
		t.Error("admin is offered to turn two-factor off")
	}
}

func TestDemoMode(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), func(c *config.Config) { c.Demo = true })
	s.admin("admin@demo.test")
	b := s.browser()
	want(t, b.get("/login"), http.StatusOK, `id="demo-banner"`, "Demo mode",
		"provider@demo.test", "provider2@demo.test", "client@demo.test", "client2@demo.test",
		"admin@demo.test", "demo-password")
	// In demo mode admins need no second factor.
	b.signIn("admin@demo.test", "/admin")
	want(t, b.get("/admin"), http.StatusOK, "Administration")
}

func mustURL(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return u
}
