package jobs

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// noopArgs is a periodic job that does nothing.
type noopArgs struct{}

func (noopArgs) Kind() string { return "test.noop" }

type noopWorker struct{ river.WorkerDefaults[noopArgs] }

func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

// countMessage counts records with message msg at any level.
func countMessage(records []slog.Record, msg string) int {
	n := 0
	for _, r := range records {
		if r.Message == msg {
			n++
		}
	}
	return n
}

// waitFor waits until logs hold n records with message msg.
func waitFor(t *testing.T, logs *captured, msg string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for countMessage(logs.all(), msg) < n {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %d records %q", n, msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDemoClockJumpsLogNoWarnings runs the queue on a demo clock that
// starts a month behind the wall clock (so River's queue cleaner deletes
// the queue row) and jumps it forward by 72 hours twice (so River's
// leader steps down after each jump). Neither may reach an operator as
// a warning or an error.
func TestDemoClockJumpsLogNoWarnings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := Migrate(ctx, db); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		logs := &captured{}
		workers := river.NewWorkers()
		river.AddWorker(workers, noopWorker{})
		clk := clock.NewTest(time.Now().Add(-30 * 24 * time.Hour))
		q, err := New(Config{DB: db, Clock: clk, Logger: slog.New(logs), Workers: workers,
			Periodic: []Periodic{{Name: "test.noop", Schedule: river.PeriodicInterval(time.Hour),
				Job: func() (river.JobArgs, *river.InsertOpts) { return noopArgs{}, nil }}}})
		if err != nil {
			t.Fatalf("new queue: %v", err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatalf("start: %v", err)
		}
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := q.Stop(stopCtx); err != nil {
				t.Errorf("stop: %v", err)
			}
		})

		for jump := 1; jump <= 2; jump++ {
			// Jump only while the client leads (again, after the last
			// jump made it step down), or there is no lease to expire.
			waitFor(t, logs, "leadership.Elector: Gained leadership", jump)
			clk.Advance(72 * time.Hour)
			dueCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
			err := q.RunDue(dueCtx)
			cancel()
			if err != nil {
				t.Fatalf("run due after jump %d: %v", jump, err)
			}
			// The elector notices the jump at its next reelection, within
			// its five-second interval; wait for that record to come.
			waitFor(t, logs, msgLeaderDeadline, jump)
		}
		for _, r := range logs.all() {
			if r.Level >= slog.LevelWarn {
				t.Errorf("River logged %v %q", r.Level, r.Message)
			}
		}
	})
}
