package api_test

import (
	"net/http"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestClientBadInputWritesNothing sends each kind of bad client record
// and checks it is refused with a 422 naming the field, and that no
// row (client or audit entry) was written.
func TestClientBadInputWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		other := e.newPractice(t, "other@example.test")
		taken := e.createClient(t, p.token, map[string]any{
			"first_name": "Kim", "last_name": "Lee", "email": "kim@example.test"})

		base := func(extra map[string]any) map[string]any {
			m := map[string]any{"first_name": "Robin", "last_name": "Hart"}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
		tests := []struct {
			name   string
			body   map[string]any
			field  string
			status int
		}{
			{"date of birth in the future",
				base(map[string]any{"date_of_birth": "2031-01-01"}), "date_of_birth", 422},
			{"date of birth not a date",
				base(map[string]any{"date_of_birth": "1990-02-30"}), "date_of_birth", 422},
			{"malformed email", base(map[string]any{"email": "robin@@example"}), "email", 422},
			{"malformed phone", base(map[string]any{"phone": "12-34"}), "phone", 422},
			{"letters for a phone", base(map[string]any{"phone": "call me"}), "phone", 422},
			{"malformed ICD-10 code", base(map[string]any{"diagnoses": []map[string]any{
				{"code": "ANXIETY", "description": "x"}}}), "diagnoses[0].code", 422},
			{"same email, same provider", base(map[string]any{"email": "KIM@example.test"}), "email", 422},
			{"no last name", map[string]any{"first_name": "Robin"}, "last_name", 422},
			{"unknown type", base(map[string]any{"type": "robot"}), "type", 422},
			{"unknown field", base(map[string]any{"status": "archived"}), "status", 400},
			{"wrong JSON type", base(map[string]any{"cash_pay": "yes"}), "cash_pay", 422},
		}

		clients, audits := e.count(t, "clients"), e.count(t, "audit_log")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: http.MethodPost, path: "/clients",
					token: p.token, body: tt.body, broken: true})
				wantStatus(t, res, tt.status)
				got := decode[apiError](t, res)
				if got.Error.Field != tt.field {
					t.Errorf("field %q, want %q (message %q)",
						got.Error.Field, tt.field, got.Error.Message)
				}
				if got.Error.Message == "" {
					t.Error("no message")
				}
			})
		}
		if n := e.count(t, "clients"); n != clients {
			t.Errorf("clients went from %d to %d rows", clients, n)
		}
		if n := e.count(t, "audit_log"); n != audits {
			t.Errorf("audit_log went from %d to %d rows", audits, n)
		}

		// The same bad values through PATCH change nothing either.
		for _, body := range []map[string]any{
			{"date_of_birth": "2031-01-01"}, {"email": "nope"}, {"phone": "1"},
			{"diagnoses": []map[string]any{{"code": "12.3"}}},
		} {
			res := e.do(t, call{method: http.MethodPatch, path: "/clients/" + taken.ID,
				token: p.token, body: body, broken: true})
			wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "")
		}
		res := e.do(t, call{method: http.MethodGet, path: "/clients/" + taken.ID, token: p.token})
		if got := decode[clientOut](t, res); got.Email != "kim@example.test" || got.Phone != "" {
			t.Errorf("refused PATCHes changed the record: %+v", got)
		}

		// Another provider may have a client with the same email.
		e.createClient(t, other.token, map[string]any{
			"first_name": "Kim", "last_name": "Lee", "email": "kim@example.test"})
	})
}
