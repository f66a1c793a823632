package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/jobs"
)

// purgeArgs is the hourly clean-up of dead sign-in state: expired or
// idle sessions, used or expired links and codes, and old throttle rows.
type purgeArgs struct{}

// Kind names the job for River.
func (purgeArgs) Kind() string { return "auth.purge_expired" }

// purgeWorker runs auth.PurgeExpired. It reads the service through a
// function because the service is built after the queue it needs.
type purgeWorker struct {
	river.WorkerDefaults[purgeArgs]
	auth   func() *auth.Service
	logger *slog.Logger
}

// Work deletes what has expired; the job is safe to repeat.
func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[purgeArgs]) error {
	n, err := w.auth().PurgeExpired(ctx)
	if err != nil {
		return fmt.Errorf("purge expired sign-in state: %w", err)
	}
	w.logger.InfoContext(ctx, "expired sign-in state purged", "rows", n)
	return nil
}

// purgeJob registers the clean-up worker on workers and returns its
// hourly schedule.
func (a *App) purgeJob(workers *river.Workers) jobs.Periodic {
	logger := a.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	river.AddWorker(workers, &purgeWorker{auth: func() *auth.Service { return a.auth }, logger: logger})
	return jobs.Periodic{
		Name:     "auth.purge_expired",
		Schedule: river.PeriodicInterval(time.Hour),
		Job: func() (river.JobArgs, *river.InsertOpts) {
			return purgeArgs{}, nil
		},
	}
}
