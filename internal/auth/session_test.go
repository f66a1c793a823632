package auth

import (
	"context"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestSessionIdleTimeout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")
		token, sess := e.signIn(t, u)

		if sess.IdleExpiresAt != start.Add(IdleTimeout) || sess.ExpiresAt != start.Add(AbsoluteTimeout) {
			t.Fatalf("session = %+v", sess)
		}
		// Each use within the idle limit pushes it back.
		for i := range 3 {
			e.clk.Advance(IdleTimeout - time.Minute)
			got, gotUser, err := e.svc.Session(ctx, token)
			if err != nil {
				t.Fatalf("use %d: %v", i+1, err)
			}
			if gotUser.ID != u.ID || got.ID != sess.ID || !got.LastSeenAt.Equal(e.clk.Now()) {
				t.Fatalf("use %d: session %+v, user %s", i+1, got, gotUser.ID)
			}
		}
		e.clk.Advance(IdleTimeout)
		_, _, err := e.svc.Session(ctx, token)
		wantErr(t, "after idling", err, ErrSessionExpired)
		_, _, err = e.svc.Session(ctx, token)
		wantErr(t, "again", err, ErrSessionExpired)
		_, _, err = e.svc.Session(ctx, "not-a-token")
		wantErr(t, "unknown token", err, ErrSessionExpired)
	})
}

func TestSessionTouchIsThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		token, _ := e.signIn(t, e.user(t, access.RoleClient, "c@example.org"))

		e.clk.Advance(10 * time.Second)
		got, _, err := e.svc.Session(ctx, token)
		if err != nil || !got.LastSeenAt.Equal(start) {
			t.Fatalf("after 10s: last seen %v (%v), want unchanged %v", got.LastSeenAt, err, start)
		}
		e.clk.Advance(20 * time.Second)
		got, _, err = e.svc.Session(ctx, token)
		if err != nil || !got.LastSeenAt.Equal(start.Add(30*time.Second)) {
			t.Fatalf("after 30s: last seen %v (%v)", got.LastSeenAt, err)
		}
	})
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		token, _ := e.signIn(t, e.user(t, access.RoleProvider, "prov@example.org"))
		for elapsed := 10 * time.Minute; elapsed < AbsoluteTimeout; elapsed += 10 * time.Minute {
			e.clk.Advance(10 * time.Minute)
			if _, _, err := e.svc.Session(ctx, token); err != nil {
				t.Fatalf("after %v: %v", elapsed, err)
			}
		}
		e.clk.Advance(10 * time.Minute)
		_, _, err := e.svc.Session(ctx, token)
		wantErr(t, "after 12 hours of use", err, ErrSessionExpired)
	})
}

func TestSessionRotationAndSignOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleProvider, "prov@example.org")
		first, firstSess := e.signIn(t, u)
		second, secondSess := e.signIn(t, u)
		third, _ := e.signIn(t, u)
		if first == second || firstSess.ID == secondSess.ID {
			t.Fatal("a new sign-in reused the token")
		}
		if firstSess.ID == first || len(first) != 43 {
			t.Fatalf("token %q / id %q: want 43-char token stored only hashed", first, firstSess.ID)
		}
		var stored int
		if err := db.Reader().QueryRowContext(ctx,
			`SELECT COUNT(*) FROM sessions WHERE id = $1`, first).Scan(&stored); err != nil || stored != 0 {
			t.Fatalf("raw token stored as session id (%d, %v)", stored, err)
		}

		if err := e.svc.EndSession(ctx, first); err != nil {
			t.Fatal(err)
		}
		_, _, err := e.svc.Session(ctx, first)
		wantErr(t, "signed out", err, ErrSessionExpired)
		if err := e.svc.EndOtherSessions(ctx, u.ID, secondSess.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.svc.Session(ctx, third)
		wantErr(t, "other session", err, ErrSessionExpired)
		if _, _, err := e.svc.Session(ctx, second); err != nil {
			t.Fatalf("kept session: %v", err)
		}
		if err := e.svc.EndAllSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.svc.Session(ctx, second)
		wantErr(t, "everywhere", err, ErrSessionExpired)
		if n := count(e.auditActions(t, first, second, third), "auth.sign_out"); n != 3 {
			t.Errorf("auth.sign_out audited %d times, want 3", n)
		}
	})
}

func TestSessionScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		alice := e.user(t, access.RoleProvider, "alice@example.org")
		bob := e.user(t, access.RoleProvider, "bob@example.org")
		aliceToken, aliceSess := e.signIn(t, alice)
		_, aliceOther := e.signIn(t, alice)
		_, bobSess := e.signIn(t, bob)

		aliceActor := e.svc.Actor(alice, aliceSess.ID, testIP, testUA)
		list, err := e.svc.ListSessions(ctx, aliceActor)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 {
			t.Fatalf("alice sees %d sessions, want 2", len(list))
		}
		for _, s := range list {
			if s.UserID != alice.ID {
				t.Fatalf("alice sees session of %s", s.UserID)
			}
			if s.Current != (s.ID == aliceSess.ID) {
				t.Fatalf("Current wrong on %+v", s)
			}
		}

		bobActor := e.svc.Actor(bob, bobSess.ID, testIP, testUA)
		wantErr(t, "bob revokes alice's session",
			e.svc.RevokeSession(ctx, bobActor, aliceSess.ID), store.ErrNotFound)
		if _, _, err := e.svc.Session(ctx, aliceToken); err != nil {
			t.Fatalf("alice's session after bob's attempt: %v", err)
		}
		if err := e.svc.RevokeSession(ctx, aliceActor, aliceOther.ID); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "revoked twice",
			e.svc.RevokeSession(ctx, aliceActor, aliceOther.ID), store.ErrNotFound)
		_, err = e.svc.ListSessions(ctx, access.Actor{})
		wantErr(t, "anonymous list", err, access.ErrForbidden)
	})
}

func TestDisabledUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		admin := e.user(t, access.RoleAdmin, "admin@example.org")
		prov := e.user(t, access.RoleProvider, "prov@example.org")
		token, _ := e.signIn(t, prov)
		bearer, _, err := e.svc.IssueAPIToken(ctx, prov, testIP, testUA)
		if err != nil {
			t.Fatal(err)
		}

		adminActor := e.svc.Actor(admin, "", testIP, testUA)
		provActor := e.svc.Actor(prov, "", testIP, testUA)
		wantErr(t, "provider disables", e.svc.Disable(ctx, provActor, admin.ID), access.ErrForbidden)
		wantField(t, "admin disables self", e.svc.Disable(ctx, adminActor, admin.ID), "user_id")
		if err := e.svc.Disable(ctx, adminActor, prov.ID); err != nil {
			t.Fatal(err)
		}

		_, _, err = e.svc.Session(ctx, token)
		wantErr(t, "session", err, ErrSessionExpired)
		_, _, err = e.svc.ActorFromToken(ctx, bearer, testIP, testUA)
		wantErr(t, "api token", err, ErrTokenInvalid)
		_, err = e.svc.Authenticate(ctx, prov.Email, goodPass, testIP, testUA)
		wantErr(t, "sign in", err, ErrDisabled)
		got, err := e.svc.UserByID(ctx, prov.ID)
		if err != nil || got.DisabledAt == nil || !got.DisabledAt.Equal(start) {
			t.Fatalf("user = %+v (%v), want disabled at %v", got, err, start)
		}
		_, _, err = e.svc.StartSession(ctx, got, testIP, testUA, true)
		wantErr(t, "start session", err, ErrDisabled)

		// A session that outlived the flag by other means still stops.
		other := e.user(t, access.RoleClient, "c@example.org")
		otherToken, _ := e.signIn(t, other)
		if _, err := db.Writer().ExecContext(ctx,
			`UPDATE users SET disabled_at = $1 WHERE id = $2`, e.clk.Now(), other.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.svc.Session(ctx, otherToken)
		wantErr(t, "session of user disabled directly", err, ErrDisabled)
		if n := count(e.auditActions(t), "auth.user_disabled"); n != 1 {
			t.Errorf("auth.user_disabled audited %d times, want 1", n)
		}
	})
}
