package e2e

import (
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/demo"
)

// TestSignInAndOut signs a provider in through the login form, checks
// the portal shell, and signs out through the account menu.
func TestSignInAndOut(t *testing.T) {
	u := start(t).newUser(t)

	// A wrong password keeps the visitor on the login page with a message.
	u.signIn(providerEmail, "not-the-password")
	if msg := u.text("#form-error"); !strings.Contains(msg, "incorrect") {
		t.Errorf("wrong password message = %q", msg)
	}

	u.signIn(providerEmail, demo.Password)
	u.waitPath("/dashboard")
	nav := u.text("#nav")
	for _, item := range []string{"Dashboard", "Messages", "Clients", "Appointments", "Payouts", "Community"} {
		if !strings.Contains(nav, item) {
			t.Errorf("left navigation %q lacks %q", nav, item)
		}
	}
	if current := u.text(`#nav a[aria-current="page"]`); current != "Dashboard" {
		t.Errorf("current navigation item = %q, want Dashboard", current)
	}
	u.screenshot("dashboard")

	// The account menu opens on its summary and holds the account links.
	u.click("account-name")
	menu := u.text(".account-menu")
	for _, item := range []string{"Profile", "Portal settings", "Forms & letterhead", "Log out"} {
		if !strings.Contains(menu, item) {
			t.Errorf("account menu %q lacks %q", menu, item)
		}
	}
	u.click("menu-settings")
	u.waitPath("/settings")
	if h := u.text("main h1"); h != "Portal settings" {
		t.Errorf("settings heading = %q, want Portal settings", h)
	}
	u.screenshot("settings")

	u.click("account-name")
	u.click("logout")
	u.waitPath("/login")
	if notice := u.text("main .notice"); !strings.Contains(notice, "signed out") {
		t.Errorf("after logout the login page says %q", notice)
	}

	// The session is gone on the server: the dashboard sends to sign-in.
	u.open("/dashboard")
	loc := u.waitPath("/login")
	if next := loc.Query().Get("next"); next != "/dashboard" {
		t.Errorf("redirect to login carries next=%q, want /dashboard", next)
	}
}

// TestSignOutEverywhere signs one provider in from two browsers; "Sign
// out everywhere" in one ends the session of the other too.
func TestSignOutEverywhere(t *testing.T) {
	b := start(t)
	office, laptop := b.newUser(t), b.newUser(t)
	for _, u := range []*user{office, laptop} {
		u.signIn(providerEmail, demo.Password)
		u.waitPath("/dashboard")
	}

	office.open("/settings/sessions")
	office.waitPath("/settings/sessions")
	if rows := eval[int](office, `document.querySelectorAll("#sessions tbody tr").length`); rows != 2 {
		t.Errorf("sessions page lists %d sessions, want 2", rows)
	}
	office.click("logout-all")
	office.waitPath("/login")

	// The other browser still holds its cookie; its next page is sign-in.
	laptop.open("/clients")
	loc := laptop.waitPath("/login")
	if loc.Query().Get("next") != "/clients" {
		t.Errorf("laptop redirected to %s, want a login that returns to /clients", loc)
	}
	office.open("/dashboard")
	office.waitPath("/login")
}
