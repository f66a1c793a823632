package scheduling_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		// now is Mar 2 09:00 New York; the window is 24 hours.
		soon := e.book(t, e.a, e.ca, ny(3, 3, 8, 0))   // 23 h ahead
		later := e.book(t, e.a, e.ca, ny(3, 3, 10, 0)) // 25 h ahead

		if _, err := e.svc.Cancel(ctx, e.a, later.ID, "", " "); fieldOf(err) != "reason" {
			t.Fatalf("Cancel without reason = %v", err)
		}
		if _, err := e.svc.Cancel(ctx, e.clientA, soon.ID, "", "sick"); !errors.Is(err, scheduling.ErrOutsideWindow) {
			t.Fatalf("client Cancel inside window = %v, want ErrOutsideWindow", err)
		}
		out, err := e.svc.Cancel(ctx, e.clientA, later.ID, "", "sick")
		if err != nil || out[0].Status != scheduling.StatusCanceled || out[0].CanceledBy != "client" ||
			out[0].CancelReason != "sick" || out[0].CanceledAt == nil || out[0].Sequence != 1 {
			t.Fatalf("client Cancel = %+v, %v", out, err)
		}
		out, err = e.svc.Cancel(ctx, e.a, soon.ID, "", "provider ill")
		if err != nil || out[0].Status != scheduling.StatusLateCanceled {
			t.Fatalf("provider late Cancel = %+v, %v", out, err)
		}
		if _, err := e.svc.Cancel(ctx, e.a, soon.ID, "", "again"); fieldOf(err) != "status" {
			t.Fatalf("second Cancel = %v", err)
		}
		// The freed time can be booked again.
		e.book(t, e.a, e.ca, ny(3, 3, 10, 0))

		// Series: following cancels the rest, leaving earlier sessions.
		rows := e.weekly(t, ny(3, 4, 14, 0), 4)
		out, err = e.svc.Cancel(ctx, e.a, rows[2].ID, scheduling.ScopeFollowing, "moving away")
		if err != nil || len(out) != 2 {
			t.Fatalf("Cancel following = %d, %v", len(out), err)
		}
		a1, _ := e.svc.Get(ctx, e.a, rows[1].ID)
		a3, _ := e.svc.Get(ctx, e.a, rows[3].ID)
		if a1.Status != scheduling.StatusScheduled || a3.Status != scheduling.StatusCanceled {
			t.Fatalf("after following: %s, %s", a1.Status, a3.Status)
		}
		if _, err := e.svc.Cancel(ctx, e.clientA, rows[0].ID, scheduling.ScopeAll, "x"); fieldOf(err) != "scope" {
			t.Fatalf("client Cancel all = %v", err)
		}
	})
}

func TestNoShow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a := e.book(t, e.a, e.ca, ny(3, 2, 10, 0)) // an hour from now
		if _, err := e.svc.MarkNoShow(ctx, e.a, a.ID); fieldOf(err) != "status" {
			t.Fatalf("no-show before start = %v", err)
		}
		if _, err := e.svc.MarkNoShow(ctx, e.b, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other provider no-show = %v", err)
		}
		e.clk.Set(ny(3, 2, 10, 5))
		got, err := e.svc.MarkNoShow(ctx, e.a, a.ID)
		if err != nil || got.Status != scheduling.StatusNoShow || got.Sequence != 1 {
			t.Fatalf("no-show = %+v, %v", got, err)
		}
	})
}

func TestClientStatusFollowsAppointments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		status := func() clients.Status {
			t.Helper()
			c, err := e.clients.Get(ctx, e.a, e.ca.ID)
			if err != nil {
				t.Fatalf("Get client: %v", err)
			}
			return c.Status
		}
		if s := status(); s != clients.StatusActive {
			t.Fatalf("before = %s", s)
		}
		a := e.book(t, e.a, e.ca, ny(3, 5, 10, 0))
		if s := status(); s != clients.StatusScheduled {
			t.Fatalf("after booking = %s", s)
		}
		if _, err := e.svc.Cancel(ctx, e.a, a.ID, "", "conflict"); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		if s := status(); s != clients.StatusActive {
			t.Fatalf("after cancel = %s", s)
		}
		e.book(t, e.a, e.ca, ny(3, 2, 7, 0)) // took place this morning
		if s := status(); s != clients.StatusNeedsFollowUp {
			t.Fatalf("after a past session = %s", s)
		}
	})
}

func TestTabs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		// Today is Mar 2 in New York. The window of a session on date d
		// is open while today < d + 14 days: Feb 17 is its last day
		// (1 day left), Feb 19 has 3 days left, Feb 20 has 4.
		past := map[string]time.Time{
			"closed":   ny(2, 16, 23, 0),
			"last_day": ny(2, 17, 0, 30),
			"3_left":   ny(2, 19, 10, 0),
			"4_left":   ny(2, 20, 10, 0),
			"recent":   ny(3, 1, 10, 0),
		}
		for _, at := range past {
			e.book(t, e.a, e.ca, at)
		}
		up := e.book(t, e.a, e.ca, ny(3, 2, 9, 30))
		gone := e.book(t, e.a, e.ca, ny(3, 20, 10, 0))
		if _, err := e.svc.Cancel(ctx, e.a, gone.ID, "", "x"); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		e.book(t, e.b, e.cb, ny(3, 1, 10, 0)) // another provider's

		counts, err := e.svc.TabCounts(ctx, e.a, "")
		if err != nil {
			t.Fatalf("TabCounts: %v", err)
		}
		want := map[string]int{"upcoming": 1, "past": 5, "unsubmitted": 4, "expiring": 2, "canceled": 1}
		for tab, n := range want {
			if counts[tab] != n {
				t.Errorf("%s = %d, want %d (all %v)", tab, counts[tab], n, counts)
			}
		}
		page, err := e.svc.List(ctx, e.a, scheduling.ListQuery{Tab: "expiring"})
		if err != nil || page.Total != 2 || len(page.Items) != 2 ||
			!page.Items[0].Start.Equal(past["last_day"]) {
			t.Fatalf("expiring = %+v, %v", page, err)
		}
		page, err = e.svc.List(ctx, e.a, scheduling.ListQuery{Tab: "upcoming"})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != up.ID {
			t.Fatalf("upcoming = %+v, %v", page, err)
		}
		// Paging through the past tab, two at a time, newest first.
		var seen []time.Time
		cursor := ""
		for range 5 {
			page, err = e.svc.List(ctx, e.a, scheduling.ListQuery{Tab: "past", Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatalf("past page: %v", err)
			}
			for _, a := range page.Items {
				seen = append(seen, a.Start)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != 5 || !seen[0].Equal(past["recent"]) || !seen[4].Equal(past["closed"]) {
			t.Fatalf("past pages = %v", seen)
		}
		// Search by client name.
		counts, _ = e.svc.TabCounts(ctx, e.a, "nobody")
		if counts["past"] != 0 {
			t.Fatalf("search nobody: %v", counts)
		}
		page, _ = e.svc.List(ctx, e.a, scheduling.ListQuery{Tab: "past", Q: "cal"})
		if page.Total != 5 {
			t.Fatalf("search cal: total %d", page.Total)
		}
		if _, err := e.svc.List(ctx, e.a, scheduling.ListQuery{Tab: "later"}); fieldOf(err) != "status" {
			t.Fatalf("bad tab = %v", err)
		}
	})
}
