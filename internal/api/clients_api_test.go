package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestClientCreateGetUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")

		c := e.createClient(t, p.token, map[string]any{
			"first_name": "Alex", "last_name": "Rivera", "preferred_name": "Lex",
			"pronouns": "they/them", "email": "Alex.Rivera@Example.test",
			"phone": "(415) 555-0132", "date_of_birth": "1990-04-12",
			"type":    "adult",
			"address": map[string]any{"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701"},
			"diagnoses": []map[string]any{
				{"code": "F41.1", "description": "Generalized anxiety disorder"},
			},
			"cash_pay": true,
		})
		if c.Phone != "+14155550132" {
			t.Errorf("phone %q, want E.164 +14155550132", c.Phone)
		}
		if c.Status != "active" || c.DateOfBirth == nil || *c.DateOfBirth != "1990-04-12" {
			t.Errorf("status %q, date of birth %v", c.Status, c.DateOfBirth)
		}

		res := e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID, token: p.token})
		wantStatus(t, res, http.StatusOK)
		if got := decode[clientOut](t, res); got.Email != "alex.rivera@example.test" ||
			got.Address.City != "Springfield" || len(got.Diagnoses) != 1 {
			t.Errorf("read back %+v", got)
		}

		// PATCH merges: the city changes, everything else stays.
		res = e.do(t, call{method: http.MethodPatch, path: "/clients/" + c.ID, token: p.token,
			body: map[string]any{"preferred_name": "Al", "address": map[string]any{"city": "Chicago"}}})
		wantStatus(t, res, http.StatusOK)
		got := decode[clientOut](t, res)
		if got.PreferredName != "Al" || got.Address.City != "Chicago" ||
			got.LastName != "Rivera" || got.Phone != "+14155550132" || len(got.Diagnoses) != 1 {
			t.Errorf("after PATCH %+v", got)
		}

		// An unknown field is refused and changes nothing.
		res = e.do(t, call{method: http.MethodPatch, path: "/clients/" + c.ID, token: p.token,
			body: map[string]any{"last_name": "Changed", "status": "archived"}, broken: true})
		wantError(t, res, http.StatusBadRequest, "unknown_field", "status")
		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID, token: p.token})
		if got := decode[clientOut](t, res); got.LastName != "Rivera" {
			t.Errorf("a refused PATCH changed the last name to %q", got.LastName)
		}
	})
}

func TestClientTabsFollowAppointments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		a := e.createClient(t, p.token, map[string]any{"first_name": "Ana", "last_name": "Able"})
		b := e.createClient(t, p.token, map[string]any{"first_name": "Ben", "last_name": "Baker"})
		c := e.createClient(t, p.token, map[string]any{"first_name": "Cy", "last_name": "Cole"})
		now := e.clk.Now()

		// Ana has one booked ahead, Ben one that took place.
		future := e.addAppointment(t, p.providerID, a.ID, now.Add(48*time.Hour), "scheduled")
		e.addAppointment(t, p.providerID, b.ID, now.Add(-72*time.Hour), "completed")

		tabs := func(t *testing.T, tab string) clientsPage {
			t.Helper()
			path := "/clients?sort=name"
			if tab != "" {
				path += "&status=" + tab
			}
			res := e.do(t, call{method: http.MethodGet, path: path, token: p.token})
			wantStatus(t, res, http.StatusOK)
			return decode[clientsPage](t, res)
		}
		tests := []struct {
			tab  string
			want []string
		}{
			{"", []string{a.ID, b.ID, c.ID}},
			{"active", []string{a.ID, b.ID, c.ID}},
			{"scheduled", []string{a.ID}},
			{"needs_follow_up", []string{b.ID}},
			{"archived", []string{}},
		}
		for _, tt := range tests {
			page := tabs(t, tt.tab)
			if got := ids(page.Items); !slices.Equal(got, tt.want) || page.Total != len(tt.want) {
				t.Errorf("tab %q: %v (total %d), want %v", tt.tab, got, page.Total, tt.want)
			}
			if page.Counts.Active != 3 || page.Counts.Scheduled != 1 ||
				page.Counts.NeedsFollowUp != 1 || page.Counts.Archived != 0 {
				t.Errorf("tab %q: counts %+v", tt.tab, page.Counts)
			}
		}
		res := e.do(t, call{method: http.MethodGet, path: "/clients/" + a.ID, token: p.token})
		if got := decode[clientOut](t, res); got.Status != "scheduled" || got.NextAppointmentAt == nil {
			t.Errorf("Ana: status %q, next %v", got.Status, got.NextAppointmentAt)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + b.ID, token: p.token})
		if got := decode[clientOut](t, res); got.Status != "needs_follow_up" || got.LastAppointmentAt == nil {
			t.Errorf("Ben: status %q, last %v", got.Status, got.LastAppointmentAt)
		}

		// Cancelling Ana's appointment takes her off Scheduled at once.
		e.setAppointmentStatus(t, future, "canceled")
		if got := ids(tabs(t, "scheduled").Items); len(got) != 0 {
			t.Errorf("scheduled after cancelling: %v", got)
		}

		// Archiving hides Cy from every tab but Archived; unarchiving
		// brings him back.
		res = e.do(t, call{method: http.MethodPost, path: "/clients/" + c.ID + "/archive",
			token: p.token, body: map[string]any{"reason": "discharged"}})
		wantStatus(t, res, http.StatusOK)
		if got := decode[clientOut](t, res); got.Status != "archived" ||
			got.ArchivedAt == nil || got.ArchiveReason != "discharged" {
			t.Errorf("archived: %+v", got)
		}
		page := tabs(t, "active")
		if slices.Contains(ids(page.Items), c.ID) || page.Counts.Archived != 1 || page.Counts.Active != 2 {
			t.Errorf("active after archiving: %v, counts %+v", ids(page.Items), page.Counts)
		}
		if got := ids(tabs(t, "archived").Items); !slices.Equal(got, []string{c.ID}) {
			t.Errorf("archived tab: %v", got)
		}
		res = e.do(t, call{method: http.MethodPost, path: "/clients/" + c.ID + "/archive",
			token: p.token, body: map[string]any{"reason": "on a boat"}, broken: true})
		wantStatus(t, res, http.StatusUnprocessableEntity)

		res = e.do(t, call{method: http.MethodPost, path: "/clients/" + c.ID + "/unarchive", token: p.token})
		wantStatus(t, res, http.StatusOK)
		if got := decode[clientOut](t, res); got.Status != "active" || got.ArchivedAt != nil {
			t.Errorf("unarchived: %+v", got)
		}
		if page := tabs(t, ""); page.Counts.Active != 3 || page.Counts.Archived != 0 {
			t.Errorf("counts after unarchiving %+v", page.Counts)
		}
	})
}

func TestClientSearchAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		jose := e.createClient(t, p.token, map[string]any{"first_name": "José", "last_name": "Núñez",
			"phone": "+1 415 555 0177", "email": "jn@example.test"})
		e.createClient(t, p.token, map[string]any{"first_name": "Mary", "last_name": "Smith",
			"preferred_name": "Molly", "phone": "415-555-0100"})
		e.createClient(t, p.token, map[string]any{"first_name": "Mark", "last_name": "Stone"})

		tests := []struct {
			q    string
			want int
		}{
			{"(415) 555-0177", 1},
			{"415.555.0177", 1},
			{"4155550177", 1},
			{"jose", 1},
			{"NUN", 1},
			{"jn@example.test", 1},
			{"mol", 1},
			{"ma", 2},
			{"zzz", 0},
		}
		for _, tt := range tests {
			res := e.do(t, call{method: http.MethodGet, token: p.token,
				path: "/clients?q=" + url.QueryEscape(tt.q)})
			wantStatus(t, res, http.StatusOK)
			page := decode[clientsPage](t, res)
			if len(page.Items) != tt.want || page.Counts.Active != tt.want {
				t.Errorf("q=%q: %d found (counts %+v), want %d", tt.q, len(page.Items), page.Counts, tt.want)
			}
			if strings.HasPrefix(tt.q, "(415)") && (len(page.Items) != 1 || page.Items[0].ID != jose.ID) {
				t.Errorf("q=%q did not find José", tt.q)
			}
		}

		// Two per page: the cursor walks all three, in name order.
		var seen []string
		path := "/clients?sort=name&limit=2"
		for range 3 {
			res := e.do(t, call{method: http.MethodGet, path: path, token: p.token})
			wantStatus(t, res, http.StatusOK)
			page := decode[clientsPage](t, res)
			seen = append(seen, ids(page.Items)...)
			if page.NextCursor == nil {
				break
			}
			path = "/clients?sort=name&limit=2&cursor=" + url.QueryEscape(*page.NextCursor)
		}
		if len(seen) != 3 || seen[0] != jose.ID {
			t.Errorf("pages gave %v", seen)
		}

		for _, bad := range []string{"status=gone", "sort=age", "limit=0", "limit=201", "page=2"} {
			res := e.do(t, call{method: http.MethodGet, path: "/clients?" + bad, token: p.token, broken: true})
			if res.status != http.StatusBadRequest && res.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d", bad, res.status)
			}
		}
	})
}
