package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// newClientForm is a complete public booking form for start.
func newClientForm(start, email string) url.Values {
	return url.Values{"start": {start}, "tz": {"America/Chicago"}, "first_name": {"Rowan"},
		"last_name": {"Vale"}, "email": {email}, "phone": {"(802) 555-0143"}, "date_of_birth": {"1991-06-14"},
		"state": {"VT"}, "cash_pay": {"1"}, "consent_terms": {"1"}, "consent_privacy": {"1"}, "website": {""}}
}

func TestPublicBooking(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	a, err := s.sched.Availability(context.Background(), providerActor(p))
	if err != nil {
		t.Fatalf("availability: %v", err)
	}
	visitor := s.browser()
	path := "/book/" + a.Slug

	// Open slots in the visitor's zone: Tuesday 3 March 09:00 New York
	// is 08:00 in Chicago.
	page := visitor.get(path + "?tz=America/Chicago")
	want(t, page, http.StatusOK, "Book with Dana Reyes", "Tuesday, 3 March", `value="2026-03-03T14:00:00Z"`,
		"08:00–09:00", `name="website"`)
	want(t, visitor.get(path), http.StatusOK, "09:00–10:00")
	want(t, visitor.get("/book/nobody-here"), http.StatusNotFound)

	// Missing fields are shown next to their inputs; nothing is booked.
	bad := newClientForm("2026-03-03T14:00:00Z", "")
	bad.Del("consent_terms")
	res := visitor.post(path, bad)
	want(t, res, http.StatusUnprocessableEntity, `id="bk-email-error"`, `id="bk-consent-terms-error"`)

	// The honeypot gets the same confirmation and books nothing.
	trap := newClientForm("2026-03-03T14:00:00Z", "bot@example.org")
	trap.Set("website", "http://spam.example")
	want(t, visitor.post(path, trap), http.StatusOK, `id="booking-confirmed"`)
	if n := s.countAppointments(); n != 0 {
		t.Fatalf("the honeypot booked %d appointments", n)
	}

	// A real booking: the client exists, with an intake appointment.
	res = visitor.post(path, newClientForm("2026-03-03T14:00:00Z", "rowan@example.org"))
	want(t, res, http.StatusOK, `id="booking-confirmed"`, "Tue 3 Mar 2026, 08:00–09:00", "America/Chicago")
	list, err := s.clients.List(context.Background(), providerActor(p), clients.Query{Tab: clients.StatusScheduled})
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("scheduled clients = %v, %v; want Rowan", list.Items, err)
	}
	appts := s.list(p, list.Items[0].ID)
	if len(appts) != 1 || appts[0].Kind != scheduling.KindIntake {
		t.Fatalf("appointments = %+v, want one intake", appts)
	}

	// Someone else asking for the same time is told it was taken and
	// shown other times.
	other := s.browser()
	res = other.post(path, newClientForm("2026-03-03T14:00:00Z", "kim@example.org"))
	want(t, res, http.StatusConflict, "just taken", "Choose another time", "Tuesday, 3 March", `value="2026-03-03T1`)
	if strings.Contains(res.body, `value="2026-03-03T14:00:00Z"`) {
		t.Error("the taken time is still offered")
	}

	// The provider sees it in yellow on the week.
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	week := b.get("/appointments?view=week&date=2026-03-03")
	if class := elementClass(t, week.body, "ev-"+appts[0].ID); !strings.Contains(class, "ev-intake") ||
		!strings.Contains(class, "rs-9 ") {
		t.Errorf("booked intake class = %q, want ev-intake at 09:00 (row 9)", class)
	}
}

// countAppointments counts every appointment row.
func (s *site) countAppointments() int {
	s.t.Helper()
	var n int
	if err := s.db.Reader().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM appointments`).Scan(&n); err != nil {
		s.t.Fatalf("count appointments: %v", err)
	}
	return n
}

func TestClientLinkAndPortal(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	sam := s.client("sam@example.org", p.ProviderID)

	// The provider's link for the client books a follow-up for them.
	link, err := s.booking.ClientLink(context.Background(), providerActor(p), sam.ClientID)
	if err != nil {
		t.Fatalf("client link: %v", err)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("parse link %q: %v", link, err)
	}
	anon := s.browser()
	want(t, anon.get(u.Path), http.StatusOK, "Book your next session", `value="2026-03-04T14:00:00Z"`)
	res := anon.post(u.Path, url.Values{"start": {"2026-03-04T14:00:00Z"}, "tz": {"America/New_York"}})
	want(t, res, http.StatusOK, `id="booking-confirmed"`)
	want(t, anon.get(u.Path+"x"), http.StatusNotFound, "cannot be used")

	// In the portal the client sees it, moves it and cancels it.
	c := s.browser()
	c.signIn("sam@example.org", "/portal")
	page := c.get("/portal/appointments")
	want(t, page, http.StatusOK, "Wed 4 Mar 2026, 09:00–09:30")
	id := regexp.MustCompile(`id="reschedule-([0-9a-f-]+)"`).FindStringSubmatch(page.body)
	if id == nil {
		t.Fatalf("no reschedule link:\n%s", page.body)
	}
	want(t, c.get("/portal/appointments/"+id[1]+"/reschedule"), http.StatusOK, `value="2026-03-05T15:00:00Z"`)
	wantRedirect(t, c.post("/portal/appointments/"+id[1]+"/reschedule", url.Values{"start": {"2026-03-05T15:00:00Z"}}),
		"/portal/appointments?done=rescheduled")
	want(t, c.get("/portal/appointments"), http.StatusOK, "Thu 5 Mar 2026, 10:00–10:30")

	// Booking in the portal, then cancelling outside the window works.
	wantRedirect(t, c.post("/portal/appointments", url.Values{"start": {"2026-03-04T14:00:00Z"}}),
		"/portal/appointments?done=booked")
	wantRedirect(t, c.post("/portal/appointments/"+id[1]+"/cancel", nil), "/portal/appointments?done=canceled")
	page = c.get("/portal/appointments")
	want(t, page, http.StatusOK, "Wed 4 Mar 2026, 09:00–09:30", `id="portal-past"`)
	booked := regexp.MustCompile(`id="cancel-([0-9a-f-]+)"`).FindStringSubmatch(page.body)
	if booked == nil {
		t.Fatalf("no cancel button for the portal booking:\n%s", page.body)
	}

	// Inside the cancellation window the client is told to call.
	s.clk.Set(at(3, 3, 12, 0))
	c = s.browser()
	c.signIn("sam@example.org", "/portal")
	want(t, c.post("/portal/appointments/"+booked[1]+"/cancel", nil), http.StatusConflict, "too close")
	want(t, c.get("/portal/appointments"), http.StatusOK, "Within the cancellation window")

	// Another client's appointment is not reachable.
	s.client("kim@example.org", p.ProviderID)
	k := s.browser()
	k.signIn("kim@example.org", "/portal")
	want(t, k.get("/portal/appointments/"+id[1]+"/reschedule"), http.StatusNotFound)
}
