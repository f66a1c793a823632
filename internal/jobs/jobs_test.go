package jobs_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// recordArgs is a test job; it fails its first FailFirst attempts.
type recordArgs struct {
	Name      string `json:"name"`
	FailFirst int    `json:"fail_first"`
}

func (recordArgs) Kind() string { return "test.record" }

// recorder works recordArgs jobs and remembers each attempt.
type recorder struct {
	river.WorkerDefaults[recordArgs]
	mu       sync.Mutex
	attempts map[string]int
	done     map[string]int
}

func (r *recorder) Work(ctx context.Context, job *river.Job[recordArgs]) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts[job.Args.Name]++
	if r.attempts[job.Args.Name] <= job.Args.FailFirst {
		return fmt.Errorf("planned failure %d", r.attempts[job.Args.Name])
	}
	r.done[job.Args.Name]++
	return nil
}

func (r *recorder) counts(name string) (attempts, done int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts[name], r.done[name]
}

type env struct {
	db      *store.DB
	clock   *clock.Test
	rec     *recorder
	workers *river.Workers
}

func setup(t *testing.T, db *store.DB) *env {
	t.Helper()
	if err := jobs.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	rec := &recorder{attempts: map[string]int{}, done: map[string]int{}}
	workers := river.NewWorkers()
	river.AddWorker(workers, rec)
	return &env{db: db, clock: clock.NewFrozen(start), rec: rec, workers: workers}
}

// queue builds a queue; started queues are stopped when the test ends.
func (e *env) queue(t *testing.T, started bool, periodic ...jobs.Periodic) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(jobs.Config{
		DB: e.db, Clock: e.clock, Workers: e.workers, Periodic: periodic,
	})
	if err != nil {
		t.Fatalf("new queue: %v", err)
	}
	if started {
		if err := q.Start(context.Background()); err != nil {
			t.Fatalf("start: %v", err)
		}
		t.Cleanup(func() { stop(t, q) })
	}
	return q
}

func stop(t *testing.T, q *jobs.Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Errorf("stop: %v", err)
	}
}

func runDue(t *testing.T, q *jobs.Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := q.RunDue(ctx); err != nil {
		t.Fatalf("run due: %v", err)
	}
}

func insertTx(t *testing.T, e *env, q *jobs.Queue, args recordArgs, opts *river.InsertOpts) {
	t.Helper()
	err := e.db.InTx(context.Background(), func(tx *sql.Tx) error {
		return q.Insert(context.Background(), tx, args, opts)
	})
	if err != nil {
		t.Fatalf("insert: %v", err)
	}
}

func wantCounts(t *testing.T, rec *recorder, name string, attempts, done int) {
	t.Helper()
	a, d := rec.counts(name)
	if a != attempts || d != done {
		t.Errorf("job %s: attempts=%d done=%d, want attempts=%d done=%d", name, a, d, attempts, done)
	}
}

// dumpJobs describes every job row, to explain a failed assertion.
func dumpJobs(db *store.DB) string {
	rows, err := db.Reader().Query("SELECT id, state, attempt, scheduled_at FROM river_job")
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var out string
	for rows.Next() {
		var id, attempt int
		var state string
		var at time.Time
		if err := rows.Scan(&id, &state, &attempt, &at); err != nil {
			return err.Error()
		}
		out += fmt.Sprintf("job %d: %s, attempt %d, scheduled %s\n", id, state, attempt, at)
	}
	return out
}

func (e *env) wantDepth(t *testing.T, q *jobs.Queue, want int) {
	t.Helper()
	got, err := q.Depth(context.Background())
	if err != nil {
		t.Fatalf("depth: %v", err)
	}
	if got != want {
		t.Errorf("depth = %d, want %d; jobs:\n%s", got, want, dumpJobs(e.db))
	}
}

func jobRows(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Reader().QueryRow("SELECT count(*) FROM river_job").Scan(&n); err != nil {
		t.Fatalf("count jobs: %v", err)
	}
	return n
}

// jobTimes reads the only job's created_at and scheduled_at.
func jobTimes(t *testing.T, db *store.DB) (created, scheduled time.Time) {
	t.Helper()
	err := db.Reader().QueryRow("SELECT created_at, scheduled_at FROM river_job").
		Scan(&created, &scheduled)
	if err != nil {
		t.Fatalf("read job times: %v", err)
	}
	return created, scheduled
}

func TestCommittedJobIsWorked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db)
		q := e.queue(t, true)
		insertTx(t, e, q, recordArgs{Name: "a"}, nil)
		runDue(t, q)
		wantCounts(t, e.rec, "a", 1, 1)
		e.wantDepth(t, q, 0)
	})
}

func TestRolledBackJobNeverExists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db)
		q := e.queue(t, true)
		boom := errors.New("change rejected")
		err := db.InTx(context.Background(), func(tx *sql.Tx) error {
			if err := q.Insert(context.Background(), tx, recordArgs{Name: "b"}, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v, want %v", err, boom)
		}
		runDue(t, q)
		if n := jobRows(t, db); n != 0 {
			t.Errorf("river_job has %d rows after rollback, want 0", n)
		}
		wantCounts(t, e.rec, "b", 0, 0)
	})
}

func TestFailingJobIsRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db)
		q := e.queue(t, true)
		insertTx(t, e, q, recordArgs{Name: "c", FailFirst: 1}, nil)

		runDue(t, q)
		wantCounts(t, e.rec, "c", 1, 0)
		e.wantDepth(t, q, 1) // waiting for its retry

		// The backoff is measured on Tend's clock, which is frozen.
		e.clock.Advance(time.Minute)
		runDue(t, q)
		wantCounts(t, e.rec, "c", 2, 1)
		e.wantDepth(t, q, 0)
	})
}

func TestScheduledJobWaitsForClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db)
		q := e.queue(t, true)
		later := &river.InsertOpts{ScheduledAt: e.clock.Now().Add(2 * time.Hour)}
		insertTx(t, e, q, recordArgs{Name: "d"}, later)
		// River stamps the job with Tend's clock, not the wall clock.
		created, scheduled := jobTimes(t, db)
		if !created.Equal(start) || !scheduled.Equal(start.Add(2*time.Hour)) {
			t.Fatalf("job created %v, scheduled %v; want %v and 2h later", created, scheduled, start)
		}

		runDue(t, q)
		wantCounts(t, e.rec, "d", 0, 0)
		e.wantDepth(t, q, 1)

		e.clock.Advance(119 * time.Minute)
		runDue(t, q)
		wantCounts(t, e.rec, "d", 0, 0)

		e.clock.Advance(time.Minute)
		runDue(t, q)
		wantCounts(t, e.rec, "d", 1, 1)
	})
}

func TestJobSurvivesRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db)
		first := e.queue(t, true)
		stop(t, first)
		insertTx(t, e, first, recordArgs{Name: "e"}, nil)
		e.wantDepth(t, first, 1)

		second := e.queue(t, true)
		runDue(t, second)
		wantCounts(t, e.rec, "e", 1, 1)
	})
}

func TestRunDueRunsPeriodicJobsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := setup(t, db)
		daily := jobs.Periodic{
			Name:     "test.daily",
			Schedule: river.PeriodicInterval(24 * time.Hour),
			Job: func() (river.JobArgs, *river.InsertOpts) {
				return recordArgs{Name: "daily"}, nil
			},
		}
		q := e.queue(t, true, daily)
		runDue(t, q)
		wantCounts(t, e.rec, "daily", 1, 1)
		runDue(t, q)
		wantCounts(t, e.rec, "daily", 2, 2)
	})
}

func TestDepthGauge(t *testing.T) {
	e := setup(t, storetest.SQLite(t))
	reg := prometheus.NewRegistry()
	q, err := jobs.New(jobs.Config{DB: e.db, Clock: e.clock, Workers: e.workers, Registerer: reg})
	if err != nil {
		t.Fatalf("new queue: %v", err)
	}
	for _, name := range []string{"g1", "g2"} {
		insertTx(t, e, q, recordArgs{Name: name}, nil)
	}
	mfs, err := reg.Gather()
	if err != nil || len(mfs) != 1 || mfs[0].GetName() != "tend_jobs_queue_depth" {
		t.Fatalf("gather: %v, %d families", err, len(mfs))
	}
	if got := mfs[0].GetMetric()[0].GetGauge().GetValue(); got != 2 {
		t.Errorf("tend_jobs_queue_depth = %v, want 2", got)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	e := setup(t, storetest.SQLite(t))
	job := func() (river.JobArgs, *river.InsertOpts) { return recordArgs{}, nil }
	every := river.PeriodicInterval(time.Hour)
	tests := []struct {
		name string
		cfg  jobs.Config
	}{
		{"no database", jobs.Config{Workers: e.workers}},
		{"no workers", jobs.Config{DB: e.db}},
		{"unnamed periodic", jobs.Config{DB: e.db, Workers: e.workers,
			Periodic: []jobs.Periodic{{Schedule: every, Job: job}}}},
		{"duplicate periodic", jobs.Config{DB: e.db, Workers: e.workers,
			Periodic: []jobs.Periodic{{"x", every, job}, {"x", every, job}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := jobs.New(tt.cfg); err == nil {
				t.Error("New succeeded, want an error")
			}
		})
	}
}
