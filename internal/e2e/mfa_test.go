package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/demo"
)

// TestMFAEnrolmentAndSignIn turns on two-factor authentication from
// Portal settings as an authenticator app would, then signs in with a
// code, and once with a recovery code. The codes are computed at the
// server's demo clock, read and moved through the API.
func TestMFAEnrolmentAndSignIn(t *testing.T) {
	b := start(t)
	srv, admin := b.srv, b.srv.adminToken(t)
	u := b.newUser(t)
	u.signIn(provider2Email, demo.Password)
	u.waitPath("/dashboard")

	u.click("account-name")
	u.click("menu-settings")
	u.waitPath("/settings")
	u.clickCSS(`nav[aria-label="Settings"] a[href="/settings/mfa"]`)
	u.waitPath("/settings/mfa")
	if status := u.text("#mfa-off"); !strings.HasPrefix(status, "Off.") {
		t.Fatalf("two-factor status before enrolment = %q", status)
	}
	u.click("mfa-setup-submit")
	secret := strings.ReplaceAll(u.text("#mfa-secret"), " ", "")
	if len(secret) < 16 {
		t.Fatalf("enrolment shows secret %q, want a base32 key", secret)
	}
	// The setup link sits in a closed <details>: read it, do not look.
	if uri := eval[string](u, `document.getElementById("mfa-uri").textContent.trim()`); !strings.HasPrefix(uri, "otpauth://totp/") ||
		!strings.Contains(uri, "secret="+secret) {
		t.Errorf("setup link = %q", uri)
	}

	// A wrong first code is refused next to the field; the setup stays.
	u.fill(map[string]string{"mfa-confirm-code": wrongCode(t, secret, srv.now(t, admin))})
	u.click("mfa-confirm-submit")
	if msg := u.text("#mfa-confirm-code-error"); !strings.Contains(msg, "not right") {
		t.Errorf("wrong enrolment code message = %q", msg)
	}
	if again := strings.ReplaceAll(u.text("#mfa-secret"), " ", ""); again != secret {
		t.Fatalf("after a wrong code the secret changed from %q to %q", secret, again)
	}

	u.fill(map[string]string{"mfa-confirm-code": totpCode(t, secret, srv.now(t, admin))})
	u.click("mfa-confirm-submit")
	u.waitFor("recovery codes", `document.querySelectorAll("#recovery-codes li").length > 0`)
	codes := eval[[]string](u, `Array.from(document.querySelectorAll("#recovery-codes li"), li => li.textContent.trim())`)
	if len(codes) < 8 {
		t.Fatalf("recovery codes = %q, want at least 8", codes)
	}
	u.click("codes-done")
	u.waitPath("/settings/mfa")
	if status := u.text("#mfa-on"); !strings.HasPrefix(status, "On.") {
		t.Errorf("two-factor status after enrolment = %q", status)
	}
	u.signOut()

	// Signing in now asks for a code; a wrong one is refused.
	u.signIn(provider2Email, demo.Password)
	u.waitPath("/login/mfa")
	u.open("/dashboard")
	u.waitPath("/login/mfa")
	u.fill(map[string]string{"mfa-code": wrongCode(t, secret, srv.now(t, admin))})
	u.click("mfa-submit")
	if msg := u.text("#mfa-code-error"); !strings.Contains(msg, "not right") {
		t.Errorf("wrong sign-in code message = %q", msg)
	}

	// The app's next code, 30 seconds on: the enrolment code was used
	// and may not be used again.
	now := srv.advanceClock(t, admin, 30*time.Second)
	u.fill(map[string]string{"mfa-code": totpCode(t, secret, now)})
	u.click("mfa-submit")
	u.waitPath("/dashboard")
	u.signOut()

	// A recovery code stands in for the app, once.
	u.signIn(provider2Email, demo.Password)
	u.waitPath("/login/mfa")
	u.fill(map[string]string{"mfa-code": codes[0]})
	u.click("mfa-submit")
	u.waitPath("/dashboard")
	u.signOut()
	u.signIn(provider2Email, demo.Password)
	u.waitPath("/login/mfa")
	u.fill(map[string]string{"mfa-code": codes[0]})
	u.click("mfa-submit")
	if msg := u.text("#mfa-code-error"); !strings.Contains(msg, "not right") {
		t.Errorf("reused recovery code message = %q", msg)
	}
}

// signOut uses the account menu's Log out and waits for the login page.
func (u *user) signOut() {
	u.t.Helper()
	u.click("account-name")
	u.click("logout")
	u.waitPath("/login")
}
