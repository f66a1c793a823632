package scheduling_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// busy inserts a busy event from a connected calendar for provider.
func (e *env) busy(t *testing.T, providerID string, from, to time.Time, transparent bool) {
	t.Helper()
	ctx := context.Background()
	feed := store.NewID()
	_, err := e.db.Writer().ExecContext(ctx, `INSERT INTO calendar_feeds (id,
		provider_id, url_sealed, url_host, created_at) VALUES ($1, $2, 'x', 'h', $3)`,
		feed, providerID, start)
	if err != nil {
		t.Fatalf("insert feed: %v", err)
	}
	_, err = e.db.Writer().ExecContext(ctx, `INSERT INTO busy_events (id, feed_id,
		provider_id, starts_at, ends_at, transparent) VALUES ($1, $2, $3, $4, $5, $6)`,
		store.NewID(), feed, providerID, from.UTC(), to.UTC(), transparent)
	if err != nil {
		t.Fatalf("insert busy event: %v", err)
	}
}

func TestSlotsExcludeAppointmentsAndBusy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		day := func() []string {
			t.Helper()
			got, err := e.svc.Slots(ctx, e.a.ProviderID, ny(3, 4, 0, 0), ny(3, 5, 0, 0), "individual_45")
			if err != nil {
				t.Fatalf("Slots: %v", err)
			}
			var out []string
			for _, s := range got {
				out = append(out, s.LocalStart.Format("15:04"))
			}
			return out
		}
		all := day()
		// 09:00–12:00 office and 12:00–17:00 telehealth, every 30
		// minutes, 45-minute sessions with a 10-minute buffer after: the
		// ranges join only when mode and office match, so 11:30 is out.
		if len(all) == 0 || all[0] != "09:00" || all[len(all)-1] != "16:00" || slices.Contains(all, "11:30") {
			t.Fatalf("open day = %v", all)
		}
		// An appointment 13:00–13:50 with its 10-minute buffer blocks
		// starts from 12:30 (12:30+45+10 > 13:00) to 13:30 (13:50+10).
		e.book(t, e.a, e.ca, ny(3, 4, 13, 0))
		got := day()
		for _, blocked := range []string{"12:30", "13:00", "13:30"} {
			if slices.Contains(got, blocked) {
				t.Errorf("%s still offered: %v", blocked, got)
			}
		}
		if !slices.Contains(got, "12:00") || !slices.Contains(got, "14:00") {
			t.Errorf("neighbours gone: %v", got)
		}
		// A busy event blocks; a transparent one does not.
		e.busy(t, e.a.ProviderID, ny(3, 4, 15, 0), ny(3, 4, 16, 0), false)
		e.busy(t, e.a.ProviderID, ny(3, 4, 9, 0), ny(3, 4, 10, 0), true)
		got = day()
		if slices.Contains(got, "15:00") || !slices.Contains(got, "09:00") {
			t.Errorf("busy events: %v", got)
		}
		// Another provider's appointments do not matter.
		e.book(t, e.b, e.cb, ny(3, 4, 16, 0))
		if got2 := day(); !slices.Contains(got2, "16:00") {
			t.Errorf("other provider blocked 16:00: %v", got2)
		}
		if _, err := e.svc.Slots(ctx, e.a.ProviderID, ny(3, 4, 0, 0), ny(3, 5, 0, 0), "nope"); fieldOf(err) != "type" {
			t.Errorf("unknown type = %v", err)
		}
	})
}

func TestClientReschedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a := e.book(t, e.a, e.ca, ny(3, 5, 13, 0))
		// Moving by 30 minutes overlaps the old time: allowed.
		at := ny(3, 5, 13, 30)
		out, err := e.svc.Reschedule(ctx, e.clientA, a.ID, "", scheduling.Change{Start: &at})
		if err != nil || !out[0].Start.Equal(at) {
			t.Fatalf("client move = %+v, %v", out, err)
		}
		at = ny(3, 5, 20, 0) // outside hours
		if _, err := e.svc.Reschedule(ctx, e.clientA, a.ID, "", scheduling.Change{Start: &at}); !isTaken(err) {
			t.Fatalf("client move outside hours = %v", err)
		}
		e.clk.Set(ny(3, 4, 14, 0)) // inside the 24-hour window
		at = ny(3, 5, 14, 0)
		if _, err := e.svc.Reschedule(ctx, e.clientA, a.ID, "", scheduling.Change{Start: &at}); !errors.Is(err, scheduling.ErrOutsideWindow) {
			t.Fatalf("client move inside the window = %v, want ErrOutsideWindow", err)
		}
	})
}
