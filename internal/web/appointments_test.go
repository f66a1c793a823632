package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// nyc is New York, where the test providers work.
var nyc = mustZone("America/New_York")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a wall-clock time in New York in 2026.
func at(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, nyc)
}

// schedSite is a site past first-run setup.
func schedSite(t *testing.T, db *store.DB) *site {
	t.Helper()
	s := newSite(t, db, nil)
	s.admin("admin@example.org")
	return s
}

// book creates appointments through the scheduling area.
func (s *site) book(prov auth.User, n scheduling.NewAppointment) []scheduling.Appointment {
	s.t.Helper()
	if n.TypeKey == "" {
		n.TypeKey = "individual_45"
	}
	if n.Location == "" {
		n.Location = scheduling.LocationTelehealth
	}
	made, err := s.sched.Create(context.Background(), providerActor(prov), n)
	if err != nil {
		s.t.Fatalf("book at %s: %v", n.Start, err)
	}
	return made
}

// elementClass returns the class attribute of the element with the id.
func elementClass(t *testing.T, body, id string) string {
	t.Helper()
	re := regexp.MustCompile(`<[a-z]+ [^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*>`)
	tag := re.FindString(body)
	if tag == "" {
		t.Fatalf("no element #%s in:\n%s", id, body)
	}
	m := regexp.MustCompile(`class="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		t.Fatalf("element #%s has no class: %s", id, tag)
	}
	return m[1]
}

// elementText returns the markup inside the element with the id, up to
// its first closing tag of that kind.
func elementInner(t *testing.T, body, id string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<(a|div) [^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</(a|div)>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no element #%s in:\n%s", id, body)
	}
	return m[2]
}

func TestCalendarWeekAcrossDST(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	c := s.newClient(p, clients.Input{FirstName: "Rowan", LastName: "Vale", Email: "rowan@example.org"})

	// The week of 2 March 2026 ends on Sunday 8 March, when New York
	// moves its clocks forward at 02:00.
	intake := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 6, 10, 0), TypeKey: "intake"})[0]
	series := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 3, 10, 0),
		Recurrence: &scheduling.Recurrence{Frequency: "weekly", Count: 3}})
	sunday := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 8, 10, 0)})[0]
	if got := sunday.Start.UTC().Hour(); got != 14 {
		t.Fatalf("Sunday 10:00 EDT is %s UTC, want 14:00", sunday.Start.UTC())
	}

	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	page := b.get("/appointments?view=week&date=2026-03-04")
	want(t, page, http.StatusOK, `id="calendar-legend"`, "Intake (first session)", "Busy (connected calendar)",
		"Unavailable", "Available", "2 – 8 March 2026")

	// 10:00 is row 13 from 07:00 in 15-minute rows, on both sides of the
	// change; 45 minutes span 3 rows, 60 minutes 4.
	tests := []struct {
		id, kind, label, span string
	}{
		{"ev-" + intake.ID, "ev-intake", "Intake", "sp-4"},
		{"ev-" + series[0].ID, "ev-follow_up", "Follow-up", "sp-3"},
		{"ev-" + sunday.ID, "ev-follow_up", "Follow-up", "sp-3"},
	}
	for _, tc := range tests {
		class := elementClass(t, page.body, tc.id)
		for _, want := range []string{tc.kind, "rs-13", tc.span} {
			if !strings.Contains(" "+class+" ", " "+want+" ") {
				t.Errorf("%s: class %q lacks %q", tc.id, class, want)
			}
		}
		inner := elementInner(t, page.body, tc.id)
		if !strings.Contains(inner, `<span class="ev-label">`+tc.label+`</span>`) ||
			!strings.Contains(inner, "10:00–") || !strings.Contains(inner, "Rowan Vale") {
			t.Errorf("%s: text %q lacks label %q, time or name", tc.id, inner, tc.label)
		}
	}
	if !strings.Contains(page.body, `href="/appointments/`+intake.ID+`"`) {
		t.Error("the intake block does not link to its details")
	}

	// After the change the weekly session is still at 10:00 local.
	next := b.get("/appointments?view=workweek&date=2026-03-10")
	want(t, next, http.StatusOK, "9 – 13 March 2026")
	if class := elementClass(t, next.body, "ev-"+series[1].ID); !strings.Contains(class, "rs-13 ") {
		t.Errorf("Tuesday after DST: class %q, want row 13 (10:00)", class)
	}
	if strings.Contains(next.body, `id="day-2026-03-14"`) {
		t.Error("the work week shows Saturday")
	}

	// Open working hours link to a new appointment at that time: Monday
	// 9 March 09:00 EDT is 13:00 UTC.
	if !strings.Contains(next.body, `/appointments/new?start=2026-03-09T13%3A00%3A00Z`) {
		t.Error("no open slot link for Monday 09:00")
	}

	// Day and month views, and the navigation.
	day := b.get("/appointments?view=day&date=2026-03-08")
	want(t, day, http.StatusOK, "Sunday, 8 March 2026", `id="ev-`+sunday.ID+`"`,
		`href="/appointments?date=2026-03-07&amp;view=day"`)
	month := b.get("/appointments?view=month&date=2026-03-15")
	want(t, month, http.StatusOK, "March 2026", `id="ev-`+series[2].ID+`"`, `class="chip ev-intake"`)
	// Days with open working hours say how many times are left and open
	// the day; weekends and past days have none.
	want(t, month, http.StatusOK, `id="open-2026-03-09"`, " open times")
	for _, none := range []string{"open-2026-03-14", "open-2026-03-01"} {
		if strings.Contains(month.body, `id="`+none+`"`) {
			t.Errorf("the month view offers open times on %s", strings.TrimPrefix(none, "open-"))
		}
	}
}

func TestAppointmentTabs(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	c := s.newClient(p, clients.Input{FirstName: "Ada", LastName: "Moss", Email: "ada@example.org"})
	d := s.newClient(p, clients.Input{FirstName: "Ben", LastName: "Hart", Email: "ben@example.org"})
	s.appointment(p, c.ID, start.AddDate(0, 0, 1), "scheduled")
	s.appointment(p, c.ID, start.AddDate(0, 0, -2), "scheduled")  // unsubmitted
	s.appointment(p, d.ID, start.AddDate(0, 0, -12), "completed") // expiring: 2 days left
	s.appointment(p, d.ID, start.AddDate(0, 0, -20), "completed") // past, window closed
	s.appointment(p, d.ID, start.AddDate(0, 0, 2), "canceled")

	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	page := b.get("/appointments?view=list")
	want(t, page, http.StatusOK, `id="appointment-tabs"`)
	got := map[string]string{}
	re := regexp.MustCompile(`id="(tab-[a-z]+)"[^>]*>\s*[^<]*<span class="count">(\d+)</span>`)
	for _, m := range re.FindAllStringSubmatch(page.body, -1) {
		got[m[1]] = m[2]
	}
	wantCounts := map[string]string{"tab-upcoming": "1", "tab-unsubmitted": "2", "tab-expiring": "1",
		"tab-past": "3", "tab-canceled": "1"}
	for tab, n := range wantCounts {
		if got[tab] != n {
			t.Errorf("%s count = %q, want %s (all: %v)", tab, got[tab], n, got)
		}
	}
	rows := regexpAll(b.get("/appointments?view=list&tab=past").body, `<tr id="appointment-([0-9a-f-]+)"`)
	if len(rows) != 3 {
		t.Errorf("past tab lists %d rows, want 3", len(rows))
	}
	search := b.get("/appointments?view=list&tab=past&q=Hart")
	if rows := regexpAll(search.body, `<tr id="appointment-([0-9a-f-]+)"`); len(rows) != 2 {
		t.Errorf("past tab searched for Hart lists %d rows, want 2", len(rows))
	}
	want(t, b.get("/appointments?view=list&tab=canceled"), http.StatusOK, "Cancelled", "Hart")
}

// appointmentForm is a filled new-appointment form.
func appointmentForm(clientID, date, clock, freq, count string) url.Values {
	return url.Values{"client_id": {clientID}, "type": {"individual_45"}, "date": {date}, "time": {clock},
		"location": {"telehealth"}, "frequency": {freq}, "count": {count}}
}

func TestNewAppointmentPreviewAndConflict(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	c := s.newClient(p, clients.Input{FirstName: "Ada", LastName: "Moss", Email: "ada@example.org"})
	taken := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 17, 10, 0)})[0]

	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	form := b.get("/appointments/new?start=2026-03-10T14%3A00%3A00Z")
	want(t, form, http.StatusOK, `id="af-date" name="date" value="2026-03-10"`, `value="10:00"`, "Ada")

	// A weekly series over the taken Tuesday shows the conflict and
	// offers no way to book it.
	f := appointmentForm(c.ID, "2026-03-10", "10:00", "weekly", "3")
	f.Set("step", "preview")
	page := b.post("/appointments", f)
	want(t, page, http.StatusOK, `id="preview-conflicts"`, "Tue 17 Mar 2026, 10:00–10:45", "Conflict")
	if strings.Contains(page.body, `id="af-book"`) {
		t.Error("a series with a conflict can be booked")
	}
	// Booking a series without its preview shows the preview instead.
	f.Set("step", "book")
	f.Set("frequency", "biweekly")
	page = b.post("/appointments", f)
	want(t, page, http.StatusOK, `id="preview"`, "Tue 24 Mar 2026")
	key := regexp.MustCompile(`name="preview_key" value="([0-9a-f]+)"`).FindStringSubmatch(page.body)
	if key == nil {
		t.Fatalf("no preview key on a conflict-free preview:\n%s", page.body)
	}
	if n := len(s.list(p, c.ID)); n != 1 {
		t.Fatalf("%d appointments after previews, want 1", n)
	}
	f.Set("preview_key", key[1])
	res := b.post("/appointments", f)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/appointments/") {
		t.Fatalf("book previewed series: %d → %q:\n%s", res.StatusCode, res.location(), res.body)
	}
	if n := len(s.list(p, c.ID)); n != 4 {
		t.Errorf("%d appointments after booking the series, want 4", n)
	}

	// A single appointment on the taken time is refused with the message
	// and fresh times.
	single := appointmentForm(c.ID, "2026-03-17", "10:15", "once", "")
	single.Set("step", "book")
	want(t, b.post("/appointments", single), http.StatusConflict, "just taken", `id="fresh-slots"`)

	// Outside working hours is allowed with a warning.
	late := appointmentForm(c.ID, "2026-03-11", "21:00", "once", "")
	late.Set("step", "preview")
	want(t, b.post("/appointments", late), http.StatusOK, `id="preview-outside"`, "Outside working hours")

	// Bad input stays on the form.
	bad := appointmentForm(c.ID, "2026-03-11", "", "once", "")
	bad.Set("step", "book")
	want(t, b.post("/appointments", bad), http.StatusUnprocessableEntity, `id="af-time-error"`)
	zero := appointmentForm(c.ID, "2026-03-11", "11:00", "once", "")
	zero.Set("duration", "0")
	zero.Set("step", "book")
	want(t, b.post("/appointments", zero), http.StatusUnprocessableEntity, `id="af-duration-error"`)
	_ = taken
}

// list returns a client's appointments.
func (s *site) list(prov auth.User, clientID string) []scheduling.Appointment {
	s.t.Helper()
	out, err := s.sched.ForClient(context.Background(), providerActor(prov), clientID)
	if err != nil {
		s.t.Fatalf("appointments of %s: %v", clientID, err)
	}
	return out
}

func TestRescheduleOneOccurrence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := schedSite(t, db)
		p := s.provider("dana@example.org")
		c := s.newClient(p, clients.Input{FirstName: "Ada", LastName: "Moss", Email: "ada@example.org"})
		series := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 4, 10, 0),
			Recurrence: &scheduling.Recurrence{Frequency: "weekly", Count: 4}})

		b := s.browser()
		b.signIn("dana@example.org", "/dashboard")
		detail := b.get("/appointments/" + series[1].ID)
		want(t, detail, http.StatusOK, "Follow-up with Ada Moss", `id="appointment-series"`, `id="rs-scope"`,
			"Wed 11 Mar 2026, 10:00–10:45", "arrives with billing")
		res := b.post("/appointments/"+series[1].ID+"/reschedule", url.Values{"date": {"2026-03-12"},
			"time": {"14:00"}, "duration": {"45"}, "location": {"telehealth"}, "scope": {"this"}})
		wantRedirect(t, res, "/appointments/"+series[1].ID+"?done=rescheduled")

		got := s.list(p, c.ID)
		if len(got) != 4 {
			t.Fatalf("%d appointments after moving one, want 4", len(got))
		}
		starts := map[string]time.Time{}
		for _, a := range got {
			starts[a.ID] = a.Start
		}
		wantStarts := map[string]time.Time{series[0].ID: at(3, 4, 10, 0), series[1].ID: at(3, 12, 14, 0),
			series[2].ID: at(3, 18, 10, 0), series[3].ID: at(3, 25, 10, 0)}
		for id, w := range wantStarts {
			if !starts[id].Equal(w) {
				t.Errorf("appointment %s starts %s, want %s", id, starts[id], w)
			}
		}

		// Moving onto another session is refused with fresh times.
		res = b.post("/appointments/"+series[2].ID+"/reschedule", url.Values{"date": {"2026-03-25"},
			"time": {"10:00"}, "duration": {"45"}, "location": {"telehealth"}, "scope": {"this"}})
		want(t, res, http.StatusConflict, "just taken", `class="slot-link"`)
		// An open time links back with the form filled in for it.
		m := regexp.MustCompile(`href="(/appointments/` + series[2].ID + `\?start=[^"#]+)#reschedule-section"`).
			FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("no open-time link in the conflict page:\n%s", res.body)
		}
		picked := b.get(html.UnescapeString(m[1]))
		want(t, picked, http.StatusOK, `id="reschedule-form"`)
		slot := regexp.MustCompile(`start=([^&"]+)`).FindStringSubmatch(html.UnescapeString(m[1]))
		startAt, err := time.Parse(time.RFC3339, strings.ReplaceAll(slot[1], "%2B", "+"))
		if err != nil {
			t.Fatalf("slot link start %q: %v", slot[1], err)
		}
		local := startAt.In(nyc)
		want(t, picked, http.StatusOK, `value="`+local.Format("2006-01-02")+`"`,
			`value="`+local.Format("15:04")+`"`)
	})
}

func TestCancelAndNoShow(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	c := s.newClient(p, clients.Input{FirstName: "Ada", LastName: "Moss", Email: "ada@example.org"})
	a := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 10, 10, 0)})[0]

	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	want(t, b.post("/appointments/"+a.ID+"/cancel", url.Values{"reason": {""}}),
		http.StatusUnprocessableEntity, `id="cn-reason-error"`)
	wantRedirect(t, b.post("/appointments/"+a.ID+"/cancel", url.Values{"reason": {"illness"}}),
		"/appointments/"+a.ID+"?done=canceled")
	page := b.get("/appointments/" + a.ID + "?done=canceled")
	want(t, page, http.StatusOK, "has been cancelled", "Illness")
	if strings.Contains(page.body, `id="reschedule-form"`) {
		t.Error("a cancelled appointment offers rescheduling")
	}

	// A session that has started can be marked a no-show.
	done := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 11, 10, 15)})[0]
	s.clk.Set(at(3, 11, 10, 30))
	b = s.browser()
	b.signIn("dana@example.org", "/dashboard")
	want(t, b.get("/appointments/"+done.ID), http.StatusOK, `id="no-show-submit"`)
	wantRedirect(t, b.post("/appointments/"+done.ID+"/no-show", nil), "/appointments/"+done.ID+"?done=no_show")
	want(t, b.get("/appointments/"+done.ID), http.StatusOK, "No-show")
}

func TestAppointmentOfAnotherProvider(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	s.provider("eli@example.org")
	c := s.newClient(p, clients.Input{FirstName: "Ada", LastName: "Moss", Email: "ada@example.org"})
	a := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 10, 10, 0)})[0]

	eli := s.browser()
	eli.signIn("eli@example.org", "/dashboard")
	want(t, eli.get("/appointments/"+a.ID), http.StatusNotFound)
	want(t, eli.post("/appointments/"+a.ID+"/cancel", url.Values{"reason": {"illness"}}), http.StatusNotFound)
	want(t, eli.post("/appointments/"+a.ID+"/reschedule", url.Values{"date": {"2026-03-11"}, "time": {"10:00"}}),
		http.StatusNotFound)
	week := eli.get("/appointments?view=week&date=2026-03-10")
	want(t, week, http.StatusOK)
	if strings.Contains(week.body, a.ID) || strings.Contains(week.body, "Moss") {
		t.Error("another provider's calendar shows the appointment")
	}
	want(t, eli.post("/clients/"+c.ID+"/appointments", appointmentForm("", "2026-03-11", "10:00", "once", "")),
		http.StatusNotFound)
}

func TestDashboardAndClientPage(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	c := s.newClient(p, clients.Input{FirstName: "Ada", LastName: "Moss", Email: "ada@example.org"})
	today := s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 2, 15, 0)})[0]
	s.book(p, scheduling.NewAppointment{ClientID: c.ID, Start: at(3, 3, 15, 0)})

	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	dash := b.get("/dashboard")
	want(t, dash, http.StatusOK, `id="today-`+today.ID+`"`, "Mon 2 Mar 2026, 15:00–15:45",
		`id="booking-url"`, "/book/", `data-copy="#booking-url"`)
	if n := len(regexpAll(dash.body, `id="today-([0-9a-f]{8}-[0-9a-f-]+)"`)); n != 1 {
		t.Errorf("Upcoming today lists %d appointments, want 1", n)
	}
	link := b.get("/dashboard?link_client=" + c.ID)
	want(t, link, http.StatusOK, `id="client-link"`, "/book/client/")

	page := b.get("/clients/" + c.ID)
	want(t, page, http.StatusOK, `id="client-appointments"`, `id="follow-up"`, "Schedule a follow-up")
	res := b.post("/clients/"+c.ID+"/appointments", url.Values{"type": {"individual_45"}, "date": {"2026-03-05"},
		"time": {"11:00"}, "location": {"telehealth"}, "frequency": {"once"}, "step": {"book"}})
	wantRedirect(t, res, "/clients/"+c.ID+"?done=booked#appointments-section")
	if n := len(s.list(p, c.ID)); n != 3 {
		t.Errorf("%d appointments after the follow-up, want 3", n)
	}
}

func TestArchivedClientCannotBook(t *testing.T) {
	s := schedSite(t, storetest.SQLite(t))
	p := s.provider("dana@example.org")
	c := s.newClient(p, clients.Input{FirstName: "Ada", LastName: "Moss", Email: "ada@example.org"})
	link, err := s.booking.ClientLink(context.Background(), providerActor(p), c.ID)
	if err != nil {
		t.Fatalf("client link: %v", err)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("parse link: %v", err)
	}
	if _, err := s.clients.Archive(context.Background(), providerActor(p), c.ID, "discharged"); err != nil {
		t.Fatalf("archive: %v", err)
	}

	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	f := appointmentForm(c.ID, "2026-03-11", "10:00", "once", "")
	f.Set("step", "book")
	want(t, b.post("/appointments", f), http.StatusConflict, "archived")
	want(t, b.post("/clients/"+c.ID+"/appointments", f), http.StatusConflict, "archived")
	page := b.get("/clients/" + c.ID)
	want(t, page, http.StatusOK, `id="appointments-section"`)
	if strings.Contains(page.body, `id="follow-up"`) {
		t.Error("an archived client's page offers to schedule a follow-up")
	}
	want(t, b.get("/dashboard?link_client="+c.ID), http.StatusOK, `id="link-client-error"`)
	want(t, s.browser().get(u.Path), http.StatusNotFound, "cannot be used")
	if n := s.countAppointments(); n != 0 {
		t.Errorf("%d appointments booked for an archived client", n)
	}
}
