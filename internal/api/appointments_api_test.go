package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// previewOut is the answer to POST /appointments/preview.
type previewOut struct {
	Occurrences []struct {
		Start      string   `json:"start"`
		LocalStart string   `json:"local_start"`
		LocalEnd   string   `json:"local_end"`
		Conflict   bool     `json:"conflict"`
		Warnings   []string `json:"warnings"`
	} `json:"occurrences"`
}

func TestAppointmentCreatePreviewAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "pro@example.test")

		// One session on Tuesday at 11:00.
		one := e.book(t, p, local(2026, 3, 3, 11, 0), nil)
		if len(one) != 1 || one[0].LocalStart != "2026-03-03T11:00:00" ||
			one[0].TimeZone != "America/Chicago" || one[0].DurationMinutes != 50 ||
			one[0].Status != "scheduled" || one[0].SeriesID != nil || one[0].ClientName != "Ada Lovelace" {
			t.Fatalf("created %+v", one)
		}
		res := e.do(t, call{method: http.MethodGet, path: "/appointments/" + one[0].ID, token: p.token})
		wantStatus(t, res, http.StatusOK)

		// A weekly series at 10:00 across the change to daylight time on
		// 8 March: the preview books nothing and keeps 10:00 local; the
		// second week overlaps nothing, a session put at 10:30 on the
		// 10th makes it a conflict.
		e.book(t, p, local(2026, 3, 10, 10, 30), nil)
		series := map[string]any{"client_id": p.client.ID, "start": local(2026, 3, 3, 10, 0),
			"duration_minutes": 45, "type": "follow_up", "location": "telehealth",
			"cpt_code": "90834", "recurrence": map[string]any{"frequency": "weekly", "count": 4}}
		before := e.count(t, "appointments")
		res = e.do(t, call{method: http.MethodPost, path: "/appointments/preview", token: p.token, body: series})
		wantStatus(t, res, http.StatusOK)
		prev := decode[previewOut](t, res)
		if len(prev.Occurrences) != 4 {
			t.Fatalf("preview %+v", prev)
		}
		for i, o := range prev.Occurrences {
			if o.LocalStart[11:] != "10:00:00" || o.Conflict != (i == 1) {
				t.Errorf("occurrence %d: %+v", i, o)
			}
		}
		if prev.Occurrences[0].Start != "2026-03-03T16:00:00Z" || prev.Occurrences[1].Start != "2026-03-10T15:00:00Z" {
			t.Errorf("UTC starts %s %s, want the offset to change with DST",
				prev.Occurrences[0].Start, prev.Occurrences[1].Start)
		}
		if n := e.count(t, "appointments"); n != before {
			t.Errorf("preview wrote %d appointments", n-before)
		}

		// Creating it overlaps the 10:30: all or nothing, 409 with slots.
		res = e.do(t, call{method: http.MethodPost, path: "/appointments", token: p.token, body: series})
		wantError(t, res, http.StatusConflict, "slot_taken", "")
		if got := decode[slotTakenBody](t, res); got.Slots == nil {
			t.Error("slot_taken without a slots array")
		}
		if n := e.count(t, "appointments"); n != before {
			t.Errorf("a refused series wrote %d appointments", n-before)
		}
		series["recurrence"] = map[string]any{"frequency": "biweekly", "until": "2026-04-14"}
		created := e.book(t, p, local(2026, 3, 3, 10, 0), map[string]any{
			"duration_minutes": 45, "recurrence": series["recurrence"]})
		if len(created) != 4 || created[0].SeriesID == nil || created[3].LocalStart != "2026-04-14T10:00:00" {
			t.Fatalf("biweekly series %+v", created)
		}

		// Tabs: everything is upcoming now; a week later the first day's
		// sessions are past and unsubmitted; 12 days after them, expiring.
		tab := func(t *testing.T, status string) apptPage {
			t.Helper()
			res := e.do(t, call{method: http.MethodGet, path: "/appointments?status=" + status, token: p.token})
			wantStatus(t, res, http.StatusOK)
			return decode[apptPage](t, res)
		}
		if got := tab(t, "upcoming"); got.Total != 6 || got.Counts["upcoming"] != 6 || got.Counts["past"] != 0 {
			t.Errorf("upcoming %+v", got)
		}
		e.clk.Set(time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC))
		p.token = e.signIn(t, "pro@example.test")
		if got := tab(t, "past"); got.Total != 2 || got.Counts["unsubmitted"] != 2 || got.Counts["expiring"] != 0 {
			t.Errorf("past %+v", got)
		}
		e.clk.Set(time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC))
		p.token = e.signIn(t, "pro@example.test")
		if got := tab(t, "expiring"); got.Total != 2 || got.Counts["upcoming"] != 3 {
			t.Errorf("expiring %+v", got)
		}
		// Paging: one at a time through the upcoming tab.
		res = e.do(t, call{method: http.MethodGet, path: "/appointments?status=upcoming&limit=2", token: p.token})
		page := decode[apptPage](t, res)
		if len(page.Items) != 2 || page.NextCursor == nil {
			t.Fatalf("first page %+v", page)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/appointments?status=upcoming&limit=2&cursor=" + *page.NextCursor, token: p.token})
		if next := decode[apptPage](t, res); len(next.Items) != 1 || next.NextCursor != nil {
			t.Errorf("second page %+v", next)
		}
	})
}

func TestRescheduleScopes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "pro@example.test")
		s := e.book(t, p, local(2026, 3, 3, 10, 0), map[string]any{
			"recurrence": map[string]any{"frequency": "weekly", "count": 5}})
		if len(s) != 5 {
			t.Fatalf("series of %d", len(s))
		}
		patch := func(t *testing.T, id, scope string, body map[string]any) []appt {
			t.Helper()
			res := e.do(t, call{method: http.MethodPatch, path: "/appointments/" + id + "?scope=" + scope,
				token: p.token, body: body})
			wantStatus(t, res, http.StatusOK)
			return decode[apptBatch](t, res).Items
		}
		localStarts := func(t *testing.T) []string {
			t.Helper()
			res := e.do(t, call{method: http.MethodGet, path: "/appointments?status=upcoming", token: p.token})
			var out []string
			for _, a := range decode[apptPage](t, res).Items {
				out = append(out, a.LocalStart[5:16])
			}
			return out
		}

		// This occurrence: the second moves to Wednesday 14:00 only.
		moved := patch(t, s[1].ID, "this", map[string]any{"start": local(2026, 3, 11, 14, 0)})
		if len(moved) != 1 || moved[0].LocalStart != "2026-03-11T14:00:00" || moved[0].Sequence <= s[1].Sequence {
			t.Errorf("this: %+v", moved)
		}
		want := []string{"03-03T10:00", "03-11T14:00", "03-17T10:00", "03-24T10:00", "03-31T10:00"}
		if got := localStarts(t); !slices.Equal(got, want) {
			t.Errorf("after this: %v, want %v", got, want)
		}

		// This and following: from the fourth on, an hour later.
		moved = patch(t, s[3].ID, "following", map[string]any{"start": local(2026, 3, 24, 11, 0)})
		if len(moved) != 2 {
			t.Errorf("following moved %d", len(moved))
		}
		want = []string{"03-03T10:00", "03-11T14:00", "03-17T10:00", "03-24T11:00", "03-31T11:00"}
		if got := localStarts(t); !slices.Equal(got, want) {
			t.Errorf("after following: %v, want %v", got, want)
		}

		// All: the notes for the client change on every session left
		// in the series; nothing is duplicated or lost.
		patch(t, s[0].ID, "all", map[string]any{"notes_for_client": "Use the side door."})
		if n := e.scheduled(t, p.providerID); n != 5 {
			t.Errorf("%d scheduled after edits, want 5", n)
		}
		if n := e.overlappingPairs(t, p.providerID); n != 0 {
			t.Errorf("%d overlapping pairs", n)
		}

		// Moving onto a booked time is slot_taken and moves nothing.
		res := e.do(t, call{method: http.MethodPatch, path: "/appointments/" + s[2].ID, token: p.token,
			body: map[string]any{"scope": "this", "start": local(2026, 3, 3, 10, 15)}})
		wantError(t, res, http.StatusConflict, "slot_taken", "")
		if got := localStarts(t); !slices.Equal(got, want) {
			t.Errorf("after a refused move: %v, want %v", got, want)
		}
		// Scope in the query and in the body must agree.
		res = e.do(t, call{method: http.MethodPatch, path: "/appointments/" + s[2].ID + "?scope=all", token: p.token,
			body: map[string]any{"scope": "this", "notes_for_client": "x"}})
		wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "scope")
	})
}

func TestCancelAndNoShow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "pro@example.test")
		ada := e.portalToken(t, "ada-pro@example.test", p.client.ID)
		soon := e.book(t, p, local(2026, 3, 2, 15, 0), nil)[0]    // 7 hours ahead
		later := e.book(t, p, local(2026, 3, 5, 15, 0), nil)[0]   // days ahead
		another := e.book(t, p, local(2026, 3, 6, 15, 0), nil)[0] // days ahead

		cancel := func(t *testing.T, token, id string, body map[string]any) response {
			t.Helper()
			return e.do(t, call{method: http.MethodPost, path: "/appointments/" + id + "/cancel",
				token: token, body: body})
		}

		// The client lists their own and cancels one well ahead.
		res := e.do(t, call{method: http.MethodGet, path: "/appointments", token: ada})
		if got := decode[apptPage](t, res); got.Total != 3 || got.Counts["upcoming"] != 3 {
			t.Errorf("client's list %+v", got)
		}
		res = cancel(t, ada, later.ID, map[string]any{"reason": "Travelling"})
		wantStatus(t, res, http.StatusOK)
		if got := decode[apptBatch](t, res).Items; len(got) != 1 || got[0].Status != "canceled" {
			t.Errorf("client cancel %+v", got)
		}
		// Inside the 24-hour window a client is told to call.
		res = cancel(t, ada, soon.ID, map[string]any{"reason": "Sick"})
		e409 := wantError(t, res, http.StatusConflict, "outside_cancel_window", "")
		if e409.Error.Message == "" || !strings.Contains(e409.Error.Message, "24 hours") {
			t.Errorf("window message %q", e409.Error.Message)
		}
		// The provider may, and it is recorded as a late cancel.
		res = cancel(t, p.token, soon.ID, map[string]any{"reason": "Client sick"})
		wantStatus(t, res, http.StatusOK)
		if got := decode[apptBatch](t, res).Items; got[0].Status != "late_canceled" || got[0].CancelReason != "Client sick" {
			t.Errorf("provider late cancel %+v", got)
		}
		// A canceled appointment cannot be canceled again.
		res = cancel(t, p.token, soon.ID, map[string]any{"reason": "again"})
		if res.status < 400 || res.status >= 500 {
			t.Errorf("second cancel answered %d", res.status)
		}

		// No-show only once the session has begun.
		noShow := func(t *testing.T, token, id string) response {
			t.Helper()
			return e.do(t, call{method: http.MethodPost, path: "/appointments/" + id + "/no-show", token: token})
		}
		if res := noShow(t, p.token, another.ID); res.status < 400 || res.status >= 500 {
			t.Errorf("no-show before the start answered %d", res.status)
		}
		wantError(t, noShow(t, ada, another.ID), http.StatusForbidden, "forbidden", "")
		e.clk.Set(time.Date(2026, 3, 6, 21, 5, 0, 0, time.UTC))
		p.token = e.signIn(t, "pro@example.test")
		res = noShow(t, p.token, another.ID)
		wantStatus(t, res, http.StatusOK)
		if got := decode[appt](t, res); got.Status != "no_show" {
			t.Errorf("no-show %+v", got)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/appointments?status=canceled", token: p.token})
		if got := decode[apptPage](t, res); got.Total != 3 {
			t.Errorf("canceled tab %+v", got)
		}
	})
}
