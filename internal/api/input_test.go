package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/api"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// badBodies are request bodies every JSON endpoint must refuse with a
// 4xx JSON error before doing anything.
var badBodies = []struct {
	name        string
	raw         string
	ctype       string
	status      int
	code, field string
}{
	{"malformed JSON", `{"name": `, "", 400, "malformed_json", ""},
	{"not JSON", `name=x`, "", 400, "malformed_json", ""},
	{"array", `[]`, "", 400, "malformed_json", ""},
	{"unknown field", `{"name":"x","role":"admin"}`, "", 400, "unknown_field", "role"},
	{"wrong type", `{"name":5}`, "", 422, "validation_failed", "name"},
	{"NUL character", `{"name":"a\u0000b"}`, "", 422, "validation_failed", "name"},
	{"trailing garbage", `{"name":"x"} x`, "", 400, "trailing_data", ""},
	{"two objects", `{"name":"x"}{"name":"y"}`, "", 400, "trailing_data", ""},
	{"empty body", ``, "", 400, "empty_body", ""},
	{"wrong content type", `{"name":"x"}`, "text/plain", 415, "unsupported_media_type", ""},
	{"form content type", `name=x`, "application/x-www-form-urlencoded",
		415, "unsupported_media_type", ""},
	{"too large", `{"name":"` + strings.Repeat("x", api.MaxBodyBytes) + `"}`, "",
		413, "body_too_large", ""},
}

func TestBadInputWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")
		token := e.signIn(t, "pro@example.test")
		tokens, audits := e.count(t, "api_tokens"), e.count(t, "audit_log")

		for _, path := range []string{"/tokens", "/auth/token"} {
			for _, tt := range badBodies {
				t.Run(path+"/"+tt.name, func(t *testing.T) {
					ctype := tt.ctype
					if ctype == "" {
						ctype = "application/json"
					}
					// Each endpoint gets bodies built on its own field.
					raw, field := tt.raw, tt.field
					if path == "/auth/token" {
						raw = strings.ReplaceAll(raw, "name", "email")
						field = strings.ReplaceAll(field, "name", "email")
					}
					res := e.do(t, call{method: http.MethodPost, path: path, token: token,
						raw: []byte(raw), ctype: ctype, broken: true})
					wantError(t, res, tt.status, tt.code, field)
				})
			}
		}

		if n := e.count(t, "api_tokens"); n != tokens {
			t.Errorf("api_tokens went from %d to %d rows", tokens, n)
		}
		if n := e.count(t, "audit_log"); n != audits {
			t.Errorf("audit_log went from %d to %d rows", audits, n)
		}
	})
}

func TestUnknownRouteAndMethod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		tests := []struct {
			name, method, path string
			status             int
			code, allow        string
		}{
			{"unknown path", http.MethodGet, "/nothing-here", 404, "not_found", ""},
			{"unknown nested path", http.MethodGet, "/tokens/a/b", 404, "not_found", ""},
			{"demo clock outside demo mode", http.MethodGet, "/demo/clock", 404, "not_found", ""},
			{"wrong method", http.MethodPost, "/me", 405, "method_not_allowed", "GET, HEAD"},
			{"wrong method on a token", http.MethodGet, "/tokens/" + store.NewID(),
				405, "method_not_allowed", "DELETE"},
			{"put on tokens", http.MethodPut, "/tokens", 405, "method_not_allowed", "GET, HEAD, POST"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: tt.method, path: tt.path})
				wantError(t, res, tt.status, tt.code, "")
				if got := res.header.Get("Allow"); got != tt.allow {
					t.Errorf("Allow %q, want %q", got, tt.allow)
				}
			})
		}
	})
}

func TestInternalErrorHidesDetails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")
		token := e.signIn(t, "pro@example.test")

		// Take the audit table away: listing it must fail inside.
		_, err := db.Writer().ExecContext(context.Background(),
			`ALTER TABLE audit_log RENAME TO audit_log_gone`)
		if err != nil {
			t.Fatalf("rename audit_log: %v", err)
		}
		res := e.do(t, call{method: http.MethodGet, path: "/audit", token: token})
		wantError(t, res, http.StatusInternalServerError, "internal", "")
		want := `{"error":{"code":"internal","message":"internal error"}}`
		if strings.TrimSpace(string(res.body)) != want {
			t.Errorf("500 body %s, want %s", res.body, want)
		}
		logs := e.logs.String()
		if !strings.Contains(logs, `"msg":"api request failed"`) ||
			!strings.Contains(logs, `"route":"GET /api/v1/audit"`) ||
			!strings.Contains(logs, `"request_id":"`+testRequestID+`"`) {
			t.Errorf("the failure was not logged with its route:\n%s", logs)
		}
		if strings.Contains(logs, "pro@example.test") {
			t.Errorf("the log holds an email address:\n%s", logs)
		}
	})
}
