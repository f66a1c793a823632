package scheduling_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestCreateValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		good := func() scheduling.NewAppointment {
			return scheduling.NewAppointment{ClientID: e.ca.ID, Start: ny(3, 4, 10, 0),
				DurationMinutes: 50, Kind: scheduling.KindFollowUp}
		}
		archived := e.client(t, e.a, "Arch", "arch@example.com")
		if _, err := e.clients.Archive(ctx, e.a, archived.ID, "discharged"); err != nil {
			t.Fatalf("archive: %v", err)
		}
		tests := []struct {
			name   string
			actor  func() any
			change func(n *scheduling.NewAppointment)
			field  string
			is     error
		}{
			{"zero duration", nil, func(n *scheduling.NewAppointment) { n.DurationMinutes = -1 }, "duration_minutes", nil},
			{"over 8 hours", nil, func(n *scheduling.NewAppointment) { n.DurationMinutes = 8*60 + 1 }, "duration_minutes", nil},
			{"no start", nil, func(n *scheduling.NewAppointment) { n.Start = time.Time{} }, "start", nil},
			{"unknown type", nil, func(n *scheduling.NewAppointment) { n.TypeKey = "massage" }, "type_key", nil},
			{"bad kind", nil, func(n *scheduling.NewAppointment) { n.Kind = "group" }, "type", nil},
			{"bad location", nil, func(n *scheduling.NewAppointment) { n.Location = "moon" }, "location", nil},
			{"unknown office", nil, func(n *scheduling.NewAppointment) { n.OfficeID = store.NewID() }, "office_id", nil},
			{"bad cpt", nil, func(n *scheduling.NewAppointment) { n.CPT = "9083" }, "cpt_code", nil},
			{"other provider's client", nil, func(n *scheduling.NewAppointment) { n.ClientID = e.cb.ID }, "client_id", nil},
			{"archived client", nil, func(n *scheduling.NewAppointment) { n.ClientID = archived.ID }, "", scheduling.ErrArchived},
			{"bad frequency", nil, func(n *scheduling.NewAppointment) {
				n.Recurrence = &scheduling.Recurrence{Frequency: "daily", Count: 3}
			}, "recurrence", nil},
			{"too many sessions", nil, func(n *scheduling.NewAppointment) {
				n.Recurrence = &scheduling.Recurrence{Frequency: "weekly", Count: 261}
			}, "recurrence", nil},
			{"endless rrule", nil, func(n *scheduling.NewAppointment) {
				n.Recurrence = &scheduling.Recurrence{RRule: "FREQ=WEEKLY"}
			}, "recurrence.rrule", nil},
			{"unsupported rrule", nil, func(n *scheduling.NewAppointment) {
				n.Recurrence = &scheduling.Recurrence{RRule: "FREQ=HOURLY;COUNT=3"}
			}, "recurrence.rrule", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n := good()
				tt.change(&n)
				_, err := e.svc.Create(ctx, e.a, n)
				if err == nil {
					t.Fatal("Create succeeded")
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Fatalf("err = %v, want %v", err, tt.is)
				}
				if tt.field != "" && fieldOf(err) != tt.field {
					t.Fatalf("field = %q (%v), want %q", fieldOf(err), err, tt.field)
				}
			})
		}

		// Client bookings: past, off the increment, outside hours.
		clientCases := []struct {
			name string
			at   time.Time
			want string
		}{
			{"in the past", ny(3, 2, 8, 0), "start"},
			{"off the increment", ny(3, 4, 10, 10), "start"},
		}
		for _, tt := range clientCases {
			_, err := e.svc.Create(ctx, e.clientA, scheduling.NewAppointment{Start: tt.at,
				TypeKey: "individual_45"})
			if fieldOf(err) != tt.want {
				t.Errorf("client %s: err = %v, want field %s", tt.name, err, tt.want)
			}
		}
		_, err := e.svc.Create(ctx, e.clientA, scheduling.NewAppointment{Start: ny(3, 4, 20, 0),
			TypeKey: "individual_45"})
		if !isTaken(err) {
			t.Errorf("client outside hours: err = %v, want ErrSlotTaken", err)
		}
		_, err = e.svc.Create(ctx, e.clientA, scheduling.NewAppointment{Start: ny(3, 4, 13, 0),
			TypeKey: "individual_45", Recurrence: &scheduling.Recurrence{Frequency: "weekly", Count: 2}})
		if fieldOf(err) != "recurrence" {
			t.Errorf("client series: err = %v, want field recurrence", err)
		}
		if n := e.countRows(t, e.a.ProviderID, "scheduled"); n != 0 {
			t.Fatalf("%d appointments written by refused requests", n)
		}

		// A client may book an open slot, for themself only.
		got, err := e.svc.Create(ctx, e.clientA, scheduling.NewAppointment{Start: ny(3, 4, 13, 0),
			TypeKey: "individual_45"})
		if err != nil {
			t.Fatalf("client books open slot: %v", err)
		}
		if a := got[0]; a.Source != scheduling.SourceClient || a.ProviderID != e.a.ProviderID ||
			a.CPT != "90834" || a.End.Sub(a.Start) != 45*time.Minute {
			t.Fatalf("client booking = %+v", a)
		}
		_, err = e.svc.Create(ctx, e.clientA, scheduling.NewAppointment{ClientID: e.cb.ID,
			Start: ny(3, 4, 14, 0), TypeKey: "individual_45"})
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("client books for another: err = %v, want ErrNotFound", err)
		}
	})
}

func TestAvailabilityValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		zone := "Mars/Olympus"
		overlap := slots.Week{}
		overlap[time.Tuesday] = []slots.Range{
			{Start: 9 * time.Hour, End: 12 * time.Hour, Mode: slots.Telehealth},
			{Start: 11 * time.Hour, End: 13 * time.Hour, Mode: slots.Telehealth}}
		badRules := scheduling.BookingRules{IncrementMinutes: 20}
		before, _ := e.svc.Availability(ctx, e.a)
		cases := []struct {
			name  string
			patch scheduling.AvailabilityPatch
			field string
		}{
			{"unknown zone", scheduling.AvailabilityPatch{TimeZone: &zone}, "time_zone"},
			{"overlapping hours", scheduling.AvailabilityPatch{Weekly: &overlap}, "weekly_hours.Tuesday"},
			{"bad increment", scheduling.AvailabilityPatch{Rules: &badRules}, "rules"},
		}
		for _, tt := range cases {
			_, err := e.svc.UpdateAvailability(ctx, e.a, tt.patch)
			if fieldOf(err) != tt.field {
				t.Errorf("%s: err = %v, want field %s", tt.name, err, tt.field)
			}
		}
		after, _ := e.svc.Availability(ctx, e.a)
		if after.TimeZone != before.TimeZone || len(after.Weekly[time.Tuesday]) != 2 ||
			after.Rules != before.Rules {
			t.Fatalf("refused updates changed the settings: %+v", after)
		}
		if after.Slug != "ada-provider" {
			t.Errorf("slug = %q, want ada-provider", after.Slug)
		}
		p, err := e.svc.ProviderBySlug(ctx, "ada-provider")
		if err != nil || p.ID != e.a.ProviderID || p.TimeZone != "America/New_York" {
			t.Fatalf("ProviderBySlug = %+v, %v", p, err)
		}
	})
}

func TestCreateGetScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a := e.book(t, e.a, e.ca, ny(3, 20, 19, 0)) // outside hours: providers may
		if a.ClientName != "Cal Client" || a.LocalStart.Hour() != 19 || a.Sequence != 0 ||
			a.Status != scheduling.StatusScheduled || a.Location != scheduling.LocationTelehealth {
			t.Fatalf("created = %+v", a)
		}
		if _, err := e.svc.Get(ctx, e.b, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other provider Get: err = %v, want ErrNotFound", err)
		}
		if _, err := e.svc.Get(ctx, e.b, "not-an-id"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("bad id Get: err = %v", err)
		}
		if _, err := e.svc.Cancel(ctx, e.b, a.ID, "", "no"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other provider Cancel: err = %v, want ErrNotFound", err)
		}
		got, err := e.svc.Get(ctx, e.clientA, a.ID)
		if err != nil || got.ID != a.ID {
			t.Fatalf("client Get own: %+v, %v", got, err)
		}
		mine, err := e.svc.ForClient(ctx, e.clientA, e.ca.ID)
		if err != nil || len(mine) != 1 {
			t.Fatalf("ForClient own = %d, %v", len(mine), err)
		}
		if _, err := e.svc.ForClient(ctx, e.clientA, e.cb.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ForClient other: err = %v", err)
		}
		if _, err := e.svc.ForClient(ctx, e.b, e.ca.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ForClient other provider: err = %v", err)
		}
		var n int
		err = db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log
			WHERE object_id = $1 AND action IN ('scheduling.appointment.create',
			'scheduling.appointment.read')`, a.ID).Scan(&n)
		if err != nil || n != 2 {
			t.Fatalf("audit rows = %d, %v; want create + read", n, err)
		}

		occ, err := e.svc.Preview(ctx, e.a, scheduling.NewAppointment{ClientID: e.ca.ID,
			Start: ny(3, 20, 19, 30), DurationMinutes: 50})
		if err != nil || len(occ) != 1 || !occ[0].Conflict ||
			len(occ[0].Warnings) != 1 || occ[0].LocalStart != "2026-03-20T19:30:00" {
			t.Fatalf("Preview = %+v, %v", occ, err)
		}
		if _, err := e.svc.Create(ctx, e.a, scheduling.NewAppointment{ClientID: e.ca.ID,
			Start: ny(3, 20, 19, 30), DurationMinutes: 50}); !isTaken(err) {
			t.Fatalf("overlapping Create: err = %v, want ErrSlotTaken", err)
		}
		// Back to back is fine: intervals are half-open.
		e.book(t, e.a, e.ca, ny(3, 20, 19, 50))
	})
}
