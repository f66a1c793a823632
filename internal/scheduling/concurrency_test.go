package scheduling_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

const (
	racers    = 200
	openSlots = 10
)

// race fires racers concurrent bookings, spread over openSlots times,
// through the services given (round robin), and checks exactly one
// booking per time won and the rest were told the slot was taken.
func race(t *testing.T, e *env, services []*scheduling.Service) {
	t.Helper()
	ctx := context.Background()
	slotsAt := make([]time.Time, openSlots)
	for i := range slotsAt {
		slotsAt[i] = ny(3, 10, 9, 0).Add(time.Duration(i) * time.Hour)
	}
	var (
		wg          sync.WaitGroup
		mu          sync.Mutex
		won, taken  int
		other       []error
		startSignal = make(chan struct{})
	)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startSignal
			svc := services[i%len(services)]
			// Twenty racers per time, with lengths from 20 to 60
			// minutes: every pair at one time collides, no two times do.
			_, err := svc.Create(ctx, e.a, scheduling.NewAppointment{ClientID: e.ca.ID,
				Start: slotsAt[i%openSlots], DurationMinutes: 20 + 10*(i%5)})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case isTaken(err):
				taken++
			default:
				other = append(other, err)
			}
		}()
	}
	close(startSignal)
	wg.Wait()
	for _, err := range other[:min(len(other), 5)] {
		t.Errorf("unexpected error: %v", err)
	}
	if won+taken != racers || overlappingPairs(t, e.db, e.a.ProviderID) != 0 {
		t.Fatalf("won %d, taken %d, other %d, overlapping pairs %d",
			won, taken, len(other), overlappingPairs(t, e.db, e.a.ProviderID))
	}
	if won != openSlots {
		t.Fatalf("won %d bookings, want %d", won, openSlots)
	}
	if n := e.countRows(t, e.a.ProviderID, "scheduled"); n != openSlots {
		t.Fatalf("%d rows, want %d", n, openSlots)
	}
}

func TestNoDoubleBookingUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		race(t, e, []*scheduling.Service{e.svc})
	})
}

// TestNoDoubleBookingAcrossConnections books through two separately
// opened pools on one PostgreSQL database, as two server processes do.
func TestNoDoubleBookingAcrossConnections(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	open := func() *store.DB {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	first := open()
	if err := first.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	e := newEnv(t, first)
	second := open()
	log := audit.New(second, e.clk)
	other := scheduling.New(second, e.clk, log, nil, clients.New(second, e.clk, log))
	race(t, e, []*scheduling.Service{e.svc, other})
}
