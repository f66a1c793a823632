// Package web serves Tend's HTML pages: sign-in, the provider portal,
// the client portal and the admin pages. It mounts the JSON API under
// /api/v1/ and wraps everything in the same middleware: request ids,
// logs, metrics, panic recovery, security headers, cross-origin
// protection, body limits and the first-run gate.
//
// Handlers are thin: they read the form, call into an area with the
// actor from the session, and render a ui component. They return
// errors; fail turns an error into a status, a page and a log line.
package web

import (
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/calsync"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/records"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/tasks"
)

// Deps is everything the web layer needs from the rest of the program.
type Deps struct {
	Config    config.Config
	DB        *store.DB
	Clock     clock.Clock
	TestClock *clock.Test // demo mode only; nil otherwise
	Auth      *auth.Service
	Audit     *audit.Log
	Jobs      *jobs.Queue
	Logger    *slog.Logger
	Metrics   *prometheus.Registry // /metrics serves it; HTTP metrics are registered on it
	API       http.Handler         // the JSON API, mounted at /api/v1/

	// The clinical areas behind the Clients pages and the client portal.
	Clients *clients.Service
	Forms   *forms.Service
	Notes   *notes.Service
	Tasks   *tasks.Service
	Records *records.Exporter

	// Scheduling: appointments and availability, public booking and
	// calendar sync. With Scheduling nil the Appointments pages say the
	// release is still to come; Booking and Calsync are optional.
	Scheduling *scheduling.Service
	Booking    *booking.Booking
	Calsync    *calsync.Service

	// Messaging: threads with clients, attachments and read receipts.
	// With Messaging nil the Messages pages say the release is still to
	// come.
	Messaging *messaging.Service
}

// server holds the dependencies and the state shared by handlers.
type server struct {
	Deps
	metrics   *httpMetrics
	setupDone atomic.Bool // set once NeedsSetup has answered false
	mux       *http.ServeMux
}

// New returns the whole site as one handler.
func New(d Deps) (http.Handler, error) {
	switch {
	case d.DB == nil:
		return nil, errors.New("web: Deps.DB is required")
	case d.Auth == nil:
		return nil, errors.New("web: Deps.Auth is required")
	case d.Audit == nil:
		return nil, errors.New("web: Deps.Audit is required")
	case d.Clock == nil:
		return nil, errors.New("web: Deps.Clock is required")
	case d.Clients == nil || d.Forms == nil || d.Notes == nil || d.Tasks == nil || d.Records == nil:
		return nil, errors.New("web: Deps.Clients, Forms, Notes, Tasks and Records are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
	}
	if d.API == nil {
		d.API = http.NotFoundHandler()
	}

	s := &server{Deps: d, mux: http.NewServeMux()}
	m, err := newHTTPMetrics(d.Metrics)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	s.routes()
	return s.middleware(http.HandlerFunc(s.dispatch))
}
