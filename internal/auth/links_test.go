package auth

import (
	"context"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestPasswordReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")
		session, _ := e.signIn(t, u)

		// Unknown accounts get the same answer and no mail.
		if err := e.svc.RequestPasswordReset(ctx, "nobody@example.org", testIP); err != nil {
			t.Fatalf("unknown email: %v", err)
		}
		if n := len(e.queuedMail(t)); n != 0 {
			t.Fatalf("%d mails queued for an unknown email", n)
		}
		wantField(t, "malformed email", e.svc.RequestPasswordReset(ctx, "nobody", testIP), "email")

		if err := e.svc.RequestPasswordReset(ctx, " Prov@Example.org", testIP); err != nil {
			t.Fatal(err)
		}
		token := e.lastLinkToken(t, "password_reset", "/reset/")
		var stored int
		if err := db.Reader().QueryRowContext(ctx,
			`SELECT COUNT(*) FROM user_tokens WHERE token_hash = $1`, token).Scan(&stored); err != nil || stored != 0 {
			t.Fatalf("raw link token stored (%d, %v)", stored, err)
		}
		if err := e.svc.CheckResetLink(ctx, token); err != nil {
			t.Fatalf("check link: %v", err)
		}

		// A rejected password leaves the link usable.
		wantField(t, "weak password", e.svc.ResetPassword(ctx, token, "password1234"), "password")
		const next = "fresh start after reset"
		if err := e.svc.ResetPassword(ctx, token, next); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "link used twice", e.svc.ResetPassword(ctx, token, "another good passphrase"),
			ErrTokenInvalid)
		wantErr(t, "check used link", e.svc.CheckResetLink(ctx, token), ErrTokenInvalid)
		_, _, err := e.svc.Session(ctx, session)
		wantErr(t, "session after reset", err, ErrSessionExpired)
		if _, err := e.svc.Authenticate(ctx, u.Email, next, testIP, testUA); err != nil {
			t.Fatalf("new password: %v", err)
		}

		// Links expire by the clock.
		if err := e.svc.RequestPasswordReset(ctx, u.Email, testIP); err != nil {
			t.Fatal(err)
		}
		late := e.lastLinkToken(t, "password_reset", "/reset/")
		e.clk.Advance(ResetLinkTTL)
		wantErr(t, "expired link", e.svc.ResetPassword(ctx, late, "too late for this one"),
			ErrTokenInvalid)
		wantErr(t, "garbage token", e.svc.ResetPassword(ctx, "garbage", next), ErrTokenInvalid)

		actions := e.auditActions(t, token, late, next)
		if n := count(actions, "auth.password_reset"); n != 1 {
			t.Errorf("auth.password_reset audited %d times", n)
		}
	})
}

func TestResetUnlocksAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleClient, "c@example.org")
		for range 5 {
			_, _ = e.svc.Authenticate(ctx, u.Email, "wrong-password!", "203.0.113.1", testUA)
		}
		if err := e.svc.RequestPasswordReset(ctx, u.Email, testIP); err != nil {
			t.Fatal(err)
		}
		const next = "unlocked by my own reset"
		if err := e.svc.ResetPassword(ctx, e.lastLinkToken(t, "password_reset", "/reset/"), next); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, next, testIP, testUA); err != nil {
			t.Fatalf("sign in after reset: %v", err)
		}
	})
}

func TestLinkRequestLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleClient, "c@example.org")

		// Per account: three an hour, the rest dropped silently.
		for i := range 5 {
			if err := e.svc.RequestSignInLink(ctx, u.Email, testIP); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		if n := len(e.queuedMail(t)); n != linksPerHour {
			t.Fatalf("%d links sent, want %d", n, linksPerHour)
		}
		// Per address: ten requests in the window, found or not.
		for i := 5; i < 10; i++ {
			if err := e.svc.RequestSignInLink(ctx, "nobody@example.org", testIP); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		wantThrottled(t, "eleventh request",
			e.svc.RequestSignInLink(ctx, u.Email, testIP), 15*time.Minute)
	})
}

func TestSignInLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := access.With(context.Background(), access.Actor{IP: testIP, UserAgent: testUA})
		u := e.user(t, access.RoleClient, "c@example.org")

		if err := e.svc.RequestSignInLink(ctx, u.Email, testIP); err != nil {
			t.Fatal(err)
		}
		token := e.lastLinkToken(t, "sign_in_link", "/login/link/")
		wantErr(t, "reset with sign-in token", e.svc.ResetPassword(ctx, token, "some good passphrase"),
			ErrTokenInvalid)
		got, err := e.svc.RedeemSignInLink(ctx, token)
		if err != nil || got.ID != u.ID {
			t.Fatalf("redeem = %+v, %v", got, err)
		}
		_, err = e.svc.RedeemSignInLink(ctx, token)
		wantErr(t, "redeem twice", err, ErrTokenInvalid)

		// Expiry: fine at 14 minutes, gone at 15.
		e.clk.Advance(time.Hour)
		if err := e.svc.RequestSignInLink(ctx, u.Email, testIP); err != nil {
			t.Fatal(err)
		}
		first := e.lastLinkToken(t, "sign_in_link", "/login/link/")
		e.clk.Advance(SignInLinkTTL - time.Minute)
		if err := e.svc.RequestSignInLink(ctx, u.Email, testIP); err != nil {
			t.Fatal(err)
		}
		second := e.lastLinkToken(t, "sign_in_link", "/login/link/")
		e.clk.Advance(time.Minute)
		_, err = e.svc.RedeemSignInLink(ctx, first)
		wantErr(t, "expired link", err, ErrTokenInvalid)
		if _, err := e.svc.RedeemSignInLink(ctx, second); err != nil {
			t.Fatalf("link at 1 minute old: %v", err)
		}

		var ip string
		if err := db.Reader().QueryRowContext(ctx, `SELECT ip FROM audit_log
			WHERE action = 'auth.sign_in' ORDER BY seq LIMIT 1`).Scan(&ip); err != nil || ip != testIP {
			t.Errorf("sign-in by link audited with ip %q (%v)", ip, err)
		}
		e.auditActions(t, token, first, second)
	})
}
