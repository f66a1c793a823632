package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// tokenItem is one entry of GET /tokens.
type tokenItem struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	CreatedAt string  `json:"created_at"`
	ExpiresAt *string `json:"expires_at"`
	RevokedAt *string `json:"revoked_at"`
	Token     string  `json:"token"` // only in the POST response
}

type tokenList struct {
	Items      []tokenItem `json:"items"`
	NextCursor *string     `json:"next_cursor"`
}

// createToken makes a personal access token through the API.
func (e *env) createToken(t *testing.T, bearer string, body map[string]any) tokenItem {
	t.Helper()
	res := e.do(t, call{method: http.MethodPost, path: "/tokens", token: bearer, body: body})
	wantStatus(t, res, http.StatusCreated)
	return decode[tokenItem](t, res)
}

// listTokens returns GET /tokens for bearer.
func (e *env) listTokens(t *testing.T, bearer string) tokenList {
	t.Helper()
	res := e.do(t, call{method: http.MethodGet, path: "/tokens", token: bearer})
	wantStatus(t, res, http.StatusOK)
	return decode[tokenList](t, res)
}

func TestPersonalTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")
		session := e.signIn(t, "pro@example.test")

		expires := e.clk.Now().Add(30 * 24 * time.Hour).Format(time.RFC3339)
		pat := e.createToken(t, session, map[string]any{"name": "backup script", "expires_at": expires})
		if pat.Token == "" || pat.Name != "backup script" ||
			pat.ExpiresAt == nil || *pat.ExpiresAt != expires {
			t.Fatalf("created token %+v", pat)
		}
		forever := e.createToken(t, session, map[string]any{"name": "no expiry"})
		if forever.ExpiresAt != nil {
			t.Errorf("token without expires_at expires at %s", *forever.ExpiresAt)
		}

		// The new token works and the list shows it without its secret.
		res := e.do(t, call{method: http.MethodGet, path: "/me", token: pat.Token})
		wantStatus(t, res, http.StatusOK)
		list := e.listTokens(t, pat.Token)
		if list.NextCursor != nil {
			t.Errorf("next_cursor %q on a one-page list", *list.NextCursor)
		}
		found := false
		for _, it := range list.Items {
			if it.Token != "" {
				t.Errorf("list shows the secret of %s", it.ID)
			}
			found = found || it.ID == pat.ID
		}
		if !found {
			t.Errorf("token %s missing from %+v", pat.ID, list.Items)
		}

		// Revoked, it stops working at once.
		res = e.do(t, call{method: http.MethodDelete, path: "/tokens/" + pat.ID, token: session})
		wantStatus(t, res, http.StatusNoContent)
		res = e.do(t, call{method: http.MethodGet, path: "/me", token: pat.Token})
		wantError(t, res, http.StatusUnauthorized, "invalid_token", "")
		for _, it := range e.listTokens(t, session).Items {
			if it.ID == pat.ID && it.RevokedAt == nil {
				t.Errorf("revoked token %s listed without revoked_at", it.ID)
			}
		}

		// An expired personal token is refused too.
		short := e.createToken(t, session, map[string]any{
			"name": "short", "expires_at": e.clk.Now().Add(time.Hour).Format(time.RFC3339),
		})
		e.clk.Advance(2 * time.Hour)
		res = e.do(t, call{method: http.MethodGet, path: "/me", token: short.Token})
		wantError(t, res, http.StatusUnauthorized, "invalid_token", "")
	})
}

func TestPersonalTokenValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")
		session := e.signIn(t, "pro@example.test")
		before := e.count(t, "api_tokens")

		past := e.clk.Now().Add(-time.Hour).Format(time.RFC3339)
		tests := []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"missing name", map[string]any{}, "name"},
			{"blank name", map[string]any{"name": "   "}, "name"},
			{"expiry not a time", map[string]any{"name": "x", "expires_at": "next week"}, "expires_at"},
			{"expiry in the past", map[string]any{"name": "x", "expires_at": past}, "expires_at"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: http.MethodPost, path: "/tokens", token: session,
					body: tt.body, broken: true})
				wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", tt.field)
			})
		}
		if after := e.count(t, "api_tokens"); after != before {
			t.Errorf("api_tokens went from %d to %d rows", before, after)
		}
	})
}

func TestTokensAreScopedToTheirOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "a@example.test", "")
		e.newUser(t, access.RoleProvider, "b@example.test", "")
		sessionA := e.signIn(t, "a@example.test")
		sessionB := e.signIn(t, "b@example.test")
		patA := e.createToken(t, sessionA, map[string]any{"name": "A's script"})

		// B never sees A's token...
		for _, it := range e.listTokens(t, sessionB).Items {
			if it.ID == patA.ID {
				t.Errorf("B's list shows A's token %s", it.ID)
			}
		}

		// ...and cannot revoke it, nor tell it apart from ids that do
		// not exist or are not ids at all.
		for _, id := range []string{
			patA.ID, store.NewID(), "1", "not-an-id", patA.ID + "0",
			"00000000-0000-0000-0000-000000000000",
		} {
			res := e.do(t, call{method: http.MethodDelete, path: "/tokens/" + id, token: sessionB})
			wantError(t, res, http.StatusNotFound, "not_found", "")
		}
		res := e.do(t, call{method: http.MethodGet, path: "/me", token: patA.Token})
		wantStatus(t, res, http.StatusOK)
	})
}
