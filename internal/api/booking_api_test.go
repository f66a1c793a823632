package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// publicSlots is the answer to GET /public/providers/{slug}/slots.
type publicSlots struct {
	Provider struct {
		Slug     string `json:"slug"`
		Name     string `json:"name"`
		TimeZone string `json:"time_zone"`
	} `json:"provider"`
	TimeZone string    `json:"time_zone"`
	Items    []slotOut `json:"items"`
}

// received is the answer to a public booking.
type received struct {
	Status     string `json:"status"`
	Start      string `json:"start"`
	LocalStart string `json:"local_start"`
	TimeZone   string `json:"time_zone"`
}

// visitor is a complete new-client booking form for start.
func visitor(email, start string) map[string]any {
	return map[string]any{"start": start, "first_name": "Grace", "last_name": "Hopper",
		"email": email, "phone": "(415) 555-0100", "date_of_birth": "1990-12-09",
		"state": "IL", "cash_pay": true, "consent_terms": true, "consent_privacy": true,
		"time_zone": "America/New_York", "website": ""}
}

func TestPublicSlotsAndBooking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{bookingLimit: 100})
		p := e.newSchedPractice(t, "pro@example.test")
		base := "/public/providers/" + p.slug

		// Slots of Tuesday in the visitor's zone, without a token: the
		// 60-minute intake fits from 09:00 to 16:00 Chicago time.
		q := url.Values{"from": {local(2026, 3, 3, 0, 0)}, "to": {local(2026, 3, 4, 0, 0)}, "tz": {"Europe/London"}}
		res := e.do(t, call{method: http.MethodGet, path: base + "/slots?" + q.Encode()})
		wantStatus(t, res, http.StatusOK)
		got := decode[publicSlots](t, res)
		if got.Provider.Slug != p.slug || got.Provider.TimeZone != "America/Chicago" ||
			got.TimeZone != "Europe/London" || len(got.Items) != 8 ||
			got.Items[0].LocalStart != "2026-03-03T15:00:00" {
			t.Fatalf("public slots %+v", got)
		}

		// Bad input: clear errors, nothing written.
		before := e.schedulingRows(t)
		for _, tt := range []struct {
			name, method, path string
			body               map[string]any
			status             int
			code, field        string
		}{
			{"unknown zone", "GET", base + "/slots?" + url.Values{"from": q["from"], "to": q["to"], "tz": {"Moon/Base"}}.Encode(), nil, 422, "validation_failed", "tz"},
			{"window ending before it starts", "GET", base + "/slots?from=" + q.Get("to") + "&to=" + q.Get("from"), nil, 422, "validation_failed", "to"},
			{"unknown provider", "GET", "/public/providers/nobody-here/slots?" + q.Encode(), nil, 404, "not_found", ""},
			{"start in the past", "POST", base + "/bookings", visitor("a@example.test", local(2026, 3, 2, 7, 0)), 422, "validation_failed", "start"},
			{"start off the increment", "POST", base + "/bookings", visitor("a@example.test", local(2026, 3, 3, 9, 30)), 422, "validation_failed", "start"},
			{"no consent", "POST", base + "/bookings", func() map[string]any {
				v := visitor("a@example.test", local(2026, 3, 3, 9, 0))
				v["consent_terms"] = false
				return v
			}(), 422, "validation_failed", "consent_terms"},
			{"unknown field", "POST", base + "/bookings", func() map[string]any {
				v := visitor("a@example.test", local(2026, 3, 3, 9, 0))
				v["role"] = "provider"
				return v
			}(), 400, "unknown_field", "role"},
			{"a time that is not open", "POST", base + "/bookings", visitor("a@example.test", local(2026, 3, 3, 18, 0)), 409, "slot_taken", ""},
			{"unknown provider booking", "POST", "/public/providers/nobody-here/bookings", visitor("a@example.test", local(2026, 3, 3, 9, 0)), 404, "not_found", ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: tt.method, path: tt.path, body: tt.body, broken: true})
				wantError(t, res, tt.status, tt.code, tt.field)
			})
		}
		for table, n := range before {
			if table == "audit_log" {
				continue // the slot_taken answer reads slots; nothing PHI is audited
			}
			if got := e.count(t, table); got != n {
				t.Errorf("%s went from %d to %d rows", table, n, got)
			}
		}

		// A booking: the client and the intake appointment exist.
		res = e.do(t, call{method: http.MethodPost, path: base + "/bookings",
			body: visitor("grace@example.test", local(2026, 3, 3, 9, 0))})
		wantStatus(t, res, http.StatusAccepted)
		if r := decode[received](t, res); r.Status != "received" || r.TimeZone != "America/New_York" ||
			r.LocalStart != "2026-03-03T10:00:00" {
			t.Errorf("received %+v", r)
		}
		if n := e.countWhere(t, "appointments", "provider_id = $1 AND kind = 'intake'", p.providerID); n != 1 {
			t.Errorf("%d intake appointments, want 1", n)
		}
		clients := e.count(t, "clients")

		// The same time again is taken, with other times offered.
		res = e.do(t, call{method: http.MethodPost, path: base + "/bookings",
			body: visitor("alan@example.test", local(2026, 3, 3, 9, 0))})
		wantError(t, res, http.StatusConflict, "slot_taken", "")
		if got := decode[slotTakenBody](t, res); got.Slots == nil || len(*got.Slots) == 0 {
			t.Errorf("slot_taken without fresh slots: %s", res.body)
		}

		// An email that is already a client's, and a filled honeypot, get
		// the same answer as a booking and book nothing.
		for _, body := range []map[string]any{
			visitor("grace@example.test", local(2026, 3, 3, 11, 0)),
			func() map[string]any {
				v := visitor("bot@example.test", local(2026, 3, 3, 12, 0))
				v["website"] = "http://spam.example"
				return v
			}(),
		} {
			res = e.do(t, call{method: http.MethodPost, path: base + "/bookings", body: body})
			wantStatus(t, res, http.StatusAccepted)
		}
		if n := e.count(t, "clients"); n != clients {
			t.Errorf("clients went from %d to %d", clients, n)
		}
		if n := e.scheduled(t, p.providerID); n != 1 {
			t.Errorf("%d appointments, want 1", n)
		}
	})
}

func TestPublicBookingRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{bookingLimit: 2})
		p := e.newSchedPractice(t, "pro@example.test")
		path := "/public/providers/" + p.slug + "/bookings"
		for i := range 2 {
			v := visitor("v"+strconv.Itoa(i)+"@example.test", local(2026, 3, 3, 9+i, 0))
			wantStatus(t, e.do(t, call{method: http.MethodPost, path: path, body: v}), http.StatusAccepted)
		}
		res := e.do(t, call{method: http.MethodPost, path: path,
			body: visitor("v3@example.test", local(2026, 3, 3, 13, 0))})
		wantError(t, res, http.StatusTooManyRequests, "rate_limited", "")
		if n, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || n < 1 {
			t.Errorf("Retry-After %q", res.header.Get("Retry-After"))
		}
		if n := e.scheduled(t, p.providerID); n != 2 {
			t.Errorf("%d appointments, want 2", n)
		}
	})
}
