// Package jobs is Tend's durable job queue: background work (mail,
// reminders, claim processing, payouts) stored in the same database as
// everything else and run by River.
//
// A job is inserted in the caller's transaction, so it exists exactly
// when the change that caused it commits, and a crash or an outage of a
// downstream service loses nothing: a failed job is retried with backoff.
//
// On SQLite one River client on the single-connection write pool both
// inserts and works jobs. On PostgreSQL a client on the pgx pool works
// jobs (with LISTEN/NOTIFY), while an insert-only client on the
// database/sql pool accepts the *sql.Tx that store.InTx hands out.
//
// River reads Tend's clock, so in demo mode, where the clock starts in
// the past or jumps forward, scheduled jobs fall due by Tend's time.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
)

// MaxAttempts is how many times a job runs before River discards it.
// With River's backoff (attempt⁴ seconds plus jitter) 25 attempts span
// about three weeks, long enough to outlast any SMTP outage.
const MaxAttempts = 25

// CompletedRetention is how long River keeps a finished job's row before
// its cleaner deletes it. It is short because nothing reads finished jobs
// and their arguments (mail jobs, for one) should not linger.
const CompletedRetention = time.Hour

// Config is what a Queue needs.
type Config struct {
	DB       *store.DB
	Clock    clock.Clock    // nil means clock.System{}
	Logger   *slog.Logger   // nil discards River's own logs
	Workers  *river.Workers // every job kind the process works
	Periodic []Periodic     // jobs inserted on a schedule

	// Registerer receives the tend_jobs_queue_depth gauge; nil skips it.
	Registerer prometheus.Registerer
}

// Periodic is a job inserted on a schedule, such as a sweep for
// reminders that fell due. RunDue also inserts every periodic job once
// on demand, so its work must be safe to repeat.
type Periodic struct {
	// Name identifies the periodic job, e.g. "scheduling.reminders".
	Name string
	// Schedule says when it runs, e.g. river.PeriodicInterval(time.Hour).
	Schedule river.PeriodicSchedule
	// Job returns the arguments (and optional insert options) of the
	// job to insert, or nil args to skip this run.
	Job river.PeriodicJobConstructor
}

// lifecycle is the part of a River client the queue starts and stops.
type lifecycle interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// Queue inserts jobs and, once started, works them.
type Queue struct {
	db       *store.DB
	clock    clock.Clock
	logger   *slog.Logger
	periodic []Periodic

	runner   lifecycle              // works jobs
	inserter *river.Client[*sql.Tx] // inserts jobs in an app transaction
	mu       sync.Mutex             // guards started
	started  bool
}

// New builds a queue over cfg.DB. It does not start working jobs; call
// Start. The database must already hold River's tables (see Migrate).
func New(cfg Config) (*Queue, error) {
	if cfg.DB == nil {
		return nil, errors.New("jobs: no database")
	}
	if cfg.Workers == nil {
		return nil, errors.New("jobs: no workers")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	periodic, err := riverPeriodic(cfg.Periodic, cfg.Clock)
	if err != nil {
		return nil, err
	}

	q := &Queue{db: cfg.DB, clock: cfg.Clock, logger: cfg.Logger, periodic: cfg.Periodic}
	work := riverConfig(cfg)
	work.PeriodicJobs = periodic
	switch cfg.DB.Dialect() {
	case store.SQLite:
		// One client does everything over the single write connection,
		// as River's SQLite driver recommends (SetMaxOpenConns(1)).
		work.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
		client, err := river.NewClient(riversqlite.New(cfg.DB.Writer()), work)
		if err != nil {
			return nil, fmt.Errorf("jobs: create SQLite client: %w", err)
		}
		q.runner, q.inserter = client, client
	case store.Postgres:
		work.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}}
		runner, err := river.NewClient(riverpgxv5.New(cfg.DB.PgxPool()), work)
		if err != nil {
			return nil, fmt.Errorf("jobs: create PostgreSQL client: %w", err)
		}
		// The app's transactions are database/sql ones (pgx stdlib), which
		// only the database/sql driver accepts; this client never works.
		inserter, err := river.NewClient(riverdatabasesql.New(cfg.DB.Writer()), riverConfig(cfg))
		if err != nil {
			return nil, fmt.Errorf("jobs: create PostgreSQL insert client: %w", err)
		}
		q.runner, q.inserter = runner, inserter
	default:
		return nil, fmt.Errorf("jobs: unsupported dialect %q", cfg.DB.Dialect())
	}

	if cfg.Registerer != nil {
		if err := cfg.Registerer.Register(q.depthGauge()); err != nil {
			return nil, fmt.Errorf("jobs: register metrics: %w", err)
		}
	}
	return q, nil
}

// riverConfig is the part of River's configuration both clients share.
func riverConfig(cfg Config) *river.Config {
	rc := &river.Config{
		Logger:                      cfg.Logger,
		MaxAttempts:                 MaxAttempts,
		Workers:                     cfg.Workers,
		CompletedJobRetentionPeriod: CompletedRetention,
	}
	// The system clock keeps River's own time source, which carries Go's
	// monotonic reading; any other clock (demo, tests) replaces it.
	if _, system := cfg.Clock.(clock.System); !system {
		rc.Test.Time = riverTime{cfg.Clock}
		rc.RescueStuckJobsAfter = rescueAfter(cfg.Clock)
		rc.Logger = slog.New(quietHandler{inner: cfg.Logger.Handler()})
	}
	return rc
}

func riverPeriodic(list []Periodic, clk clock.Clock) ([]*river.PeriodicJob, error) {
	seen := make(map[string]bool, len(list))
	out := make([]*river.PeriodicJob, 0, len(list))
	for _, p := range list {
		if p.Name == "" || p.Schedule == nil || p.Job == nil {
			return nil, fmt.Errorf("jobs: periodic job %q needs a name, a schedule and a job", p.Name)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("jobs: periodic job %q listed twice", p.Name)
		}
		seen[p.Name] = true
		schedule := noCatchUp{inner: p.Schedule, clk: clk}
		out = append(out, river.NewPeriodicJob(schedule, p.Job, &river.PeriodicJobOpts{ID: p.Name}))
	}
	return out, nil
}

// Insert adds a job in the caller's transaction: the job exists only if
// tx commits. A nil tx inserts the job on its own. opts may be nil; set
// opts.ScheduledAt (by the Tend clock) to run it later.
func (q *Queue) Insert(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	var err error
	if tx == nil {
		_, err = q.inserter.Insert(ctx, args, opts)
	} else {
		_, err = q.inserter.InsertTx(ctx, tx, args, opts)
	}
	if err != nil {
		return fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return nil
}

// Start begins working jobs in the background. The queue keeps running
// until Stop, even after ctx is cancelled; ctx's values reach the jobs.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.runner.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.started = true
	q.logger.InfoContext(ctx, "job queue started", "dialect", string(q.db.Dialect()))
	return nil
}

// Stop stops fetching new jobs and waits for running ones to finish. If
// ctx ends first, Stop returns its error and may be called again.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.runner.Stop(ctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	q.started = false
	return nil
}

func (q *Queue) isStarted() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.started
}
