package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestCalendarShowsBusyFromFeed(t *testing.T) {
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		_, _ = w.Write([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" +
			"BEGIN:VEVENT\r\nUID:busy-1@test\r\nDTSTAMP:20260301T000000Z\r\n" +
			"DTSTART:20260304T170000Z\r\nDTEND:20260304T180000Z\r\nSUMMARY:Dentist\r\n" +
			"END:VEVENT\r\nEND:VCALENDAR\r\n"))
	}))
	t.Cleanup(feed.Close)
	s := schedSite(t, storetest.SQLite(t))
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	want(t, b.post("/settings/calendar/feeds", url.Values{"url": {"ftp://nowhere"}}),
		http.StatusUnprocessableEntity, `id="feed-url-error"`)
	wantRedirect(t, b.post("/settings/calendar/feeds", url.Values{"url": {feed.URL + "/cal.ics"}}),
		"/settings/calendar?done=added")
	want(t, b.get("/settings/calendar?done=added"), http.StatusOK, "127.0.0.1", "The calendar is connected")

	page := b.get("/appointments?view=week&date=2026-03-04")
	want(t, page, http.StatusOK)
	class := elementClass(t, page.body, "busy-0-2026-03-04")
	if !strings.Contains(class, "ev-busy") || !strings.Contains(class, "rs-21") || !strings.Contains(class, "sp-4") {
		t.Errorf("busy block class = %q, want ev-busy at 12:00 (row 21) for 4 rows", class)
	}
	if inner := elementInner(t, page.body, "busy-0-2026-03-04"); !strings.Contains(inner, ">Busy<") {
		t.Errorf("busy block text = %q", inner)
	}
	if strings.Contains(page.body, "Dentist") {
		t.Error("the calendar shows an imported event's title")
	}
}

func TestAvailabilitySettings(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	want(t, b.get("/settings/availability"), http.StatusOK, `id="hours-form"`, `value="09:00"`)

	hours := url.Values{"section": {"hours"}, "d1r0_start": {"08:00"}, "d1r0_end": {"12:00"},
		"d1r0_mode": {"telehealth"}, "d1r1_start": {"11:00"}, "d1r1_end": {"15:00"}, "d1r1_mode": {"telehealth"}}
	want(t, b.post("/settings/availability", hours), http.StatusUnprocessableEntity, `id="hours-error"`)
	hours.Set("d1r1_start", "13:00")
	wantRedirect(t, b.post("/settings/availability", hours), "/settings/availability?done=saved")
	want(t, b.get("/settings/availability"), http.StatusOK, `value="08:00"`, `value="13:00"`)

	want(t, b.post("/settings/availability", url.Values{"section": {"general"}, "time_zone": {"Mars/Olympus"},
		"slug": {"dana"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, b.post("/settings/availability", url.Values{"section": {"timeoff"}, "from": {"2026-03-09"},
		"to": {"2026-03-13"}, "note": {"Conference"}}), "/settings/availability?done=saved")
	want(t, b.get("/settings/availability"), http.StatusOK, "Conference")
	// Monday 9 March is off now: no open slot that day.
	week := b.get("/appointments?view=week&date=2026-03-09")
	if strings.Contains(week.body, "start=2026-03-09T") {
		t.Error("the calendar offers open slots on a day off")
	}
}

func TestCalendarFeedServed(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	c := s.newClient(p, clients.Input{FirstName: "Ada", LastName: "Moss", Email: "ada@example.org"})
	s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 10, 10, 0)})

	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	page := b.get("/settings/calendar")
	want(t, page, http.StatusOK, `id="export-url"`)
	m := regexp.MustCompile(`id="export-url" value="[^"]*(/calendar/[A-Za-z0-9_-]+\.ics)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no feed address on:\n%s", page.body)
	}
	anon := s.browser()
	feed := anon.get(m[1])
	want(t, feed, http.StatusOK, "BEGIN:VCALENDAR", "BEGIN:VEVENT", "TZID:America/New_York")
	if ct := feed.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("feed Content-Type = %q", ct)
	}
	if strings.Contains(feed.body, "Ada") || strings.Contains(feed.body, "Moss") {
		t.Errorf("the feed names the client:\n%s", feed.body)
	}
	want(t, anon.get("/calendar/not-a-token.ics"), http.StatusNotFound)

	wantRedirect(t, b.post("/settings/calendar/rotate", nil), "/settings/calendar?done=rotated")
	want(t, anon.get(m[1]), http.StatusNotFound)
}

func TestDateOverride(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	want(t, b.post("/settings/availability", url.Values{"section": {"override"}, "date": {"2026-03-10"},
		"ov_start": {"15:00"}, "ov_end": {"14:00"}, "ov_mode": {"telehealth"}}),
		http.StatusUnprocessableEntity, `id="ov-start-error"`)
	wantRedirect(t, b.post("/settings/availability", url.Values{"section": {"override"}, "date": {"2026-03-10"},
		"ov_start": {"18:00"}, "ov_end": {"20:00"}, "ov_mode": {"telehealth"}}), "/settings/availability?done=saved")
	want(t, b.get("/settings/availability"), http.StatusOK, "2026-03-10: 18:00–20:00")

	// Tuesday 10 March is open 18:00–20:00 EDT only: 22:00Z on, not 13:00Z.
	week := b.get("/appointments?view=week&date=2026-03-10")
	if !strings.Contains(week.body, "start=2026-03-10T22%3A00%3A00Z") ||
		strings.Contains(week.body, "start=2026-03-10T13%3A00%3A00Z") {
		t.Error("the calendar's open slots ignore the date override")
	}
	wantRedirect(t, b.post("/settings/availability", url.Values{"section": {"override_remove"},
		"date": {"2026-03-10"}}), "/settings/availability?done=saved")
	if strings.Contains(b.get("/settings/availability").body, "2026-03-10: 18:00") {
		t.Error("the override is still listed after removal")
	}
}
