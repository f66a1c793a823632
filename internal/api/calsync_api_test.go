package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// busyCalendar is an outside calendar with one busy hour on Tuesday 3
// March, 12:00-13:00 Chicago time, and one free (transparent) hour.
const busyCalendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:busy-1@test\r\nDTSTAMP:20260301T000000Z\r\n" +
	"DTSTART:20260303T180000Z\r\nDTEND:20260303T190000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:free-1@test\r\nDTSTAMP:20260301T000000Z\r\n" +
	"DTSTART:20260303T200000Z\r\nDTEND:20260303T210000Z\r\nTRANSP:TRANSPARENT\r\nSUMMARY:Maybe\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

// feedOut is a connected calendar as the API answers it.
type feedOut struct {
	ID        string  `json:"id"`
	Host      string  `json:"host"`
	LastOKAt  *string `json:"last_ok_at"`
	LastError string  `json:"last_error"`
}

func TestCalendarFeedsAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "pro@example.test")
		cal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/cal.ics":
				w.Header().Set("Content-Type", "text/calendar")
				_, _ = w.Write([]byte(busyCalendar))
			case "/huge.ics":
				// 50 MB of calendar: over the size limit.
				w.Header().Set("Content-Type", "text/calendar")
				_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
				line := []byte("X-PAD:" + strings.Repeat("x", 1016) + "\r\n")
				for range 50 << 10 {
					if _, err := w.Write(line); err != nil {
						return
					}
				}
			default:
				w.Header().Set("Content-Type", "text/html")
				_, _ = w.Write([]byte("<html>not a calendar</html>"))
			}
		}))
		t.Cleanup(cal.Close)

		// Bad addresses are refused and nothing is stored.
		for _, tt := range []struct{ name, url, code, field string }{
			{"empty", "", "validation_failed", "url"},
			{"not a URL", "not a url", "validation_failed", "url"},
			{"ftp", "ftp://example.test/cal.ics", "validation_failed", "url"},
			{"not iCalendar", cal.URL + "/page.html", "validation_failed", "url"},
			{"50 MB", cal.URL + "/huge.ics", "validation_failed", "url"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: http.MethodPost, path: "/calendar-feeds", token: p.token,
					body: map[string]any{"url": tt.url}})
				wantError(t, res, http.StatusUnprocessableEntity, tt.code, tt.field)
			})
		}
		if n := e.count(t, "calendar_feeds"); n != 0 {
			t.Errorf("%d feeds stored from bad addresses", n)
		}

		res := e.do(t, call{method: http.MethodPost, path: "/calendar-feeds", token: p.token,
			body: map[string]any{"url": cal.URL + "/cal.ics"}})
		wantStatus(t, res, http.StatusCreated)
		feed := decode[feedOut](t, res)
		if feed.Host != "127.0.0.1" || feed.LastOKAt == nil || strings.Contains(string(res.body), "/cal.ics") {
			t.Errorf("feed %s", res.body)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/calendar-feeds", token: p.token})
		if got := decode[struct{ Items []feedOut }](t, res); len(got.Items) != 1 || got.Items[0].ID != feed.ID {
			t.Errorf("feeds %s", res.body)
		}

		// The busy hour blocks its slot; the free one does not.
		q := url.Values{"from": {local(2026, 3, 3, 0, 0)}, "to": {local(2026, 3, 4, 0, 0)}}
		starts := func(t *testing.T) string {
			t.Helper()
			res := e.do(t, call{method: http.MethodGet, path: "/slots?" + q.Encode(), token: p.token})
			var out []string
			for _, s := range decode[slotList](t, res).Items {
				out = append(out, s.LocalStart[11:13])
			}
			return strings.Join(out, ",")
		}
		if got, want := starts(t), "09,10,11,13,14,15,16"; got != want {
			t.Errorf("slots with the feed %s, want %s", got, want)
		}
		res = e.do(t, call{method: http.MethodDelete, path: "/calendar-feeds/" + feed.ID, token: p.token})
		wantStatus(t, res, http.StatusNoContent)
		if got, want := starts(t), "09,10,11,12,13,14,15,16"; got != want {
			t.Errorf("slots after removing the feed %s, want %s", got, want)
		}

		// Export: one stable address until it is rotated.
		get := func(t *testing.T, method string, status int) string {
			t.Helper()
			res := e.do(t, call{method: method, path: "/calendar-export", token: p.token})
			wantStatus(t, res, status)
			return decode[struct {
				URL string `json:"url"`
			}](t, res).URL
		}
		first := get(t, http.MethodGet, http.StatusOK)
		if !strings.HasPrefix(first, "http://127.0.0.1:8080/calendar/") || !strings.HasSuffix(first, ".ics") {
			t.Errorf("export url %q", first)
		}
		if again := get(t, http.MethodGet, http.StatusOK); again != first {
			t.Errorf("export url changed on read: %q then %q", first, again)
		}
		rotated := get(t, http.MethodPost, http.StatusCreated)
		if rotated == first || get(t, http.MethodGet, http.StatusOK) != rotated {
			t.Errorf("rotation: %q then %q", first, rotated)
		}

		// Clients have no calendar settings.
		ada := e.portalToken(t, "ada-pro@example.test", p.client.ID)
		for _, rc := range []call{
			{method: http.MethodGet, path: "/calendar-feeds"},
			{method: http.MethodGet, path: "/calendar-export"},
			{method: http.MethodGet, path: "/availability"},
			{method: http.MethodGet, path: "/slots?" + q.Encode()},
		} {
			rc.token = ada
			wantError(t, e.do(t, rc), http.StatusForbidden, "forbidden", "")
		}
	})
}
