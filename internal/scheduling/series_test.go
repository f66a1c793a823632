package scheduling_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// weekly books a weekly series of count 50-minute sessions from at.
func (e *env) weekly(t *testing.T, at time.Time, count int) []scheduling.Appointment {
	t.Helper()
	out, err := e.svc.Create(context.Background(), e.a, scheduling.NewAppointment{
		ClientID: e.ca.ID, Start: at, DurationMinutes: 50,
		Recurrence: &scheduling.Recurrence{Frequency: "weekly", Count: count}})
	if err != nil {
		t.Fatalf("Create series: %v", err)
	}
	return out
}

// localStarts returns each appointment's local start as "Jan 2 15:04".
func localStarts(as []scheduling.Appointment) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Start.In(newYork).Format("Jan 2 15:04")
	}
	return out
}

// seriesRows returns every row of the client's appointments by start,
// cancelled ones included.
func (e *env) seriesRows(t *testing.T) []scheduling.Appointment {
	t.Helper()
	all, err := e.svc.ForClient(context.Background(), e.a, e.ca.ID)
	if err != nil {
		t.Fatalf("ForClient: %v", err)
	}
	slices.Reverse(all)
	return all
}

func TestWeeklySeriesAcrossDST(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		got := e.weekly(t, ny(3, 3, 10, 0), 3)
		want := []string{"Mar 3 10:00", "Mar 10 10:00", "Mar 17 10:00"}
		if !slices.Equal(localStarts(got), want) {
			t.Fatalf("local starts = %v, want %v", localStarts(got), want)
		}
		// 10:00 EST is 15:00 UTC; 10:00 EDT is 14:00 UTC.
		if got[0].Start.Hour() != 15 || got[1].Start.Hour() != 14 {
			t.Fatalf("UTC starts = %v, %v", got[0].Start, got[1].Start)
		}
		if got[0].SeriesID == "" || got[0].SeriesID != got[2].SeriesID {
			t.Fatalf("series ids = %q, %q", got[0].SeriesID, got[2].SeriesID)
		}

		// Monthly on the weekday: the first Tuesday of each month.
		out, err := e.svc.Create(context.Background(), e.a, scheduling.NewAppointment{
			ClientID: e.ca.ID, Start: ny(3, 3, 15, 0), DurationMinutes: 50,
			Recurrence: &scheduling.Recurrence{Frequency: "monthly", Count: 3}})
		if err != nil {
			t.Fatalf("monthly: %v", err)
		}
		if w := []string{"Mar 3 15:00", "Apr 7 15:00", "May 5 15:00"}; !slices.Equal(localStarts(out), w) {
			t.Fatalf("monthly = %v, want %v", localStarts(out), w)
		}
	})
}

func TestSeriesConflictRefusesAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		other := e.client(t, e.a, "Oth", "oth@example.com")
		e.book(t, e.a, other, ny(3, 17, 10, 30))
		n := scheduling.NewAppointment{ClientID: e.ca.ID, Start: ny(3, 3, 10, 0),
			DurationMinutes: 50, Recurrence: &scheduling.Recurrence{Frequency: "weekly", Count: 4}}
		occ, err := e.svc.Preview(ctx, e.a, n)
		if err != nil || len(occ) != 4 {
			t.Fatalf("Preview = %d, %v", len(occ), err)
		}
		for i, o := range occ {
			if o.Conflict != (i == 2) {
				t.Fatalf("occurrence %d conflict = %v", i, o.Conflict)
			}
		}
		if _, err := e.svc.Create(ctx, e.a, n); !isTaken(err) {
			t.Fatalf("Create = %v, want ErrSlotTaken", err)
		}
		if got := e.countRows(t, e.a.ProviderID, "scheduled"); got != 1 {
			t.Fatalf("%d rows after refused series, want 1", got)
		}
	})
}

func TestRescheduleScopes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		rows := e.weekly(t, ny(3, 3, 10, 0), 4)
		ids := []string{rows[0].ID, rows[1].ID, rows[2].ID, rows[3].ID}

		check := func(step string, want []string) {
			t.Helper()
			got := e.seriesRows(t)
			if !slices.Equal(localStarts(got), want) {
				t.Fatalf("%s: starts = %v, want %v", step, localStarts(got), want)
			}
			var gotIDs []string
			for _, a := range got {
				gotIDs = append(gotIDs, a.ID)
			}
			slices.Sort(gotIDs)
			wantIDs := slices.Clone(ids)
			slices.Sort(wantIDs)
			if !slices.Equal(gotIDs, wantIDs) {
				t.Fatalf("%s: rows changed: %v", step, gotIDs)
			}
		}

		// This: only the second session moves, to Wednesday.
		at := ny(3, 11, 10, 0)
		out, err := e.svc.Reschedule(ctx, e.a, ids[1], scheduling.ScopeThis, scheduling.Change{Start: &at})
		if err != nil || len(out) != 1 || out[0].Sequence != 1 {
			t.Fatalf("Reschedule this = %+v, %v", out, err)
		}
		check("this", []string{"Mar 3 10:00", "Mar 11 10:00", "Mar 17 10:00", "Mar 24 10:00"})

		// Following from the third: an hour later, every later week.
		at = ny(3, 17, 11, 0)
		out, err = e.svc.Reschedule(ctx, e.a, ids[2], scheduling.ScopeFollowing, scheduling.Change{Start: &at})
		if err != nil || len(out) != 2 {
			t.Fatalf("Reschedule following = %d, %v", len(out), err)
		}
		check("following", []string{"Mar 3 10:00", "Mar 11 10:00", "Mar 17 11:00", "Mar 24 11:00"})
		if out[0].SeriesID == rows[0].SeriesID || out[0].SeriesID != out[1].SeriesID {
			t.Fatalf("following did not split the series: %q %q", out[0].SeriesID, out[1].SeriesID)
		}

		// All, from the (split-off) third: back an hour and a day earlier
		// in wall-clock terms, for the sessions of its series.
		at = ny(3, 16, 10, 0)
		out, err = e.svc.Reschedule(ctx, e.a, ids[2], scheduling.ScopeAll, scheduling.Change{Start: &at})
		if err != nil || len(out) != 2 {
			t.Fatalf("Reschedule all = %d, %v", len(out), err)
		}
		check("all", []string{"Mar 3 10:00", "Mar 11 10:00", "Mar 16 10:00", "Mar 23 10:00"})

		// All on the original series, across the DST change: 09:00 local
		// every week, the detached session keeping its own day.
		at = ny(3, 3, 9, 0)
		if _, err := e.svc.Reschedule(ctx, e.a, ids[0], scheduling.ScopeAll,
			scheduling.Change{Start: &at}); err != nil {
			t.Fatalf("Reschedule all original: %v", err)
		}
		check("all original", []string{"Mar 3 09:00", "Mar 11 09:00", "Mar 16 10:00", "Mar 23 10:00"})

		// A move onto another booked session is refused and changes nothing.
		other := e.client(t, e.a, "Oth", "oth@example.com")
		e.book(t, e.a, other, ny(3, 30, 10, 0))
		at = ny(3, 23, 10, 0).AddDate(0, 0, 7)
		_, err = e.svc.Reschedule(ctx, e.a, ids[3], scheduling.ScopeThis, scheduling.Change{Start: &at})
		if !isTaken(err) {
			t.Fatalf("Reschedule onto booked = %v, want ErrSlotTaken", err)
		}
		check("refused", []string{"Mar 3 09:00", "Mar 11 09:00", "Mar 16 10:00", "Mar 23 10:00"})
		if overlappingPairs(t, db, e.a.ProviderID) != 0 {
			t.Fatal("overlap after moves")
		}
	})
}
