package api_test

import (
	"net/http"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// schedulingRows counts the rows bad input must leave alone.
func (e *env) schedulingRows(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"appointments", "clients", "audit_log", "calendar_feeds"} {
		out[table] = e.count(t, table)
	}
	return out
}

func TestAppointmentBadInputWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "pro@example.test")
		archived := e.createClient(t, p.token, map[string]any{"first_name": "Old", "last_name": "Friend"})
		res := e.do(t, call{method: http.MethodPost, path: "/clients/" + archived.ID + "/archive",
			token: p.token, body: map[string]any{"reason": "discharged"}})
		wantStatus(t, res, http.StatusOK)
		booked := e.book(t, p, local(2026, 3, 3, 11, 0), nil)[0]

		body := func(change map[string]any) map[string]any {
			b := map[string]any{"client_id": p.client.ID, "start": local(2026, 3, 4, 10, 0),
				"duration_minutes": 50, "type": "follow_up", "location": "telehealth", "cpt_code": "90834"}
			for k, v := range change {
				if v == nil {
					delete(b, k)
					continue
				}
				b[k] = v
			}
			return b
		}
		tests := []struct {
			name        string
			path        string
			body        map[string]any
			status      int
			code, field string
		}{
			{"duration zero", "/appointments", body(map[string]any{"duration_minutes": 0}), 422, "validation_failed", "duration_minutes"},
			{"duration over 8 hours", "/appointments", body(map[string]any{"duration_minutes": 481}), 422, "validation_failed", "duration_minutes"},
			{"negative duration", "/appointments", body(map[string]any{"duration_minutes": -50}), 422, "validation_failed", "duration_minutes"},
			{"no start", "/appointments", body(map[string]any{"start": nil}), 422, "validation_failed", "start"},
			{"start not RFC 3339", "/appointments", body(map[string]any{"start": "tomorrow at ten"}), 422, "validation_failed", "start"},
			{"unknown type", "/appointments", body(map[string]any{"type": "massage"}), 422, "validation_failed", "type"},
			{"unknown location", "/appointments", body(map[string]any{"location": "beach"}), 422, "validation_failed", "location"},
			{"no client", "/appointments", body(map[string]any{"client_id": nil}), 422, "validation_failed", "client_id"},
			{"unknown client", "/appointments", body(map[string]any{"client_id": store.NewID()}), 422, "validation_failed", "client_id"},
			{"archived client", "/appointments", body(map[string]any{"client_id": archived.ID}), 409, "client_archived", ""},
			{"overlaps a booked session", "/appointments", body(map[string]any{"start": local(2026, 3, 3, 11, 30)}), 409, "slot_taken", ""},
			{"unknown field", "/appointments", body(map[string]any{"status": "completed"}), 400, "unknown_field", "status"},
			{"unknown frequency", "/appointments", body(map[string]any{"recurrence": map[string]any{"frequency": "hourly", "count": 3}}), 422, "validation_failed", ""},
			{"count over 260", "/appointments", body(map[string]any{"recurrence": map[string]any{"frequency": "weekly", "count": 261}}), 422, "validation_failed", ""},
			{"rrule and frequency", "/appointments", body(map[string]any{"recurrence": map[string]any{"frequency": "weekly", "rrule": "FREQ=WEEKLY;COUNT=2"}}), 422, "validation_failed", "recurrence.rrule"},
			{"bad rrule", "/appointments", body(map[string]any{"recurrence": map[string]any{"rrule": "FREQ=SECONDLY;COUNT=2"}}), 422, "validation_failed", ""},
			{"bad until", "/appointments", body(map[string]any{"recurrence": map[string]any{"frequency": "weekly", "until": "June"}}), 422, "validation_failed", "recurrence.until"},
			{"preview of an archived client", "/appointments/preview", body(map[string]any{"client_id": archived.ID}), 409, "client_archived", ""},
			{"preview with duration zero", "/appointments/preview", body(map[string]any{"duration_minutes": 0}), 422, "validation_failed", "duration_minutes"},
		}
		before := e.schedulingRows(t)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: http.MethodPost, path: tt.path, token: p.token,
					body: tt.body, broken: true})
				wantError(t, res, tt.status, tt.code, tt.field)
			})
		}

		// Changes to the booked session that must be refused.
		for _, tt := range []struct {
			name, path  string
			body        map[string]any
			status      int
			code, field string
		}{
			{"reschedule to duration zero", "", map[string]any{"duration_minutes": 0}, 422, "validation_failed", "duration_minutes"},
			{"reschedule to 481 minutes", "", map[string]any{"duration_minutes": 481}, 422, "validation_failed", "duration_minutes"},
			{"unknown scope", "", map[string]any{"scope": "some", "notes_for_client": "x"}, 422, "validation_failed", "scope"},
			{"reschedule unknown field", "", map[string]any{"client_id": store.NewID()}, 400, "unknown_field", "client_id"},
			{"cancel without reason", "/cancel", map[string]any{}, 422, "validation_failed", "reason"},
			{"cancel unknown field", "/cancel", map[string]any{"reason": "x", "fee": 50}, 400, "unknown_field", "fee"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				method := http.MethodPatch
				if tt.path != "" {
					method = http.MethodPost
				}
				res := e.do(t, call{method: method, path: "/appointments/" + booked.ID + tt.path,
					token: p.token, body: tt.body, broken: true})
				wantError(t, res, tt.status, tt.code, tt.field)
			})
		}
		after := e.schedulingRows(t)
		for table, n := range before {
			if after[table] != n {
				t.Errorf("%s went from %d to %d rows", table, n, after[table])
			}
		}
		res = e.do(t, call{method: http.MethodGet, path: "/appointments/" + booked.ID, token: p.token})
		if got := decode[appt](t, res); got.Status != "scheduled" || got.DurationMinutes != 50 || got.Sequence != booked.Sequence {
			t.Errorf("the booked session changed: %+v", got)
		}
	})
}

// TestOtherProvidersAppointmentsAreNotFound sends another provider's
// appointment and feed ids, and malformed ones, to every route that
// takes one: each answers 404 and nothing changes.
func TestOtherProvidersAppointmentsAreNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		owner := e.newSchedPractice(t, "owner@example.test")
		intruder := e.newSchedPractice(t, "intruder@example.test")
		a := e.book(t, owner, local(2026, 3, 3, 11, 0), nil)[0]
		res := e.do(t, call{method: http.MethodGet, path: "/appointments/" + a.ID, token: owner.token})
		before := string(res.body)
		rows := e.schedulingRows(t)

		for _, ids := range []struct{ name, id string }{
			{"another provider's", a.ID}, {"malformed", "not-an-id"}, {"unknown", store.NewID()},
		} {
			for _, rc := range []call{
				{method: http.MethodGet, path: "/appointments/" + ids.id},
				{method: http.MethodPatch, path: "/appointments/" + ids.id, body: map[string]any{"start": local(2026, 3, 5, 9, 0)}},
				{method: http.MethodPatch, path: "/appointments/" + ids.id + "?scope=all", body: map[string]any{"notes_for_client": "x"}},
				{method: http.MethodPost, path: "/appointments/" + ids.id + "/cancel", body: map[string]any{"reason": "x"}},
				{method: http.MethodPost, path: "/appointments/" + ids.id + "/no-show"},
				{method: http.MethodDelete, path: "/calendar-feeds/" + ids.id},
			} {
				t.Run(ids.name+" "+rc.method+" "+rc.path, func(t *testing.T) {
					rc.token = intruder.token
					wantError(t, e.do(t, rc), http.StatusNotFound, "not_found", "")
				})
			}
		}
		for table, n := range rows {
			if got := e.count(t, table); got != n {
				t.Errorf("%s went from %d to %d rows", table, n, got)
			}
		}

		// The intruder's list does not show it, nor does a client_id filter.
		res = e.do(t, call{method: http.MethodGet, path: "/appointments?client_id=" + owner.client.ID, token: intruder.token})
		if got := decode[apptPage](t, res); got.Total != 0 || len(got.Items) != 0 {
			t.Errorf("intruder lists %+v", got)
		}
		// Booking another provider's client is refused.
		res = e.do(t, call{method: http.MethodPost, path: "/appointments", token: intruder.token,
			body: map[string]any{"client_id": owner.client.ID, "start": local(2026, 3, 5, 9, 0), "duration_minutes": 50}})
		wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "client_id")

		res = e.do(t, call{method: http.MethodGet, path: "/appointments/" + a.ID, token: owner.token})
		if string(res.body) != before {
			t.Errorf("owner's appointment changed:\n%s\n%s", before, res.body)
		}
	})
}
