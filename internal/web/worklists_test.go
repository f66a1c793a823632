package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestDashboardWorkTasks: draft notes, forms not returned after three
// days and clients without a next appointment each put a counted task
// on the dashboard that opens the list of them, and the tasks go away
// when the work is done. No task names a client.
func TestDashboardWorkTasks(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	prov := s.provider("dana@example.org")
	ctx := context.Background()
	me := providerActor(prov)
	ana := s.newClient(prov, clients.Input{FirstName: "Ana", LastName: "Ames", Email: "ana@example.org"})
	ben := s.newClient(prov, clients.Input{FirstName: "Ben", LastName: "Bose", Email: "ben@example.org"})
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	p := b.get("/dashboard")
	for _, id := range []string{"task-unsigned-notes", "task-forms-waiting", "task-follow-up"} {
		if strings.Contains(p.body, `id="`+id+`"`) {
			t.Errorf("%s shows with nothing to do", id)
		}
	}
	want(t, b.get("/notes"), http.StatusOK, `id="unsigned-notes-empty"`)
	want(t, b.get("/forms/waiting"), http.StatusOK, `id="waiting-forms-empty"`)

	// Two drafts, a form sent four days ago and one sent today, and Ben
	// seen last week with nothing booked.
	note, err := s.notes.Create(ctx, me, ana.ID, "soap", "",
		map[string]string{"subjective": "Sleeping better."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.notes.Create(ctx, me, ben.ID, "free", "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.forms.Assign(ctx, me, ana.ID, s.templateID(prov, "PHQ-9")); err != nil {
		t.Fatal(err)
	}
	s.clk.Advance(4 * 24 * time.Hour)
	if _, err := s.forms.Assign(ctx, me, ben.ID, s.templateID(prov, "GAD-7")); err != nil {
		t.Fatal(err)
	}
	past := s.clk.Now().Add(-7 * 24 * time.Hour)
	if _, err := s.db.Writer().ExecContext(ctx, `INSERT INTO appointments (id,
		provider_id, client_id, starts_at, ends_at, status, kind, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 'completed', 'follow_up', $4, $4)`,
		store.NewID(), prov.ProviderID, ben.ID, past, past.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	b.signIn("dana@example.org", "/dashboard") // four days ended the session
	p = b.get("/dashboard")
	want(t, p, http.StatusOK, "2 draft notes to sign", `href="/notes"`,
		"1 form sent over 3 days ago not returned yet", `href="/forms/waiting"`,
		"1 client needs a follow-up appointment", `href="/clients?tab=needs_follow_up"`)
	for _, name := range []string{"Ames", "Bose"} {
		if strings.Contains(textOf(t, p.body, "tasks"), name) {
			t.Errorf("a dashboard task names %s", name)
		}
	}

	p = b.get("/notes")
	want(t, p, http.StatusOK, "Ana Ames", "SOAP note", "Ben Bose", "Free-form note",
		`href="/notes/`+note.ID+`"`)
	p = b.get("/forms/waiting")
	want(t, p, http.StatusOK, "PHQ-9", "4 days ago", "GAD-7", "today", "Not started")

	// Signing clears the notes task down to one.
	if _, err := s.notes.Sign(ctx, me, note.ID); err != nil {
		t.Fatal(err)
	}
	want(t, b.get("/dashboard"), http.StatusOK, "1 draft note to sign")

	// A client has none of these pages.
	s.client("cal@example.org", prov.ProviderID)
	cal := s.browser()
	cal.signIn("cal@example.org", "/portal")
	for _, path := range []string{"/notes", "/forms/waiting"} {
		if p := cal.get(path); p.StatusCode == http.StatusOK {
			t.Errorf("a client opened %s", path)
		}
	}
}

// TestCalendarHint: a provider without calendar sync is offered it on the
// dashboard until they set it up or dismiss the suggestion, which stays
// dismissed.
func TestCalendarHint(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	eve := s.provider("eve@example.org")
	dana := s.browser()
	dana.signIn("dana@example.org", "/dashboard")

	want(t, dana.get("/dashboard"), http.StatusOK, `id="task-calendar-sync"`,
		`action="/hints/calendar_sync/dismiss"`)
	wantRedirect(t, dana.post("/hints/calendar_sync/dismiss", nil), "/dashboard")
	if strings.Contains(dana.get("/dashboard").body, `id="task-calendar-sync"`) {
		t.Error("the dismissed hint is back")
	}
	wantRedirect(t, dana.post("/hints/calendar_sync/dismiss", nil), "/dashboard")
	want(t, dana.post("/hints/not_a_hint/dismiss", nil), http.StatusNotFound)

	// Eve takes her feed address: the hint goes without dismissing it.
	if _, err := s.calsync.ExportURL(context.Background(), providerActor(eve)); err != nil {
		t.Fatal(err)
	}
	e := s.browser()
	e.signIn("eve@example.org", "/dashboard")
	if strings.Contains(e.get("/dashboard").body, `id="task-calendar-sync"`) {
		t.Error("the hint shows to a provider whose calendar is connected")
	}
}
