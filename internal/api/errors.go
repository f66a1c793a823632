package api

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// httpError is an API failure the caller may see: a status, a stable
// code, a message written for people and, for validation, the
// offending field.
type httpError struct {
	Status  int
	Code    string
	Message string
	Field   string
	// RetryAfter, when positive, is sent as the Retry-After header.
	RetryAfter time.Duration
	// Slots, for slot_taken, are open slots near the time asked for,
	// sent as a "slots" array next to "error" when not nil (even empty).
	Slots []slotJSON
}

// Error returns the message.
func (e *httpError) Error() string { return e.Message }

// Errors shared by several handlers.
var (
	errNotFound = &httpError{
		Status: http.StatusNotFound, Code: "not_found", Message: "Not found.",
	}
	errUnauthorized = &httpError{
		Status:  http.StatusUnauthorized,
		Code:    "unauthorized",
		Message: "A valid bearer token is required.",
	}
	errInvalidToken = &httpError{
		Status:  http.StatusUnauthorized,
		Code:    "invalid_token",
		Message: "The bearer token is invalid, expired or revoked.",
	}
	errForbidden = &httpError{
		Status:  http.StatusForbidden,
		Code:    "forbidden",
		Message: "You may not do this.",
	}
	errInternal = &httpError{
		Status:  http.StatusInternalServerError,
		Code:    "internal",
		Message: "internal error",
	}
)

// invalid returns a 422 validation error naming field.
func invalid(field, message string) *httpError {
	return &httpError{
		Status:  http.StatusUnprocessableEntity,
		Code:    "validation_failed",
		Message: message,
		Field:   field,
	}
}

// errorBody is the JSON shape of every error response. Slots is there
// only for slot_taken, whose answer offers other times.
type errorBody struct {
	Error errorDetail `json:"error"`
	Slots *[]slotJSON `json:"slots,omitempty"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// respond writes err as a JSON error response. Errors the caller may see
// are mapped to their status; anything else is logged for the operator
// and answered with a bare 500.
func (s *server) respond(w http.ResponseWriter, r *http.Request, err error) {
	e := s.classify(r, err)
	if e.Status == http.StatusUnauthorized {
		challenge := `Bearer realm="tend"`
		if e == errInvalidToken {
			challenge += `, error="invalid_token"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
	}
	if e.RetryAfter > 0 {
		secs := int(math.Ceil(e.RetryAfter.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
	body := errorBody{Error: errorDetail{
		Code: e.Code, Message: e.Message, Field: e.Field,
	}}
	if e.Slots != nil {
		body.Slots = &e.Slots
	}
	writeJSON(w, e.Status, body)
}

// classify maps an error from a handler or a domain package onto the
// httpError the caller sees.
func (s *server) classify(r *http.Request, err error) *httpError {
	var (
		apiErr    *httpError
		fieldErr  *auth.FieldError
		throttled *auth.ThrottledError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.As(err, &fieldErr):
		return invalid(fieldErr.Field, fieldErr.Message)
	case errors.Is(err, messaging.ErrFileTooLarge):
		// These carry a field message too, but are not a form problem.
		return classifyMessaging(err)
	case errors.Is(err, notes.ErrNotSigned):
		// A state conflict; the field message it carries is for forms.
		return &httpError{
			Status:  http.StatusConflict,
			Code:    "not_signed",
			Message: "This note is still a draft: edit it, or sign it before adding an addendum.",
		}
	case isValidation(err):
		problems, _ := validation.From(err)
		return invalid(problems[0].Field, problems[0].Message)
	case errors.As(err, &throttled):
		return &httpError{
			Status:     http.StatusTooManyRequests,
			Code:       "too_many_attempts",
			Message:    throttled.Error(),
			RetryAfter: throttled.RetryAfter,
		}
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case errors.Is(err, access.ErrForbidden):
		return errForbidden
	case errors.Is(err, store.ErrConflict):
		return &httpError{
			Status:  http.StatusConflict,
			Code:    "conflict",
			Message: "This conflicts with the current state; reload and retry.",
		}
	case errors.Is(err, store.ErrBusy):
		return &httpError{
			Status:     http.StatusServiceUnavailable,
			Code:       "busy",
			Message:    "The server is busy; try again shortly.",
			RetryAfter: time.Second,
		}
	}
	if e := classifyAuth(err); e != nil {
		return e
	}
	if e := classifyClinical(err); e != nil {
		return e
	}
	if e := classifyScheduling(err); e != nil {
		return e
	}
	if e := classifyMessaging(err); e != nil {
		return e
	}

	// Anything else is a bug or an outage: the operator gets the error,
	// the caller nothing that could leak internals.
	level := slog.LevelError
	if errors.Is(err, context.Canceled) {
		level = slog.LevelInfo
	}
	s.Logger.LogAttrs(r.Context(), level, "api request failed",
		slog.String("method", r.Method),
		slog.String("route", r.Pattern),
		slog.String("request_id", access.From(r.Context()).RequestID),
		slog.String("error", err.Error()),
	)
	return errInternal
}

// classifyAuth maps the sentinel errors of the auth package.
func classifyAuth(err error) *httpError {
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		return &httpError{
			Status:  http.StatusUnauthorized,
			Code:    "invalid_credentials",
			Message: "The email or password is not correct.",
		}
	case errors.Is(err, auth.ErrMFARequired):
		return &httpError{
			Status:  http.StatusUnauthorized,
			Code:    "mfa_required",
			Message: "This account uses two-factor authentication: send totp_code.",
			Field:   "totp_code",
		}
	case errors.Is(err, auth.ErrInvalidCode):
		return &httpError{
			Status:  http.StatusUnauthorized,
			Code:    "invalid_code",
			Message: "The two-factor code is not correct.",
			Field:   "totp_code",
		}
	case errors.Is(err, auth.ErrDisabled):
		return &httpError{
			Status:  http.StatusForbidden,
			Code:    "account_disabled",
			Message: "This account is disabled.",
		}
	case errors.Is(err, auth.ErrTokenInvalid),
		errors.Is(err, auth.ErrSessionExpired):
		return errInvalidToken
	}
	return nil
}

// isValidation reports whether err carries at least one field problem.
func isValidation(err error) bool {
	problems, ok := validation.From(err)
	return ok && len(problems) > 0
}

// classifyClinical maps the sentinel errors of the clinical areas:
// locked (signed) forms and notes, and archived clients.
func classifyClinical(err error) *httpError {
	switch {
	case errors.Is(err, forms.ErrLocked):
		return &httpError{
			Status:  http.StatusConflict,
			Code:    "locked",
			Message: "This form is signed and can no longer be changed.",
		}
	case errors.Is(err, notes.ErrLocked):
		return &httpError{
			Status: http.StatusConflict,
			Code:   "locked",
			Message: "This note is signed and can no longer be changed; " +
				"add an addendum instead.",
		}
	case errors.Is(err, clients.ErrArchived):
		return &httpError{
			Status:  http.StatusConflict,
			Code:    "client_archived",
			Message: "This client is archived; unarchive them first.",
		}
	}
	return nil
}
