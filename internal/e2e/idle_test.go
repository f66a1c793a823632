package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/tend-portal/tend/internal/demo"
)

// TestIdleSignOut leaves a signed-in page alone. The page's timers run
// on the browser's virtual time, fast-forwarded here, and the server's
// idle rule on the demo clock, moved forward through the API; both
// together stand for fifteen quiet minutes.
func TestIdleSignOut(t *testing.T) {
	b := start(t)
	srv, admin := b.srv, b.srv.adminToken(t)
	u := b.newUser(t)
	u.signIn(providerEmail, demo.Password)
	u.waitPath("/dashboard")
	if eval[bool](u, dialogOpen) {
		t.Fatal("idle warning open right after sign-in")
	}

	// Thirteen quiet minutes: no warning yet.
	srv.advanceClock(t, admin, 13*time.Minute)
	u.passTime(13 * time.Minute)
	if eval[bool](u, dialogOpen) {
		t.Fatal("idle warning open after 13 minutes, want it a minute before 15")
	}

	// Fourteen and a half: the warning is up and the session still
	// alive, so "Stay signed in" keeps it and closes the warning.
	srv.advanceClock(t, admin, 90*time.Second)
	u.passTime(90 * time.Second)
	u.waitFor("idle warning", dialogOpen)
	if text := u.text("#idle-dialog"); !strings.Contains(text, "signed out in") {
		t.Errorf("idle warning says %q, want it to say when the sign-out comes", text)
	}
	u.click("idle-stay")
	u.waitFor("idle warning to close after keep-alive", "!"+dialogOpen)

	// Another quiet spell: the warning comes back after fourteen and a
	// half minutes, then the server ends the session at fifteen.
	srv.advanceClock(t, admin, 14*time.Minute+30*time.Second)
	u.passTime(14*time.Minute + 30*time.Second)
	u.waitFor("idle warning again", dialogOpen)
	srv.advanceClock(t, admin, 2*time.Minute)

	// The page's own timer sends it to the login page, which the server
	// shows with its message only because the session is over: a live
	// one would be sent on to the dashboard.
	u.runTime()
	loc := u.waitPath("/login")
	if loc.Query().Get("expired") != "1" {
		t.Errorf("idle sign-out went to %s, want expired=1", loc)
	}
	if notice := u.text("main .notice"); !strings.Contains(notice, "without activity") {
		t.Errorf("login page after idle sign-out says %q", notice)
	}

	// A tab with the same cookies cannot reach the portal either.
	again := u.newTab()
	again.open("/dashboard")
	if loc := again.waitPath("/login"); loc.Query().Get("next") != "/dashboard" {
		t.Errorf("dashboard after idle sign-out went to %s", loc)
	}
}

// dialogOpen is true while the idle warning is shown.
const dialogOpen = `document.getElementById("idle-dialog").open`

// passTime fast-forwards the page's clock and timers by d: the
// browser's virtual time runs d ahead as fast as it can, and the call
// returns once it has.
func (u *user) passTime(d time.Duration) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, waitTimeout)
	defer cancel()
	expired := chromedp.Events(ctx, emulation.VirtualTimeBudgetExpired)
	budget := float64(d.Milliseconds())
	_, err := chromedp.Call(ctx, emulation.SetVirtualTimePolicy, emulation.SetVirtualTimePolicyParams{
		Policy: emulation.VirtualTimePolicyAdvance,
		Budget: &budget,
	})
	if err != nil {
		u.t.Fatalf("fast-forward page time: %v", err)
	}
	for _, err := range expired {
		if err != nil {
			u.t.Fatalf("wait for page time to pass: %v", err)
		}
		return
	}
}

// runTime lets the page's virtual time run on by itself: from now on a
// timer fires as soon as the page has nothing else to do.
func (u *user) runTime() {
	u.t.Helper()
	_, err := chromedp.Call(u.ctx, emulation.SetVirtualTimePolicy, emulation.SetVirtualTimePolicyParams{
		Policy: emulation.VirtualTimePolicyAdvance,
	})
	if err != nil {
		u.t.Fatalf("let page time run: %v", err)
	}
}
