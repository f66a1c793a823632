package jobs

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tend-portal/tend/internal/store"
)

// duePollInterval is how often RunDue looks at the job table while it
// waits. River's scheduler promotes due jobs every few seconds, so a
// RunDue call usually returns within about five seconds.
const duePollInterval = 50 * time.Millisecond

// sqliteTimeFormat is how River stores times in SQLite: text that only
// compares correctly against text in exactly this shape.
const sqliteTimeFormat = "2006-01-02 15:04:05.000"

// RunDue makes the queue catch up with the clock, for demo mode after
// the clock jumps: it inserts every periodic job once now, then waits
// until each job that is available or scheduled at or before the
// clock's current time has been worked. A job that fails is rescheduled
// by its backoff and no longer waited for. The queue must be started;
// ctx bounds the wait.
func (q *Queue) RunDue(ctx context.Context) error {
	if !q.isStarted() {
		return errors.New("jobs: run due jobs: queue not started")
	}
	for _, p := range q.periodic {
		args, opts := p.Job()
		if args == nil {
			continue
		}
		if err := q.Insert(ctx, nil, args, opts); err != nil {
			return fmt.Errorf("jobs: run periodic %s: %w", p.Name, err)
		}
	}

	cutoff := q.clock.Now()
	ticker := time.NewTicker(duePollInterval)
	defer ticker.Stop()
	for {
		n, err := q.countDue(ctx, cutoff)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("jobs: wait for %d due jobs: %w", n, ctx.Err())
		case <-ticker.C:
		}
	}
}

// countDue counts jobs due at or before cutoff that are not finished:
// waiting to run, waiting to be promoted by the scheduler, or running.
func (q *Queue) countDue(ctx context.Context, cutoff time.Time) (int, error) {
	const query = `SELECT count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running')
		AND scheduled_at <= $1`
	var at any = cutoff.UTC()
	if q.db.Dialect() == store.SQLite {
		at = cutoff.UTC().Round(time.Millisecond).Format(sqliteTimeFormat)
	}
	var n int
	if err := q.db.Reader().QueryRowContext(ctx, query, at).Scan(&n); err != nil {
		return 0, fmt.Errorf("jobs: count due jobs: %w", err)
	}
	return n, nil
}

// Depth counts jobs waiting to be worked: available now, scheduled for
// later, or waiting to be retried.
func (q *Queue) Depth(ctx context.Context) (int, error) {
	const query = `SELECT count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable')`
	var n int
	if err := q.db.Reader().QueryRowContext(ctx, query).Scan(&n); err != nil {
		return 0, fmt.Errorf("jobs: count queued jobs: %w", err)
	}
	return n, nil
}

// depthGauge reports Depth at each scrape.
func (q *Queue) depthGauge() prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "tend_jobs_queue_depth",
		Help: "Jobs waiting to be worked: available, scheduled or retryable.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := q.Depth(ctx)
		if err != nil {
			q.logger.Warn("job queue depth unavailable", "error", err)
			return math.NaN()
		}
		return float64(n)
	})
}
