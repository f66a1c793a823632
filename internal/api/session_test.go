package api_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// meBody is the response to GET /me.
type meBody struct {
	ID         string `json:"id"`
	Role       string `json:"role"`
	Email      string `json:"email"`
	ProviderID string `json:"provider_id"`
	ClientID   string `json:"client_id"`
}

func TestTokenAndMePerRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// Demo mode: administrators may sign in without TOTP there.
		e := newEnv(t, db, options{demo: true})
		provider := e.newUser(t, access.RoleProvider, "pro@example.test", "")
		client := e.newUser(t, access.RoleClient, "cli@example.test", provider.ProviderID)
		admin := e.newUser(t, access.RoleAdmin, "admin@example.test", "")

		tests := []struct {
			name  string
			email string
			want  meBody
		}{
			{"provider", "pro@example.test", meBody{ID: provider.ID, Role: "provider",
				Email: "pro@example.test", ProviderID: provider.ProviderID}},
			{"client", "Cli@Example.test", meBody{ID: client.ID, Role: "client",
				Email: "cli@example.test", ClientID: client.ClientID}},
			{"admin", "admin@example.test", meBody{ID: admin.ID, Role: "admin",
				Email: "admin@example.test"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.issue(t, tt.email, password, "")
				wantStatus(t, res, http.StatusCreated)
				tok := decode[tokenBody](t, res)
				exp, err := time.Parse(time.RFC3339, tok.ExpiresAt)
				if err != nil || !exp.Equal(e.clk.Now().Add(12*time.Hour)) {
					t.Errorf("expires_at %q, want 12 hours from %s", tok.ExpiresAt, e.clk.Now())
				}

				res = e.do(t, call{method: http.MethodGet, path: "/me", token: tok.Token})
				wantStatus(t, res, http.StatusOK)
				if got := decode[meBody](t, res); got != tt.want {
					t.Errorf("GET /me = %+v, want %+v", got, tt.want)
				}
			})
		}
	})
}

func TestTokenRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")
		e.newUser(t, access.RoleAdmin, "admin@example.test", "")
		before := e.count(t, "api_tokens")

		tests := []struct {
			name, email, pass string
			status            int
			code, field       string
		}{
			{"wrong password", "pro@example.test", "not the password", 401, "invalid_credentials", ""},
			{"unknown email", "nobody@example.test", password, 401, "invalid_credentials", ""},
			{"missing email", "", password, 422, "validation_failed", "email"},
			{"missing password", "pro@example.test", "", 422, "validation_failed", "password"},
			// Outside demo mode an administrator must enrol TOTP first.
			{"admin without TOTP", "admin@example.test", password, 403, "mfa_setup_required", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.issue(t, tt.email, tt.pass, "")
				wantError(t, res, tt.status, tt.code, tt.field)
			})
		}
		if after := e.count(t, "api_tokens"); after != before {
			t.Errorf("api_tokens went from %d to %d rows after refused requests", before, after)
		}
	})
}

func TestBearerRequired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		tests := []struct {
			name, token string
			header      string
			code        string
		}{
			{"no token", "", `Bearer realm="tend"`, "unauthorized"},
			{"unknown token", "not-a-real-token",
				`Bearer realm="tend", error="invalid_token"`, "invalid_token"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: http.MethodGet, path: "/me", token: tt.token})
				wantError(t, res, http.StatusUnauthorized, tt.code, "")
				if got := res.header.Get("WWW-Authenticate"); got != tt.header {
					t.Errorf("WWW-Authenticate %q, want %q", got, tt.header)
				}
			})
		}
	})
}

func TestRevokeCurrentToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")
		token := e.signIn(t, "pro@example.test")
		other := e.signIn(t, "pro@example.test")

		res := e.do(t, call{method: http.MethodDelete, path: "/auth/token", token: token})
		wantStatus(t, res, http.StatusNoContent)
		res = e.do(t, call{method: http.MethodGet, path: "/me", token: token})
		wantError(t, res, http.StatusUnauthorized, "invalid_token", "")

		// Only the token used is revoked.
		res = e.do(t, call{method: http.MethodGet, path: "/me", token: other})
		wantStatus(t, res, http.StatusOK)
	})
}

func TestTokenWithTOTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		u := e.newUser(t, access.RoleProvider, "pro@example.test", "")

		// Enrol TOTP as the portal would.
		ctx := context.Background()
		actor := e.auth.Actor(u, "", "127.0.0.1", "test")
		secret, _, err := e.auth.BeginTOTP(ctx, actor)
		if err != nil {
			t.Fatalf("begin TOTP: %v", err)
		}
		code, err := totp.GenerateCode(secret, e.clk.Now())
		if err != nil {
			t.Fatalf("generate code: %v", err)
		}
		if _, err := e.auth.ConfirmTOTP(ctx, actor, code); err != nil {
			t.Fatalf("confirm TOTP: %v", err)
		}
		e.clk.Advance(time.Minute) // a fresh code, not the one just used

		res := e.issue(t, "pro@example.test", password, "")
		wantError(t, res, http.StatusUnauthorized, "mfa_required", "totp_code")
		code, err = totp.GenerateCode(secret, e.clk.Now())
		if err != nil {
			t.Fatalf("generate code: %v", err)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		res = e.issue(t, "pro@example.test", password, wrong)
		wantError(t, res, http.StatusUnauthorized, "invalid_code", "totp_code")

		// A wrong password with a code is still just a wrong password.
		res = e.issue(t, "pro@example.test", "not the password", code)
		wantError(t, res, http.StatusUnauthorized, "invalid_credentials", "")

		res = e.issue(t, "pro@example.test", password, code)
		wantStatus(t, res, http.StatusCreated)
		token := decode[tokenBody](t, res).Token
		res = e.do(t, call{method: http.MethodGet, path: "/me", token: token})
		wantStatus(t, res, http.StatusOK)
	})
}

func TestTokenThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")

		var res response
		for range 50 {
			res = e.issue(t, "pro@example.test", "not the password", "")
			if res.status != http.StatusUnauthorized {
				break
			}
		}
		wantError(t, res, http.StatusTooManyRequests, "too_many_attempts", "")
		secs, err := strconv.Atoi(res.header.Get("Retry-After"))
		if err != nil || secs < 1 {
			t.Errorf("Retry-After %q, want a positive number of seconds", res.header.Get("Retry-After"))
		}

		// While locked, even the right password is refused...
		res = e.issue(t, "pro@example.test", password, "")
		wantError(t, res, http.StatusTooManyRequests, "too_many_attempts", "")

		// ...and once the lock has expired it works again.
		e.clk.Advance(time.Duration(secs)*time.Second + time.Second)
		res = e.issue(t, "pro@example.test", password, "")
		wantStatus(t, res, http.StatusCreated)
	})
}
