package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// code returns the current TOTP code for secret by the env's clock.
func (e *env) code(t testing.TB, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enroll turns TOTP on for u and returns the secret and recovery codes.
func (e *env) enroll(t testing.TB, u User, sessionID string) (string, []string) {
	t.Helper()
	ctx := context.Background()
	actor := e.svc.Actor(u, sessionID, testIP, testUA)
	secret, url, err := e.svc.BeginTOTP(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "otpauth://totp/Tend:") || !strings.Contains(url, "secret="+secret) {
		t.Fatalf("otpauth URL = %q", url)
	}
	codes, err := e.svc.ConfirmTOTP(ctx, actor, e.code(t, secret))
	if err != nil {
		t.Fatal(err)
	}
	return secret, codes
}

func TestTOTPEnrolment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")
		_, sess, err := e.svc.StartSession(ctx, u, testIP, testUA, false)
		if err != nil {
			t.Fatal(err)
		}
		actor := e.svc.Actor(u, sess.ID, testIP, testUA)

		_, err = e.svc.ConfirmTOTP(ctx, actor, "123456")
		wantErr(t, "confirm before begin", err, ErrMFANotPending)
		secret, _, err := e.svc.BeginTOTP(ctx, actor)
		if err != nil {
			t.Fatal(err)
		}
		var sealed string
		if err := db.Reader().QueryRowContext(ctx,
			`SELECT secret_sealed FROM user_totp WHERE user_id = $1`, u.ID).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sealed, secret) {
			t.Fatal("TOTP secret stored in the clear")
		}
		// A second Begin replaces the pending secret.
		secret, _, err = e.svc.BeginTOTP(ctx, actor)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.ConfirmTOTP(ctx, actor, "000000")
		wantErr(t, "wrong code", err, ErrInvalidCode)
		codes, err := e.svc.ConfirmTOTP(ctx, actor, e.code(t, secret))
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 10 || len(codes[0]) != 11 || codes[0] == codes[1] {
			t.Fatalf("recovery codes = %q", codes)
		}

		got, err := e.svc.UserByID(ctx, u.ID)
		if err != nil || !got.MFAEnabled {
			t.Fatalf("MFAEnabled = %v (%v), want true", got.MFAEnabled, err)
		}
		list, err := e.svc.ListSessions(ctx, actor)
		if err != nil || len(list) != 1 || !list[0].MFADone {
			t.Fatalf("enrolling session = %+v (%v), want MFA done", list, err)
		}
		_, _, err = e.svc.BeginTOTP(ctx, actor)
		wantErr(t, "begin when enabled", err, ErrMFAAlreadyEnabled)
		mails := e.queuedMail(t)
		if len(mails) != 1 || mails[0].Template != "mfa_changed" || mails[0].To != u.Email {
			t.Fatalf("mail = %+v, want one mfa_changed", mails)
		}
		if n := count(e.auditActions(t, secret), "auth.mfa_enabled"); n != 1 {
			t.Errorf("auth.mfa_enabled audited %d times", n)
		}
	})
}

func TestCompleteMFA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")
		secret, recovery := e.enroll(t, u, "")
		enrolCode := e.code(t, secret)

		token, sess, err := e.svc.StartSession(ctx, u, testIP, testUA, false)
		if err != nil || sess.MFADone {
			t.Fatalf("session %+v (%v)", sess, err)
		}
		wantErr(t, "code used at enrolment", e.svc.CompleteMFA(ctx, token, enrolCode), ErrInvalidCode)
		wantErr(t, "empty code", e.svc.CompleteMFA(ctx, token, ""), ErrMFARequired)

		e.clk.Advance(30 * time.Second)
		code := e.code(t, secret)
		if err := e.svc.CompleteMFA(ctx, token, code); err != nil {
			t.Fatalf("fresh code: %v", err)
		}
		got, _, err := e.svc.Session(ctx, token)
		if err != nil || !got.MFADone {
			t.Fatalf("session after MFA = %+v (%v)", got, err)
		}

		// The same code is refused on another session in the same step.
		token2, _, err := e.svc.StartSession(ctx, u, testIP, testUA, false)
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, "reused code", e.svc.CompleteMFA(ctx, token2, code), ErrInvalidCode)

		// A code from one step back (clock skew) is still accepted once.
		e.clk.Advance(60 * time.Second)
		prev, err := totp.GenerateCode(secret, e.clk.Now().Add(-30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.CompleteMFA(ctx, token2, prev); err != nil {
			t.Fatalf("code one step old: %v", err)
		}

		// Recovery codes work once each, with any case or dashes.
		token3, _, err := e.svc.StartSession(ctx, u, testIP, testUA, false)
		if err != nil {
			t.Fatal(err)
		}
		typed := strings.ToUpper(strings.ReplaceAll(recovery[3], "-", " "))
		if err := e.svc.CompleteMFA(ctx, token3, typed); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		wantErr(t, "recovery code twice", e.svc.CompleteMFA(ctx, token3, recovery[3]), ErrInvalidCode)
		left, err := e.svc.RecoveryCodesLeft(ctx, e.svc.Actor(u, "", "", ""))
		if err != nil || left != 9 {
			t.Fatalf("recovery codes left = %d (%v), want 9", left, err)
		}

		// Another user's recovery code is no good.
		other := e.user(t, access.RoleClient, "c@example.org")
		_, otherCodes := e.enroll(t, other, "")
		wantErr(t, "other user's code", e.svc.CompleteMFA(ctx, token3, otherCodes[0]), ErrInvalidCode)
		e.auditActions(t, append(recovery, secret, code)...)
	})
}

func TestMFAThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleAdmin, "admin@example.org")
		secret, _ := e.enroll(t, u, "")
		token, _, err := e.svc.StartSession(ctx, u, testIP, testUA, false)
		if err != nil {
			t.Fatal(err)
		}
		for range 4 {
			wantErr(t, "wrong code", e.svc.CompleteMFA(ctx, token, "000000"), ErrInvalidCode)
		}
		wantThrottled(t, "fifth wrong code", e.svc.CompleteMFA(ctx, token, "000000"), 15*time.Minute)
		e.clk.Advance(10 * time.Minute)
		wantThrottled(t, "right code while locked",
			e.svc.CompleteMFA(ctx, token, e.code(t, secret)), 5*time.Minute)
		// Once the lock runs out the right code works again.
		e.clk.Advance(5 * time.Minute)
		token, _, err = e.svc.StartSession(ctx, u, testIP, testUA, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.CompleteMFA(ctx, token, e.code(t, secret)); err != nil {
			t.Fatalf("after lock: %v", err)
		}
	})
}

func TestDisableTOTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")
		e.enroll(t, u, "")
		actor := e.svc.Actor(u, "", testIP, testUA)

		wantField(t, "wrong password", e.svc.DisableTOTP(ctx, actor, "wrong-password!"),
			"current_password")
		if err := e.svc.DisableTOTP(ctx, actor, goodPass); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.UserByID(ctx, u.ID)
		if err != nil || got.MFAEnabled {
			t.Fatalf("MFAEnabled = %v (%v), want false", got.MFAEnabled, err)
		}
		left, err := e.svc.RecoveryCodesLeft(ctx, actor)
		if err != nil || left != 0 {
			t.Fatalf("recovery codes left = %d (%v)", left, err)
		}
		if err := e.svc.VerifyMFA(ctx, actor, got, "123456"); err != ErrMFARequired {
			t.Fatalf("VerifyMFA without TOTP = %v, want ErrMFARequired", err)
		}
		if n := count(e.auditActions(t), "auth.mfa_disabled"); n != 1 {
			t.Errorf("auth.mfa_disabled audited %d times", n)
		}
	})
}

func TestMFARequired(t *testing.T) {
	tests := []struct {
		role access.Role
		demo bool
		want bool
	}{
		{access.RoleAdmin, false, true},
		{access.RoleAdmin, true, false},
		{access.RoleProvider, false, false},
		{access.RoleClient, false, false},
	}
	for _, tt := range tests {
		s := &Service{opts: Options{Demo: tt.demo}}
		if got := s.MFARequired(User{Role: tt.role}); got != tt.want {
			t.Errorf("MFARequired(%s, demo %v) = %v, want %v", tt.role, tt.demo, got, tt.want)
		}
	}
}
