package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// availabilityOut is the answer to GET /availability (fields tests read).
type availabilityOut struct {
	TimeZone    string                         `json:"time_zone"`
	WeeklyHours map[string][]map[string]string `json:"weekly_hours"`
	Overrides   []struct {
		Date  string              `json:"date"`
		Hours []map[string]string `json:"hours"`
	} `json:"overrides"`
	Rules map[string]int `json:"rules"`
	Types []struct {
		Key string `json:"key"`
		CPT string `json:"cpt_code"`
	} `json:"types"`
	Slug string `json:"slug"`
}

func TestAvailabilityReadAndChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")

		// A provider who never saved settings gets the defaults.
		res := e.do(t, call{method: http.MethodGet, path: "/availability", token: p.token})
		wantStatus(t, res, http.StatusOK)
		got := decode[availabilityOut](t, res)
		if len(got.Types) != 5 || got.Types[0].Key != "intake" || got.Types[0].CPT != "90791" ||
			got.Rules["cancel_window_hours"] != 24 || got.Slug == "" {
			t.Errorf("defaults %+v", got)
		}

		// Rules merge rule by rule; lists are replaced whole.
		res = e.do(t, call{method: http.MethodPatch, path: "/availability", token: p.token,
			body: map[string]any{
				"time_zone":    "America/Chicago",
				"weekly_hours": map[string]any{"tuesday": []map[string]any{{"start": "10:00", "end": "12:00", "location": "telehealth"}, {"start": "13:00", "end": "18:00", "location": "telehealth"}}},
				"overrides":    []map[string]any{{"date": "2026-03-04", "hours": []any{}}},
				"rules":        map[string]any{"increment_minutes": 15},
			}})
		wantStatus(t, res, http.StatusOK)
		got = decode[availabilityOut](t, res)
		if got.TimeZone != "America/Chicago" || got.Rules["increment_minutes"] != 15 ||
			got.Rules["cancel_window_hours"] != 24 || len(got.WeeklyHours["monday"]) != 0 ||
			len(got.WeeklyHours["tuesday"]) != 2 || got.WeeklyHours["tuesday"][1]["end"] != "18:00" ||
			len(got.Overrides) != 1 || got.Overrides[0].Date != "2026-03-04" {
			t.Errorf("after PATCH %+v", got)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/availability", token: p.token})
		if again := decode[availabilityOut](t, res); again.Rules["increment_minutes"] != 15 ||
			len(again.WeeklyHours["tuesday"]) != 2 {
			t.Errorf("read back %+v", again)
		}
	})
}

func TestAvailabilityBadInputChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "pro@example.test")
		before := e.do(t, call{method: http.MethodGet, path: "/availability", token: p.token})
		audits := e.count(t, "audit_log")

		hours := func(ranges ...[2]string) map[string]any {
			var list []map[string]any
			for _, r := range ranges {
				list = append(list, map[string]any{"start": r[0], "end": r[1], "location": "telehealth"})
			}
			return map[string]any{"monday": list}
		}
		tests := []struct {
			name        string
			body        map[string]any
			status      int
			code, field string
		}{
			{"unknown time zone", map[string]any{"time_zone": "Mars/Olympus_Mons"}, 422, "validation_failed", "time_zone"},
			{"Local is no time zone", map[string]any{"time_zone": "Local"}, 422, "validation_failed", "time_zone"},
			{"overlapping working hours", map[string]any{"weekly_hours": hours([2]string{"09:00", "12:00"}, [2]string{"11:00", "15:00"})},
				422, "validation_failed", "weekly_hours.monday"},
			{"hours ending before they start", map[string]any{"weekly_hours": hours([2]string{"12:00", "09:00"})},
				422, "validation_failed", "weekly_hours.monday"},
			{"not a time of day", map[string]any{"weekly_hours": hours([2]string{"9am", "17:00"})},
				422, "validation_failed", "weekly_hours.monday[0].start"},
			{"unknown location", map[string]any{"weekly_hours": map[string]any{"monday": []map[string]any{{"start": "09:00", "end": "10:00", "location": "moon"}}}},
				422, "validation_failed", "weekly_hours.monday[0].location"},
			{"office hours without office", map[string]any{"weekly_hours": map[string]any{"monday": []map[string]any{{"start": "09:00", "end": "10:00", "location": "office"}}}},
				422, "validation_failed", "weekly_hours.monday"},
			{"bad increment", map[string]any{"rules": map[string]any{"increment_minutes": 20}}, 422, "validation_failed", ""},
			{"bad override date", map[string]any{"overrides": []map[string]any{{"date": "2026-02-30", "hours": []any{}}}},
				422, "validation_failed", "overrides[0].date"},
			{"unknown field", map[string]any{"time_zone": "America/Denver", "holidays": true}, 400, "unknown_field", "holidays"},
			{"unknown rule", map[string]any{"rules": map[string]any{"increment_minutes": 30, "lunch": 60}}, 400, "unknown_field", "lunch"},
			{"wrong type", map[string]any{"time_zone": 5}, 422, "validation_failed", "time_zone"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: http.MethodPatch, path: "/availability",
					token: p.token, body: tt.body, broken: true})
				wantError(t, res, tt.status, tt.code, tt.field)
			})
		}
		after := e.do(t, call{method: http.MethodGet, path: "/availability", token: p.token})
		if string(after.body) != string(before.body) {
			t.Errorf("a refused PATCH changed the availability\nbefore %s\nafter  %s", before.body, after.body)
		}
		if n := e.count(t, "audit_log"); n != audits {
			t.Errorf("audit_log went from %d to %d rows", audits, n)
		}
	})
}

func TestProviderSlots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "pro@example.test")
		e.book(t, p, local(2026, 3, 3, 11, 0), nil)

		q := url.Values{"from": {local(2026, 3, 3, 0, 0)}, "to": {local(2026, 3, 4, 0, 0)},
			"appointment_type": {"individual_45"}}
		res := e.do(t, call{method: http.MethodGet, path: "/slots?" + q.Encode(), token: p.token})
		wantStatus(t, res, http.StatusOK)
		got := decode[slotList](t, res)
		// 09:00 to 16:00 on the hour, but for 11:00, which is booked.
		var starts []string
		for _, s := range got.Items {
			starts = append(starts, s.LocalStart[11:16])
		}
		want := []string{"09:00", "10:00", "12:00", "13:00", "14:00", "15:00", "16:00"}
		if got.TimeZone != "America/Chicago" || !slices.Equal(starts, want) {
			t.Errorf("slots %s %v, want %v", got.TimeZone, starts, want)
		}

		for _, tt := range []struct {
			name, query, field string
			status             int
			code               string
		}{
			{"no window", "", "from", 422, "validation_failed"},
			{"to before from", "from=" + local(2026, 3, 4, 0, 0) + "&to=" + local(2026, 3, 3, 0, 0), "to", 422, "validation_failed"},
			{"too long", "from=" + local(2026, 3, 3, 0, 0) + "&to=" + local(2026, 9, 3, 0, 0), "to", 422, "validation_failed"},
			{"unknown type", "from=" + local(2026, 3, 3, 0, 0) + "&to=" + local(2026, 3, 4, 0, 0) + "&appointment_type=massage", "appointment_type", 422, "validation_failed"},
			{"unknown parameter", "from=" + local(2026, 3, 3, 0, 0) + "&to=" + local(2026, 3, 4, 0, 0) + "&tz=UTC", "tz", 400, "unknown_parameter"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: http.MethodGet, path: "/slots?" + tt.query,
					token: p.token, broken: true})
				wantError(t, res, tt.status, tt.code, tt.field)
			})
		}
	})
}
