package auth

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestAuthenticate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		prov := e.user(t, access.RoleProvider, "prov@example.org")
		gone := e.user(t, access.RoleProvider, "gone@example.org")
		if err := e.svc.Disable(ctx, access.System(), gone.ID); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name, email, password string
			want                  error
		}{
			{"right password", "  PROV@example.org", goodPass, nil},
			{"wrong password", "prov@example.org", "not-the-password", ErrInvalidCredentials},
			{"unknown email", "nobody@example.org", goodPass, ErrInvalidCredentials},
			{"malformed email", "nobody", goodPass, ErrInvalidCredentials},
			{"disabled account", "gone@example.org", goodPass, ErrDisabled},
			{"disabled, wrong password", "gone@example.org", "nope-nope-nope", ErrInvalidCredentials},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u, err := e.svc.Authenticate(ctx, tt.email, tt.password, testIP, testUA)
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				if tt.want == nil && (u.ID != prov.ID || u.ProviderID != prov.ProviderID) {
					t.Fatalf("user = %+v, want %+v", u, prov)
				}
			})
		}

		actions := e.auditActions(t, goodPass, "not-the-password", "nope-nope-nope")
		if n := count(actions, "auth.sign_in"); n != 1 {
			t.Errorf("auth.sign_in audited %d times, want 1: %v", n, actions)
		}
		if n := count(actions, "auth.sign_in_failed"); n != 5 {
			t.Errorf("auth.sign_in_failed audited %d times, want 5: %v", n, actions)
		}
		var ip, ua string
		err := db.Reader().QueryRowContext(ctx, `SELECT ip, user_agent FROM audit_log
			WHERE action = 'auth.sign_in'`).Scan(&ip, &ua)
		if err != nil || ip != testIP || ua != testUA {
			t.Errorf("sign-in audit ip, ua = %q, %q (%v), want %q, %q", ip, ua, err, testIP, testUA)
		}
	})
}

func TestAccountLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleClient, "client@example.org")
		signIn := func(password string) error {
			_, err := e.svc.Authenticate(ctx, u.Email, password, testIP, testUA)
			return err
		}

		for i := range 4 {
			wantErr(t, fmt.Sprintf("failure %d", i+1), signIn("wrong-password!"), ErrInvalidCredentials)
		}
		wantThrottled(t, "fifth failure", signIn("wrong-password!"), 15*time.Minute)
		// Locked: even the right password is refused, without a count.
		wantThrottled(t, "right password while locked", signIn(goodPass), 15*time.Minute)
		e.clk.Advance(12 * time.Minute)
		err := signIn(goodPass)
		wantThrottled(t, "after 12 minutes", err, 3*time.Minute)
		if msg := err.Error(); msg != "Too many sign-in attempts. Try again in 3 minutes." {
			t.Errorf("message = %q", msg)
		}
		e.clk.Advance(3 * time.Minute)
		if err := signIn(goodPass); err != nil {
			t.Fatalf("after the lock ran out: %v", err)
		}

		// A success resets the count: four more failures do not lock.
		for i := range 4 {
			wantErr(t, fmt.Sprintf("failure %d after success", i+1),
				signIn("wrong-password!"), ErrInvalidCredentials)
		}
		if err := signIn(goodPass); err != nil {
			t.Fatalf("success after four failures: %v", err)
		}
		// Failures spread wider than the window never lock.
		for i := range 8 {
			wantErr(t, fmt.Sprintf("slow failure %d", i+1), signIn("wrong-password!"), ErrInvalidCredentials)
			e.clk.Advance(4 * time.Minute)
		}

		actions := e.auditActions(t, "wrong-password!", goodPass)
		if n := count(actions, "auth.locked"); n != 1 {
			t.Errorf("auth.locked audited %d times, want 1: %v", n, actions)
		}
		// 17 wrong passwords and 2 attempts turned away by the lock.
		if n := count(actions, "auth.sign_in_failed"); n != 19 {
			t.Errorf("auth.sign_in_failed audited %d times, want 19", n)
		}
	})
}

func TestUnknownEmailLocksLikeAKnownOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		for range 4 {
			_, err := e.svc.Authenticate(ctx, "ghost@example.org", "whatever-pass", testIP, testUA)
			wantErr(t, "unknown email", err, ErrInvalidCredentials)
		}
		_, err := e.svc.Authenticate(ctx, "ghost@example.org", "whatever-pass", testIP, testUA)
		wantThrottled(t, "fifth failure", err, 15*time.Minute)
	})
}

func TestIPThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")

		// 20 failures over many accounts from one address lock the address.
		var err error
		for i := range 20 {
			email := fmt.Sprintf("guess%d@example.org", i%5)
			_, err = e.svc.Authenticate(ctx, email, "wrong-password!", testIP, testUA)
			if i < 19 && errors.As(err, new(*ThrottledError)) {
				// Each guessed account takes 4 failures: none locks.
				t.Fatalf("failure %d already throttled", i+1)
			}
		}
		wantThrottled(t, "twentieth failure", err, 15*time.Minute)
		_, err = e.svc.Authenticate(ctx, u.Email, goodPass, testIP, testUA)
		wantThrottled(t, "right password from locked address", err, 15*time.Minute)

		// Another address is not affected.
		if _, err := e.svc.Authenticate(ctx, u.Email, goodPass, "198.51.100.7", testUA); err != nil {
			t.Fatalf("other address: %v", err)
		}
		e.clk.Advance(15 * time.Minute)
		if _, err := e.svc.Authenticate(ctx, u.Email, goodPass, testIP, testUA); err != nil {
			t.Fatalf("after the lock ran out: %v", err)
		}
	})
}

func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")
		here, hereSess := e.signIn(t, u)
		there, _ := e.signIn(t, u)
		actor := e.svc.Actor(u, hereSess.ID, testIP, testUA)
		const next = "a new and better passphrase"

		wantField(t, "wrong current", e.svc.ChangePassword(ctx, actor, "wrong-current!", next),
			"current_password")
		wantField(t, "weak next", e.svc.ChangePassword(ctx, actor, goodPass, "password12345"),
			"password")
		wantErr(t, "anonymous", e.svc.ChangePassword(ctx, access.Actor{}, goodPass, next),
			access.ErrForbidden)
		if err := e.svc.ChangePassword(ctx, actor, goodPass, next); err != nil {
			t.Fatal(err)
		}

		if _, _, err := e.svc.Session(ctx, here); err != nil {
			t.Errorf("this session ended: %v", err)
		}
		_, _, err := e.svc.Session(ctx, there)
		wantErr(t, "other session", err, ErrSessionExpired)
		_, err = e.svc.Authenticate(ctx, u.Email, goodPass, testIP, testUA)
		wantErr(t, "old password", err, ErrInvalidCredentials)
		if _, err := e.svc.Authenticate(ctx, u.Email, next, testIP, testUA); err != nil {
			t.Fatalf("new password: %v", err)
		}
		if n := count(e.auditActions(t, next, goodPass), "auth.password_changed"); n != 1 {
			t.Errorf("auth.password_changed audited %d times, want 1", n)
		}
	})
}

func TestSetPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		admin := e.user(t, access.RoleAdmin, "admin@example.org")
		prov := e.user(t, access.RoleProvider, "prov@example.org")
		token, _ := e.signIn(t, prov)
		const next = "reset by the admin today"

		provActor := e.svc.Actor(prov, "", testIP, testUA)
		wantErr(t, "provider", e.svc.SetPassword(ctx, provActor, prov.ID, next), access.ErrForbidden)
		adminActor := e.svc.Actor(admin, "", testIP, testUA)
		wantField(t, "weak", e.svc.SetPassword(ctx, adminActor, prov.ID, "short"), "password")
		if err := e.svc.SetPassword(ctx, adminActor, prov.ID, next); err != nil {
			t.Fatal(err)
		}
		_, _, err := e.svc.Session(ctx, token)
		wantErr(t, "session after reset", err, ErrSessionExpired)
		if _, err := e.svc.Authenticate(ctx, prov.Email, next, testIP, testUA); err != nil {
			t.Fatalf("new password: %v", err)
		}
	})
}

func TestStaleHashUpgradedAtSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")
		e.svc.params = hashParams{memoryKiB: 2048, time: 1, threads: 1, saltLen: 16, keyLen: 32}
		if _, err := e.svc.Authenticate(ctx, u.Email, goodPass, testIP, testUA); err != nil {
			t.Fatal(err)
		}
		var hash string
		if err := db.Reader().QueryRowContext(ctx,
			`SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		p, _, _, err := decodeHash(hash)
		if err != nil || p.memoryKiB != 2048 {
			t.Fatalf("hash after sign-in = %q (%v), want m=2048", hash, err)
		}
	})
}
