package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestIssueAPIToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleClient, "c@example.org")

		bearer, exp, err := e.svc.IssueAPIToken(ctx, u, testIP, testUA)
		if err != nil {
			t.Fatal(err)
		}
		if !exp.Equal(start.Add(APITokenTTL)) || !strings.HasPrefix(bearer, "tend_") {
			t.Fatalf("token %q expires %v", bearer, exp)
		}
		actor, got, err := e.svc.ActorFromToken(ctx, bearer, "198.51.100.9", "curl")
		if err != nil {
			t.Fatal(err)
		}
		want := access.Actor{UserID: u.ID, Role: access.RoleClient, ClientID: u.ClientID,
			SessionID: actor.SessionID, IP: "198.51.100.9", UserAgent: "curl"}
		if actor != want || got.ID != u.ID || actor.SessionID == "" {
			t.Fatalf("actor = %+v, want %+v", actor, want)
		}

		e.clk.Advance(time.Minute)
		if _, _, err := e.svc.ActorFromToken(ctx, bearer, testIP, testUA); err != nil {
			t.Fatal(err)
		}
		list, err := e.svc.ListTokens(ctx, actor)
		if err != nil || len(list) != 1 {
			t.Fatalf("tokens = %+v (%v)", list, err)
		}
		if lu := list[0].LastUsedAt; lu == nil || !lu.Equal(e.clk.Now()) || list[0].Kind != TokenSession {
			t.Fatalf("token = %+v, want session kind last used now", list[0])
		}

		e.clk.Advance(APITokenTTL)
		_, _, err = e.svc.ActorFromToken(ctx, bearer, testIP, testUA)
		wantErr(t, "expired", err, ErrTokenInvalid)
		for _, bad := range []string{"", "tend_", bearer + "x", strings.TrimPrefix(bearer, "tend_")} {
			_, _, err = e.svc.ActorFromToken(ctx, bad, testIP, testUA)
			wantErr(t, "bad token "+bad, err, ErrTokenInvalid)
		}
	})
}

func TestPersonalTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		alice := e.user(t, access.RoleProvider, "alice@example.org")
		bob := e.user(t, access.RoleProvider, "bob@example.org")
		aliceActor := e.svc.Actor(alice, "", testIP, testUA)
		bobActor := e.svc.Actor(bob, "", testIP, testUA)

		past := start.Add(-time.Hour)
		invalid := []struct {
			name, field string
			exp         *time.Time
		}{
			{"", "name", nil},
			{"   ", "name", nil},
			{strings.Repeat("n", 101), "name", nil},
			{"calendar sync", "expires_at", &past},
		}
		for _, tt := range invalid {
			_, _, err := e.svc.CreatePersonalToken(ctx, aliceActor, tt.name, tt.exp)
			wantField(t, "create "+tt.name, err, tt.field)
		}

		soon := start.Add(24 * time.Hour)
		shortLived, short, err := e.svc.CreatePersonalToken(ctx, aliceActor, "  calendar sync ", &soon)
		if err != nil {
			t.Fatal(err)
		}
		forever, keep, err := e.svc.CreatePersonalToken(ctx, aliceActor, "backup script", nil)
		if err != nil {
			t.Fatal(err)
		}
		if short.Name != "calendar sync" || short.Kind != TokenPersonal || keep.ExpiresAt != nil {
			t.Fatalf("tokens %+v %+v", short, keep)
		}

		list, err := e.svc.ListTokens(ctx, aliceActor)
		if err != nil || len(list) != 2 {
			t.Fatalf("alice's tokens = %+v (%v)", list, err)
		}
		if bobs, err := e.svc.ListTokens(ctx, bobActor); err != nil || len(bobs) != 0 {
			t.Fatalf("bob sees %+v (%v)", bobs, err)
		}

		wantErr(t, "bob revokes alice's token",
			e.svc.RevokeToken(ctx, bobActor, keep.ID), store.ErrNotFound)
		if _, _, err := e.svc.ActorFromToken(ctx, forever, testIP, testUA); err != nil {
			t.Fatalf("token after bob's attempt: %v", err)
		}
		if err := e.svc.RevokeToken(ctx, aliceActor, keep.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.svc.ActorFromToken(ctx, forever, testIP, testUA)
		wantErr(t, "revoked", err, ErrTokenInvalid)
		wantErr(t, "revoke twice", e.svc.RevokeToken(ctx, aliceActor, keep.ID), store.ErrNotFound)

		e.clk.Advance(24 * time.Hour)
		_, _, err = e.svc.ActorFromToken(ctx, shortLived, testIP, testUA)
		wantErr(t, "expired personal token", err, ErrTokenInvalid)

		actions := e.auditActions(t, shortLived, forever)
		if count(actions, "auth.token_created") != 2 || count(actions, "auth.token_revoked") != 1 {
			t.Errorf("audit = %v", actions)
		}
	})
}
