package calsync

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/jobs"
)

// refreshArgs is the periodic refresh of every connected calendar.
type refreshArgs struct{}

// Kind names the job for River.
func (refreshArgs) Kind() string { return "calsync.refresh" }

// InsertOpts gives up after a few attempts: the next run is only
// RefreshEvery away.
func (refreshArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

type refreshWorker struct {
	river.WorkerDefaults[refreshArgs]
	svc *Service
}

// Work refreshes every feed; it is safe to repeat.
func (w *refreshWorker) Work(ctx context.Context, _ *river.Job[refreshArgs]) error {
	if err := w.svc.RefreshAll(ctx); err != nil {
		return fmt.Errorf("refresh calendar feeds: %w", err)
	}
	return nil
}

// Register adds the refresh worker to workers.
func Register(workers *river.Workers, s *Service) {
	river.AddWorker(workers, &refreshWorker{svc: s})
}

// Periodic is the refresh schedule (every RefreshEvery) for jobs.Config.
func Periodic() jobs.Periodic {
	return jobs.Periodic{
		Name:     "calsync.refresh",
		Schedule: river.PeriodicInterval(RefreshEvery),
		Job: func() (river.JobArgs, *river.InsertOpts) {
			return refreshArgs{}, nil
		},
	}
}
