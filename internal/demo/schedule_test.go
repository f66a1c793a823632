package demo_test

import (
	"context"
	"testing"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/demo"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestLoadSchedule checks the demo's scheduling data: every provider has
// a booking link and open slots, no provider is double-booked, and the
// follow-ups belong to recurring series.
func TestLoadSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDeps(t, db)
		if err := demo.Load(ctx, d); err != nil {
			t.Fatalf("Load: %v", err)
		}
		log := audit.New(db, d.Clock)
		svc := scheduling.New(db, d.Clock, log, nil, clients.New(db, d.Clock, log))
		p, err := svc.ProviderBySlug(ctx, "maya-okafor")
		if err != nil || p.Name != "Maya Okafor" || len(p.Offices) != 1 {
			t.Fatalf("ProviderBySlug(maya-okafor) = %+v, %v", p, err)
		}
		now := d.Clock.Now()
		open, err := svc.Slots(ctx, p.ID, now, now.AddDate(0, 0, 14), "individual_45")
		if err != nil || len(open) < 20 {
			t.Fatalf("Slots for maya-okafor = %d, %v", len(open), err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM providers p WHERE NOT EXISTS
			(SELECT 1 FROM scheduling_settings s WHERE s.provider_id = p.id)`); n != 0 {
			t.Errorf("%d providers without scheduling settings", n)
		}
		overlaps := count(t, db, `SELECT COUNT(*) FROM appointments x
			JOIN appointments y ON x.provider_id = y.provider_id AND x.id < y.id
			AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at
			WHERE x.status NOT IN ('canceled', 'late_canceled')
			AND y.status NOT IN ('canceled', 'late_canceled')`)
		if overlaps != 0 {
			t.Errorf("%d overlapping appointment pairs", overlaps)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM appointments a
			LEFT JOIN appointment_series s ON s.id = a.series_id
			WHERE a.kind = 'follow_up' AND s.id IS NULL`); n != 0 {
			t.Errorf("%d follow-ups outside a series", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM appointment_series`); n < 30 {
			t.Errorf("%d series, want one per client with follow-ups", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM appointments WHERE type_key = ''
			OR cpt_code = ''`); n != 0 {
			t.Errorf("%d appointments without a type or CPT code", n)
		}
	})
}
