// Package api serves Tend's JSON API under /api/v1/.
//
// Callers authenticate with bearer tokens only (no cookies, so there is
// no cross-site request forgery surface). Every response is JSON; every
// failure is {"error":{"code","message","field"?}} with a fitting status.
// The API is described by the OpenAPI 3 document in openapi.json, served
// at /api/v1/openapi.json, and the tests hold every response against it.
//
// Handlers return errors; respond (errors.go) is the one place that turns
// an error into a status, a JSON body for the caller and a log line for
// the operator.
package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/tend-portal/tend/internal/access"
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
	"github.com/tend-portal/tend/internal/validation"
)

// Prefix is the path every API route starts with.
const Prefix = "/api/v1"

// Deps is what the API needs from the rest of the program.
type Deps struct {
	Config config.Config
	DB     *store.DB
	Clock  clock.Clock
	// TestClock is the movable clock behind Clock in demo mode; nil
	// otherwise. The demo clock endpoints exist only when it is set and
	// Config.Demo is true.
	TestClock *clock.Test
	Auth      *auth.Service
	Audit     *audit.Log
	Jobs      *jobs.Queue
	Logger    *slog.Logger

	// The clinical areas (issue 3).
	Clients *clients.Service
	Forms   *forms.Service
	Notes   *notes.Service
	Tasks   *tasks.Service
	Records *records.Exporter

	// Scheduling (issue 4).
	Scheduling *scheduling.Service
	Booking    *booking.Booking
	Calsync    *calsync.Service

	// Secure messages (issue 5).
	Messaging *messaging.Service
}

// server holds the dependencies shared by the handlers.
type server struct {
	Deps
	mux      *http.ServeMux
	patterns []string // "METHOD /path" as registered, for tests
}

// handlerFunc is an API handler: it writes a response and returns nil,
// or returns an error for respond to turn into one.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// New returns the API handler. It expects the full request path, so it
// is mounted at /api/v1/ without stripping the prefix.
func New(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s := &server{Deps: d, mux: http.NewServeMux()}
	s.routes()
	return s
}

// routes is the route table of the whole API.
func (s *server) routes() {
	s.handle("GET /openapi.json", s.public(s.openAPI))

	s.handle("POST /auth/token", s.public(s.issueToken))
	s.handle("DELETE /auth/token", s.authed(s.revokeCurrentToken))
	s.handle("GET /me", s.authed(s.me))

	s.handle("GET /tokens", s.authed(s.listTokens))
	s.handle("POST /tokens", s.authed(s.createToken))
	s.handle("DELETE /tokens/{id}", s.authed(s.revokeToken))

	s.handle("GET /audit", s.authed(s.listAudit))

	s.handle("GET /clients", s.authed(s.listClients))
	s.handle("POST /clients", s.authed(s.createClient))
	s.handle("GET /clients/{id}", s.authed(s.getClient))
	s.handle("PATCH /clients/{id}", s.authed(s.updateClient))
	s.handle("POST /clients/{id}/archive", s.authed(s.archiveClient))
	s.handle("POST /clients/{id}/unarchive", s.authed(s.unarchiveClient))
	s.handle("GET /clients/{id}/export", s.authed(s.exportClient))

	s.handle("GET /form-templates", s.authed(s.listFormTemplates))
	s.handle("POST /form-templates", s.authed(s.createFormTemplate))
	s.handle("GET /intake-packet", s.authed(s.getIntakePacket))
	s.handle("PUT /intake-packet", s.authed(s.setIntakePacket))
	s.handle("PUT /form-templates/{id}", s.authed(s.updateFormTemplate))
	s.handle("POST /form-templates/{id}/archive", s.authed(s.archiveFormTemplate(true)))
	s.handle("POST /form-templates/{id}/unarchive", s.authed(s.archiveFormTemplate(false)))
	s.handle("GET /clients/{id}/forms", s.authed(s.listClientForms))
	s.handle("POST /clients/{id}/forms", s.authed(s.assignForm))
	s.handle("GET /forms/{id}", s.authed(s.getForm))
	s.handle("PUT /forms/{id}/draft", s.authed(s.saveFormDraft))
	s.handle("POST /forms/{id}/sign", s.authed(s.signForm))
	s.handle("GET /clients/{id}/measures", s.authed(s.listMeasures))

	s.handle("GET /clients/{id}/notes", s.authed(s.listNotes))
	s.handle("POST /clients/{id}/notes", s.authed(s.createNote))
	s.handle("GET /notes/{id}", s.authed(s.getNote))
	s.handle("PATCH /notes/{id}", s.authed(s.saveNote))
	s.handle("DELETE /notes/{id}", s.authed(s.deleteNote))
	s.handle("POST /notes/{id}/sign", s.authed(s.signNote))
	s.handle("POST /notes/{id}/addenda", s.authed(s.addAddendum))

	s.handle("GET /tasks", s.authed(s.listTasks))
	s.handle("POST /tasks/{id}/dismiss", s.authed(s.dismissTask))

	s.schedulingRoutes()
	s.messagingRoutes()

	// Outside demo mode the clock routes do not exist at all: 404.
	if s.Config.Demo && s.TestClock != nil {
		s.handle("GET /demo/clock", s.authed(s.demoClock))
		s.handle("POST /demo/clock", s.authed(s.advanceDemoClock))
	}
}

// handle registers h for a "METHOD /path" pattern relative to Prefix.
func (s *server) handle(pattern string, h http.Handler) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.Handle(method+" "+Prefix+path, h)
	s.patterns = append(s.patterns, pattern)
}

// ServeHTTP answers unknown routes with a JSON 404 and known paths asked
// with the wrong method with a JSON 405 naming the allowed methods. A
// panic becomes a JSON 500, whatever wraps the API.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The web layer skips its session middleware for the API but sets the
	// request id header; the actor and the logs carry that id.
	if a := access.From(r.Context()); a.RequestID == "" {
		if id := w.Header().Get("X-Request-Id"); id != "" {
			a.RequestID = id
			r = r.WithContext(access.With(r.Context(), a))
		}
	}
	defer s.recoverPanic(w, r)

	// NUL and invalid UTF-8 name nothing here and would only fail in the
	// database: such a path is not found, such a query a bad request.
	if !validation.StorableText(r.URL.Path) {
		s.respond(w, r, errNotFound)
		return
	}
	if !validation.StorableURL(r.URL) {
		s.respond(w, r, badRequest("invalid_characters",
			"The query holds a NUL character or invalid UTF-8, which Tend does not accept."))
		return
	}
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	if allowed := s.allowedMethods(r); len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		s.respond(w, r, &httpError{
			Status:  http.StatusMethodNotAllowed,
			Code:    "method_not_allowed",
			Message: "Method " + r.Method + " is not allowed here.",
		})
		return
	}
	s.respond(w, r, errNotFound)
}

// allowedMethods lists the methods the route table accepts for r's path.
func (s *server) allowedMethods(r *http.Request) []string {
	var allowed []string
	for _, m := range []string{
		http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete,
	} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" {
			allowed = append(allowed, m)
		}
	}
	return allowed
}

// recoverPanic turns a panic into a JSON 500. The stack goes to the log,
// never to the caller.
func (s *server) recoverPanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.Logger.LogAttrs(r.Context(), slog.LevelError, "api handler panic",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("request_id", access.From(r.Context()).RequestID),
		slog.String("panic", fmt.Sprint(v)),
		slog.String("stack", string(debug.Stack())),
	)
	s.respond(w, r, errInternal)
}

// public adapts a handler that needs no authentication.
func (s *server) public(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.respond(w, r, err)
		}
	})
}
