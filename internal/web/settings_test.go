package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestChangePassword(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	other := s.browser()
	other.signIn("dana@example.org", "/dashboard")

	const next = "quartz-meadow-lantern-7"
	tests := []struct {
		name    string
		form    url.Values
		errorID string
	}{
		{"wrong current", url.Values{"current_password": {"not-it-at-all"},
			"new_password": {next}, "confirm": {next}}, "pw-current-error"},
		{"mismatch", url.Values{"current_password": {goodPass},
			"new_password": {next}, "confirm": {next + "x"}}, "pw-confirm-error"},
		{"too short", url.Values{"current_password": {goodPass},
			"new_password": {"short"}, "confirm": {"short"}}, "pw-new-error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want(t, b.post("/settings/password", tt.form), http.StatusUnprocessableEntity,
				`id="`+tt.errorID+`"`)
		})
	}
	ok := b.post("/settings/password", url.Values{"current_password": {goodPass},
		"new_password": {next}, "confirm": {next}})
	wantRedirect(t, ok, "/settings?changed=1")
	want(t, b.get("/settings?changed=1"), http.StatusOK, "Your password has been changed")
	// Other sessions end with a password change.
	wantRedirect(t, other.get("/dashboard"), "/login?expired=1&next=%2Fdashboard")
}

func TestSessionsPage(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	other := s.browser()
	other.signIn("dana@example.org", "/dashboard")

	list := b.get("/settings/sessions")
	want(t, list, http.StatusOK, `id="sessions"`, "(this device)", `id="logout-all"`)
	ids := regexpAll(list.body, `action="/settings/sessions/([^/"]+)/revoke"`)
	if len(ids) != 1 {
		t.Fatalf("found %d revocable sessions, want 1 (the other browser)", len(ids))
	}
	wantRedirect(t, b.post("/settings/sessions/"+ids[0]+"/revoke", nil), "/settings/sessions?revoked=1")
	wantRedirect(t, other.get("/dashboard"), "/login?expired=1&next=%2Fdashboard")
	want(t, b.get("/dashboard"), http.StatusOK)
	want(t, b.post("/settings/sessions/not-a-session/revoke", nil), http.StatusNotFound)

	// Sign out everywhere ends this browser's session too.
	other.signIn("dana@example.org", "/dashboard")
	wantRedirect(t, b.post("/logout/all", nil), "/login?signed_out=1")
	wantRedirect(t, b.get("/dashboard"), "/login?next=%2Fdashboard")
	wantRedirect(t, other.get("/dashboard"), "/login?expired=1&next=%2Fdashboard")
}

func TestPersonalTokens(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	want(t, b.get("/settings/tokens"), http.StatusOK, `id="no-tokens"`, `id="token-form"`)
	want(t, b.post("/settings/tokens", url.Values{"name": {""}}), http.StatusUnprocessableEntity,
		`id="token-name-error"`)
	want(t, b.post("/settings/tokens", url.Values{"name": {"x"}, "expires": {"2020-01-01"}}),
		http.StatusUnprocessableEntity, `id="token-expires-error"`)

	created := b.post("/settings/tokens", url.Values{"name": {"Backup script"}, "expires": {"2026-12-31"}})
	want(t, created, http.StatusOK, `id="new-token"`, "Backup script", "shown only once")
	token := textOf(t, created.body, "new-token")
	if !strings.HasPrefix(token, "tend_") {
		t.Fatalf("token %q lacks its prefix", token)
	}
	if _, _, err := s.auth.ActorFromToken(t.Context(), token, "192.0.2.1", "test"); err != nil {
		t.Fatalf("new token does not authenticate: %v", err)
	}
	list := b.get("/settings/tokens")
	if strings.Contains(list.body, token) {
		t.Fatal("token shown again after creation")
	}
	ids := regexpAll(list.body, `action="/settings/tokens/([^/"]+)/revoke"`)
	if len(ids) != 1 {
		t.Fatalf("found %d revocable tokens, want 1", len(ids))
	}
	wantRedirect(t, b.post("/settings/tokens/"+ids[0]+"/revoke", nil), "/settings/tokens?revoked=1")
	want(t, b.get("/settings/tokens?revoked=1"), http.StatusOK, "The token has been revoked.")
	if _, _, err := s.auth.ActorFromToken(t.Context(), token, "192.0.2.1", "test"); err == nil {
		t.Fatal("revoked token still authenticates")
	}
}

func TestActivityPage(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	b.post("/login", url.Values{"email": {"dana@example.org"}, "password": {"wrong-password-1"}})
	b.signIn("dana@example.org", "/dashboard")

	p := b.get("/settings/activity")
	want(t, p, http.StatusOK, `id="audit"`, "auth.sign_in", `id="audit-filter"`)
	if strings.Contains(p.body, "auth.mfa_enabled") {
		t.Error("provider sees another user's entries")
	}
	want(t, b.get("/settings/activity?from=2026-03-03"), http.StatusOK, `id="audit-empty"`)
	want(t, b.get("/settings/activity?from=2026-03-02&to=2026-03-02"), http.StatusOK, "auth.sign_in")
	want(t, b.get("/settings/activity?from=yesterday"), http.StatusUnprocessableEntity,
		`id="audit-from-error"`)
	want(t, b.get("/settings/activity?object_id=no-such-object"), http.StatusOK, `id="audit-empty"`)
	want(t, b.get("/settings/activity?cursor=garbage"), http.StatusBadRequest)
}

func TestActivityPagination(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	u := s.provider("dana@example.org")
	log := audit.New(s.db, s.clk)
	actor := access.Actor{UserID: u.ID, Role: access.RoleProvider, ProviderID: u.ProviderID}
	for range audit.DefaultLimit + 5 {
		err := log.Record(t.Context(), nil, actor, audit.Entry{Action: "clients.client.read",
			ObjectType: "client", ObjectID: "c-1", ProviderID: u.ProviderID})
		if err != nil {
			t.Fatalf("record: %v", err)
		}
	}
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	first := b.get("/settings/activity?object_id=c-1")
	if n := strings.Count(first.body, "clients.client.read"); n != audit.DefaultLimit {
		t.Fatalf("first page has %d entries, want %d", n, audit.DefaultLimit)
	}
	next := regexpAll(first.body, `href="(/settings/activity\?[^"]+)" class="button secondary" id="audit-next"`)
	if len(next) != 1 {
		t.Fatalf("no link to the next page")
	}
	second := b.get(strings.ReplaceAll(next[0], "&amp;", "&"))
	if n := strings.Count(second.body, "clients.client.read"); n != 5 {
		t.Fatalf("second page has %d entries, want 5", n)
	}
	if strings.Contains(second.body, `id="audit-next"`) {
		t.Error("last page links to a next page")
	}
}

func TestPasswordReset(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()

	want(t, b.get("/forgot"), http.StatusOK, `id="forgot"`)
	wantRedirect(t, b.post("/forgot", url.Values{"email": {"dana@example.org"}}), "/forgot?sent=1")
	// An unknown address gets the very same answer.
	wantRedirect(t, b.post("/forgot", url.Values{"email": {"nobody@example.org"}}), "/forgot?sent=1")
	want(t, b.get("/forgot?sent=1"), http.StatusOK, `id="forgot-sent"`)
	want(t, b.post("/forgot", url.Values{"email": {"not an email"}}), http.StatusUnprocessableEntity,
		`id="forgot-email-error"`)

	token := s.lastLinkToken("password_reset", "/reset/")
	want(t, b.get("/reset/"+token), http.StatusOK, `id="reset"`)
	want(t, b.post("/reset/"+token, url.Values{"password": {"short"}, "confirm": {"short"}}),
		http.StatusUnprocessableEntity, `id="reset-password-error"`)
	const next = "harbor-violet-engine-19"
	wantRedirect(t, b.post("/reset/"+token, url.Values{"password": {next}, "confirm": {next}}),
		"/login?reset=1")
	want(t, b.get("/reset/"+token), http.StatusGone, "invalid, already used or expired")
	want(t, b.get("/reset/not-a-token"), http.StatusGone)

	p := b.post("/login", url.Values{"email": {"dana@example.org"}, "password": {next}})
	wantRedirect(t, p, "/dashboard")
}

func TestSignInLink(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	p := s.provider("dana@example.org")
	s.client("sam@example.org", p.ProviderID)
	b := s.browser()

	wantRedirect(t, b.post("/login/link", url.Values{"email": {"sam@example.org"}}), "/login?sent=1")
	want(t, b.get("/login?sent=1"), http.StatusOK, `id="link-sent"`)
	want(t, b.post("/login/link", url.Values{"email": {"nope"}}), http.StatusUnprocessableEntity,
		`id="link-email-error"`)

	token := s.lastLinkToken("sign_in_link", "/login/link/")
	// Opening the link uses nothing; the button does.
	want(t, b.get("/login/link/"+token), http.StatusOK, `id="link-confirm"`)
	want(t, b.get("/login/link/"+token), http.StatusOK, `id="link-confirm"`)
	wantRedirect(t, b.post("/login/link/"+token, nil), "/portal")
	want(t, b.get("/portal"), http.StatusOK, "Welcome")
	want(t, s.browser().post("/login/link/"+token, nil), http.StatusGone, "invalid, already used")
}

func TestAccountMenu(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	body := b.get("/dashboard").body
	menu := regexp.MustCompile(`(?s)<details class="account" id="account-menu">.*</details>`).FindString(body)
	for _, want := range []string{"Dana Reyes", `href="/settings/profile"`, `href="/settings"`,
		`href="/settings/forms"`, `action="/logout"`, "Forms &amp; letterhead"} {
		if !strings.Contains(menu, want) {
			t.Errorf("account menu lacks %s:\n%s", want, menu)
		}
	}
	for _, link := range []string{"/dashboard", "/messages", "/clients", "/appointments",
		"/payouts", "/community"} {
		if !strings.Contains(body, `href="`+link+`"`) {
			t.Errorf("navigation lacks %s", link)
		}
	}
}
