// Package app wires Tend together: it opens and migrates the database,
// loads the key ring, builds every service and the site handler, and
// runs the HTTP server and the job queue until its context ends, then
// shuts both down gracefully.
//
// cmd/tend calls it for `tend serve`; tests call it to boot the real
// program on a loopback port.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/api"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/calsync"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/notify"
	"github.com/tend-portal/tend/internal/records"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/tasks"
	"github.com/tend-portal/tend/internal/vault"
	"github.com/tend-portal/tend/internal/web"
)

// DefaultShutdownTimeout bounds how long Run waits for in-flight
// requests, and then for running jobs, after its context ends.
const DefaultShutdownTimeout = 30 * time.Second

// App is one running Tend instance: its database, services and server.
type App struct {
	// ShutdownTimeout bounds each graceful shutdown step; zero means
	// DefaultShutdownTimeout.
	ShutdownTimeout time.Duration

	cfg        config.Config
	logger     *slog.Logger
	db         *store.DB
	clock      clock.Clock
	testClock  *clock.Test
	ring       *vault.Ring
	audit      *audit.Log
	queue      *jobs.Queue
	auth       *auth.Service
	scheduling *scheduling.Service
	messaging  *messaging.Service
	metrics    *prometheus.Registry
	handler    http.Handler

	server    *server
	closeOnce sync.Once
	closeErr  error
}

// New builds an instance from cfg: it opens the database, applies every
// pending migration (the store's and the job queue's), loads or creates
// the key ring, and builds the services and the site handler. It does
// not listen yet; see Listen and Run. Close releases what New opened.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger) (*App, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s (check --data-dir): %w", cfg.DataDir, err)
	}
	db, err := OpenDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, logger: logger, db: db}
	if err := a.build(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// OpenDB opens the configured database with an error that names where
// it looked (without any password) and what to check.
func OpenDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("cannot open the database at %s "+
			"(check --database-url / TEND_DATABASE_URL and that the database is reachable): %w",
			RedactURL(cfg.DatabaseURL), err)
	}
	return db, nil
}

func (a *App) build(ctx context.Context) error {
	cfg, logger := a.cfg, a.logger
	if err := a.db.Migrate(ctx); err != nil {
		return fmt.Errorf("apply database migrations: %w", err)
	}
	if err := jobs.Migrate(ctx, a.db); err != nil {
		return fmt.Errorf("apply job queue migrations: %w", err)
	}

	if err := os.MkdirAll(filepath.Dir(cfg.SecretKeyFile), 0o700); err != nil {
		return fmt.Errorf("create directory for --secret-key-file %s: %w", cfg.SecretKeyFile, err)
	}
	ring, err := vault.LoadOrCreate(cfg.SecretKeyFile)
	if err != nil {
		return fmt.Errorf("load key ring %s (check --secret-key-file): %w", cfg.SecretKeyFile, err)
	}
	a.ring = ring

	a.clock = clock.System{}
	if cfg.Demo {
		// Demo mode always runs on a test clock so POST
		// /api/v1/demo/clock can move it; without --clock it starts now.
		start := cfg.ClockStart
		if start.IsZero() {
			start = clock.System{}.Now()
		}
		a.testClock = clock.NewTest(start)
		a.clock = a.testClock
	}
	a.audit = audit.New(a.db, a.clock)

	a.metrics = prometheus.NewRegistry()
	a.metrics.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)

	sender, err := mail.NewSender(cfg, logger)
	if err != nil {
		return fmt.Errorf("set up mail delivery (check --smtp-url): %w", err)
	}
	calSvc := calsync.New(a.db, a.clock, ring, a.audit, calsync.Options{
		BaseURL:      cfg.BaseURL,
		AllowPrivate: cfg.AllowPrivateFeeds || cfg.Demo,
		Logger:       logger,
	})
	// Workers are registered before the queue exists; the notifier gets
	// the queue afterwards through Connect.
	notifier := notify.New(a.db, a.clock, cfg.BaseURL, logger)
	workers := river.NewWorkers()
	mail.Register(workers, sender, ring, cfg.BaseURL, a.metrics)
	notify.Register(workers, notifier)
	msgWorker := messaging.Register(workers)
	calsync.Register(workers, calSvc)
	a.queue, err = jobs.New(jobs.Config{
		DB: a.db, Clock: a.clock, Logger: logger,
		Workers: workers, Registerer: a.metrics,
		Periodic: []jobs.Periodic{a.purgeJob(workers), calsync.Periodic()},
	})
	if err != nil {
		return fmt.Errorf("set up job queue: %w", err)
	}
	outbox := mail.NewOutbox(a.queue, ring)
	a.auth = auth.New(a.db, a.clock, ring, a.audit, outbox,
		auth.Options{BaseURL: cfg.BaseURL, Demo: cfg.Demo})

	clientSvc := clients.New(a.db, a.clock, a.audit)
	formSvc := forms.New(a.db, a.clock, a.audit, ring, outbox, cfg.BaseURL)
	noteSvc := notes.New(a.db, a.clock, a.audit, ring)
	taskSvc := tasks.New(a.db, a.clock, a.audit)
	exporter := records.NewExporter(clientSvc, formSvc, noteSvc, a.audit, a.clock)

	blobs, err := blob.Open(ctx, cfg.BlobURL, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("open attachment store (check --blob-url): %w", err)
	}
	msgSvc := messaging.New(a.db, a.clock, a.audit, ring, blobs, outbox, a.queue,
		cfg.BaseURL, messaging.Limits{
			MaxFiles:     cfg.MaxAttachments,
			MaxFileBytes: int64(cfg.MaxAttachmentMB) << 20,
		})
	msgWorker.Connect(msgSvc)
	a.messaging = msgSvc

	a.scheduling = scheduling.New(a.db, a.clock, a.audit, a.queue, clientSvc)
	notifier.Connect(outbox, a.queue, a.scheduling)
	a.scheduling.SetNotifier(notifier)
	bookingSvc := booking.New(booking.Deps{
		DB: a.db, Clock: a.clock, Audit: a.audit, Ring: ring, Outbox: outbox,
		Scheduling: a.scheduling, Clients: clientSvc, Forms: formSvc, Auth: a.auth,
		BaseURL: cfg.BaseURL, Logger: logger, Welcome: msgSvc.SendWelcome,
	})

	apiHandler := api.New(api.Deps{
		Config: cfg, DB: a.db, Clock: a.clock, TestClock: a.testClock,
		Auth: a.auth, Audit: a.audit, Jobs: a.queue, Logger: logger,
		Clients: clientSvc, Forms: formSvc, Notes: noteSvc, Tasks: taskSvc, Records: exporter,
		Scheduling: a.scheduling, Booking: bookingSvc, Calsync: calSvc,
		Messaging: msgSvc,
	})
	a.handler, err = web.New(web.Deps{
		Config: cfg, DB: a.db, Clock: a.clock, TestClock: a.testClock,
		Auth: a.auth, Audit: a.audit, Jobs: a.queue, Logger: logger,
		Metrics: a.metrics, API: apiHandler,
		Clients: clientSvc, Forms: formSvc, Notes: noteSvc, Tasks: taskSvc, Records: exporter,
		Scheduling: a.scheduling, Booking: bookingSvc, Calsync: calSvc,
		Messaging: msgSvc,
	})
	if err != nil {
		return fmt.Errorf("build web handler: %w", err)
	}
	return nil
}

// Handler returns the whole site: pages, API, health and metrics.
func (a *App) Handler() http.Handler { return a.handler }

// DB returns the open database.
func (a *App) DB() *store.DB { return a.db }

// Clock returns the clock every service reads.
func (a *App) Clock() clock.Clock { return a.clock }

// TestClock returns the movable demo clock, or nil outside demo mode.
func (a *App) TestClock() *clock.Test { return a.testClock }

// Auth returns the accounts and sign-in service.
func (a *App) Auth() *auth.Service { return a.auth }

// Audit returns the audit log.
func (a *App) Audit() *audit.Log { return a.audit }

// Scheduling returns the appointments and availability service.
func (a *App) Scheduling() *scheduling.Service { return a.scheduling }

// Messaging returns the secure messages service.
func (a *App) Messaging() *messaging.Service { return a.messaging }

// Jobs returns the job queue (not started until Run).
func (a *App) Jobs() *jobs.Queue { return a.queue }

// Close closes the database. Run calls it on the way out; calling it
// again does nothing.
func (a *App) Close() error {
	a.closeOnce.Do(func() {
		if a.server != nil && a.server.ln != nil {
			_ = a.server.ln.Close()
		}
		if err := a.db.Close(); err != nil {
			a.closeErr = fmt.Errorf("close database: %w", err)
		}
	})
	return a.closeErr
}

func (a *App) shutdownTimeout() time.Duration {
	if a.ShutdownTimeout > 0 {
		return a.ShutdownTimeout
	}
	return DefaultShutdownTimeout
}

// errAlreadyRunning guards against a second Run on one App.
var errAlreadyRunning = errors.New("app: already running")
