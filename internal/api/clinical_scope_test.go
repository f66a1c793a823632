package api_test

import (
	"net/http"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestOtherProvidersRecordsAreNotFound sends another provider's client,
// form and note ids, and malformed ones, to every clinical route: each
// answers 404 as if the record did not exist, and nothing is written.
func TestOtherProvidersRecordsAreNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		owner := e.newPractice(t, "owner@example.test")
		intruder := e.newPractice(t, "intruder@example.test")
		c := e.createClient(t, owner.token, map[string]any{"first_name": "Jo", "last_name": "Kent"})
		form := e.assign(t, owner.token, c.ID, e.templateFor(t, owner.token, "phq9").ID)
		n := e.newNote(t, owner.token, c.ID, map[string]any{"template": "dap"})
		phq9 := e.templateFor(t, intruder.token, "phq9")

		routes := func(client, form, note string) []call {
			cl, nt := "/clients/"+client, "/notes/"+note
			return []call{
				{method: http.MethodGet, path: cl},
				{method: http.MethodPatch, path: cl, body: map[string]any{"last_name": "X"}},
				{method: http.MethodPost, path: cl + "/archive",
					body: map[string]any{"reason": "discharged"}},
				{method: http.MethodPost, path: cl + "/unarchive"},
				{method: http.MethodGet, path: cl + "/export"},
				{method: http.MethodGet, path: cl + "/export?format=pdf"},
				{method: http.MethodGet, path: cl + "/forms"},
				{method: http.MethodPost, path: cl + "/forms",
					body: map[string]any{"template_id": phq9.ID}},
				{method: http.MethodGet, path: cl + "/measures"},
				{method: http.MethodGet, path: cl + "/notes"},
				{method: http.MethodPost, path: cl + "/notes",
					body: map[string]any{"template": "free"}},
				{method: http.MethodGet, path: "/forms/" + form},
				{method: http.MethodGet, path: nt},
				{method: http.MethodPatch, path: nt,
					body: map[string]any{"fields": map[string]string{"data": "x"}}},
				{method: http.MethodDelete, path: nt},
				{method: http.MethodPost, path: nt + "/sign"},
				{method: http.MethodPost, path: nt + "/addenda",
					body: map[string]any{"text": "x"}},
			}
		}
		rows := func() map[string]int {
			out := map[string]int{}
			for _, table := range []string{"clients", "form_assignments", "notes", "audit_log"} {
				out[table] = e.count(t, table)
			}
			return out
		}

		before := rows()
		for _, ids := range []struct{ name, client, form, note string }{
			{"another provider's", c.ID, form.ID, n.ID},
			{"malformed", "not-an-id", "1%27%20OR%20%271%27=%271", "..%2f"},
			{"unknown", store.NewID(), store.NewID(), store.NewID()},
		} {
			for _, rc := range routes(ids.client, ids.form, ids.note) {
				t.Run(ids.name+" "+rc.method+" "+rc.path, func(t *testing.T) {
					rc.token = intruder.token
					wantError(t, e.do(t, rc), http.StatusNotFound, "not_found", "")
				})
			}
		}
		after := rows()
		for table, n := range before {
			if after[table] != n {
				t.Errorf("%s went from %d to %d rows", table, n, after[table])
			}
		}

		// The owner still has it all as it was.
		res := e.do(t, call{method: http.MethodGet, path: "/notes/" + n.ID, token: owner.token})
		wantStatus(t, res, http.StatusOK)
		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID, token: owner.token})
		if got := decode[clientOut](t, res); got.LastName != "Kent" || got.Status != "active" {
			t.Errorf("owner's client %+v", got)
		}
	})
}

// TestClinicalRoutesByRole checks a client's token reaches their own
// record but none of the provider-only routes.
func TestClinicalRoutesByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		c := e.createClient(t, p.token, map[string]any{"first_name": "Lu", "last_name": "Moe",
			"email": "lu@example.test"})
		lu := e.portalToken(t, "lu@example.test", c.ID)
		n := e.newNote(t, p.token, c.ID, map[string]any{"template": "free"})

		res := e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID, token: lu})
		wantStatus(t, res, http.StatusOK)

		for _, rc := range []call{
			{method: http.MethodGet, path: "/clients"},
			{method: http.MethodPost, path: "/clients",
				body: map[string]any{"first_name": "A", "last_name": "B"}},
			{method: http.MethodPatch, path: "/clients/" + c.ID, body: map[string]any{"last_name": "X"}},
			{method: http.MethodPost, path: "/clients/" + c.ID + "/archive",
				body: map[string]any{"reason": "discharged"}},
			{method: http.MethodGet, path: "/clients/" + c.ID + "/notes"},
			{method: http.MethodGet, path: "/notes/" + n.ID},
			{method: http.MethodGet, path: "/clients/" + c.ID + "/export"},
			{method: http.MethodGet, path: "/tasks"},
			{method: http.MethodGet, path: "/form-templates"},
		} {
			rc.token = lu
			wantError(t, e.do(t, rc), http.StatusForbidden, "forbidden", "")
		}
		if got := e.count(t, "clients"); got != 1 {
			t.Errorf("%d clients, want 1", got)
		}
	})
}
