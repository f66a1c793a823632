package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// handlerFunc is a page handler. It returns an error instead of writing
// one; fail turns it into the answer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// h adapts a handlerFunc to http.Handler.
func (s *server) h(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// errorPages holds the title and message shown for each status.
var errorPages = map[int]ui.ErrorView{
	http.StatusBadRequest: {Title: "Bad request",
		Message: "The request could not be understood. Go back and try again."},
	http.StatusForbidden: {Title: "Not allowed",
		Message: "You do not have access to this, or the request came from another site."},
	http.StatusNotFound: {Title: "Page not found",
		Message: "There is nothing here. Check the address or go back to the start page."},
	http.StatusMethodNotAllowed: {Title: "Method not allowed",
		Message: "This address does not accept that kind of request."},
	http.StatusConflict: {Title: "Already changed",
		Message: "Someone changed this while you were looking at it. Go back, reload the page and try again."},
	http.StatusRequestEntityTooLarge: {Title: "Too large",
		Message: "What you sent is larger than Tend accepts."},
	http.StatusUnprocessableEntity: {Title: "Check your input",
		Message: "Some of what you entered is not valid. Go back and correct it."},
	http.StatusTooManyRequests: {Title: "Too many attempts",
		Message: "Too many attempts. Wait a few minutes and try again."},
	http.StatusInternalServerError: {Title: "Something went wrong",
		Message: "Something went wrong on our side. Try again; if it keeps happening, " +
			"give the request id below to your administrator."},
	http.StatusServiceUnavailable: {Title: "Not available",
		Message: "Tend is not ready to answer. Try again in a moment."},
}

// fail maps an error onto a status, a page for the user and a log line
// for the operator. The user never sees the error's own text, except
// for messages written for them (field errors and throttling).
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var (
		fieldErr   *auth.FieldError
		throttle   *auth.ThrottledError
		tooBig     *http.MaxBytesError
		fileTooBig *fileTooLargeError
	)
	switch {
	case errors.Is(err, auth.ErrSessionExpired):
		s.clearSessionCookie(w)
		http.Redirect(w, r, "/login?expired=1", http.StatusSeeOther)
	case errors.Is(err, errBadRequest):
		s.renderError(w, r, http.StatusBadRequest)
	case errors.Is(err, store.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound)
	case errors.Is(err, access.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden)
	case errors.Is(err, notes.ErrLocked):
		s.renderErrorTitled(w, r, http.StatusConflict, "Signed and locked", msgNoteLocked)
	case errors.Is(err, forms.ErrLocked):
		s.renderErrorTitled(w, r, http.StatusConflict, "Signed and locked", msgFormLocked)
	case errors.Is(err, clients.ErrArchived) && isClient(r):
		s.renderErrorTitled(w, r, http.StatusConflict, "Not available", msgPortalClosed)
	case errors.Is(err, clients.ErrArchived):
		s.renderErrorTitled(w, r, http.StatusConflict, "Client archived", msgArchived)
	case errors.Is(err, messaging.ErrRetract):
		s.renderErrorTitled(w, r, http.StatusConflict, "Cannot retract", msgRetract)
	case errors.As(err, &fileTooBig):
		s.renderErrorTitled(w, r, http.StatusRequestEntityTooLarge, "File too large", fileTooBig.message())
	case errors.Is(err, store.ErrConflict):
		s.renderError(w, r, http.StatusConflict)
	case errors.As(err, &fieldErr):
		s.renderErrorMessage(w, r, http.StatusUnprocessableEntity, fieldErr.Message)
	case isValidation(err):
		// A handler that shows the form itself never gets here; this is
		// the fallback for a problem no form field can carry.
		errs, _ := validation.From(err)
		s.renderErrorMessage(w, r, http.StatusUnprocessableEntity, errs[0].Message)
	case errors.As(err, &throttle):
		w.Header().Set("Retry-After", retryAfter(throttle))
		s.renderErrorMessage(w, r, http.StatusTooManyRequests, throttle.Error())
	case errors.As(err, &tooBig):
		s.renderError(w, r, http.StatusRequestEntityTooLarge)
	default:
		s.Logger.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("route", stateFrom(r.Context()).route),
			slog.String("request_id", stateFrom(r.Context()).id),
			slog.String("error", err.Error()),
		)
		s.renderError(w, r, http.StatusInternalServerError)
	}
}

// Messages for the answers that explain a refusal.
const (
	msgNoteLocked = "This note is signed and locked: its text can no longer change. " +
		"Open the note and add a dated addendum instead."
	msgFormLocked = "This form has been signed and submitted, so its answers can no longer change. " +
		"Ask for a new copy of the form if something needs correcting."
	msgArchived = "This client is archived, so nothing new can be booked or sent for them. " +
		"Unarchive the client from their page first."
	msgRetract = "This message can no longer be retracted: it has been read, it is older than " +
		"5 minutes, or it was already retracted."
)

// isClient reports whether a client is signed in to the request.
func isClient(r *http.Request) bool {
	v := visitorFrom(r.Context())
	return v.signedIn() && v.user.Role == access.RoleClient
}

// isValidation reports whether err carries validation problems.
func isValidation(err error) bool {
	errs, ok := validation.From(err)
	return ok && len(errs) > 0
}

// retryAfter is the Retry-After header value for a throttled request.
func retryAfter(te *auth.ThrottledError) string {
	return strconv.Itoa(int(te.RetryAfter.Seconds()) + 1)
}

// renderError writes the error page for status.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	s.renderErrorMessage(w, r, status, "")
}

// renderErrorMessage writes the error page for status with a message
// written for the user in place of the standard one.
func (s *server) renderErrorMessage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.renderErrorTitled(w, r, status, "", msg)
}

// renderErrorTitled writes the error page for status with its own title
// and message; empty ones keep the standard text.
func (s *server) renderErrorTitled(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	if apiPath(r.URL.Path) {
		// Middleware refusals on the JSON API keep the API's error shape.
		writeAPIError(w, status, msg)
		return
	}
	v, ok := errorPages[status]
	if !ok {
		v = ui.ErrorView{Title: http.StatusText(status), Message: "The request could not be completed."}
	}
	v.Status = status
	if msg != "" {
		v.Message = msg
	}
	if title != "" {
		v.Title = title
	}
	v.Home = "/"
	p := s.pageFor(r, v.Title)
	s.render(w, r, status, ui.Error(p, v))
}

// render writes a component with a status. It renders into a buffer
// first so a failing component still yields a clean 500.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.Logger.LogAttrs(r.Context(), slog.LevelError, "render failed",
			slog.String("request_id", stateFrom(r.Context()).id),
			slog.String("error", err.Error()),
		)
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// apiErrorCodes names the error codes the middleware can answer the JSON
// API with, matching those the API documents.
var apiErrorCodes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusInternalServerError:   "internal",
	http.StatusServiceUnavailable:    "unavailable",
}

// writeAPIError answers an /api/v1 request refused before it reached the
// API handler with the API's JSON error body.
func writeAPIError(w http.ResponseWriter, status int, msg string) {
	code, ok := apiErrorCodes[status]
	if !ok {
		code = "error"
	}
	if msg == "" {
		msg = http.StatusText(status)
		if status == http.StatusForbidden {
			msg = "cross-origin request refused"
		}
	}
	body, _ := json.Marshal(map[string]any{
		"error": map[string]string{"code": code, "message": msg},
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
