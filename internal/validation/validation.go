// Package validation carries input problems from the areas to the web
// and API layers: each problem names the field it belongs to and says,
// in words meant for the person who typed it, what is wrong.
//
// Areas collect every problem with a request before changing anything
// and return them together as Errors; handlers show each message next
// to its field (web) or as a 422 naming the first field (API).
package validation

import (
	"errors"
	"strings"
)

// FieldError is one problem with one input field.
type FieldError struct {
	Field   string // the input's name, e.g. "email" or "insurance.member_id"
	Message string // a sentence for the user, e.g. "Enter a valid email address."
}

// Error returns the message.
func (e FieldError) Error() string { return e.Message }

// Errors is every problem found in one request. The zero value holds none.
type Errors []FieldError

// Add records a problem with field.
func (e *Errors) Add(field, message string) {
	*e = append(*e, FieldError{Field: field, Message: message})
}

// Has reports whether field already has a problem, so checks that depend
// on an earlier one (a format after "required") can be skipped.
func (e Errors) Has(field string) bool {
	for _, fe := range e {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// For returns the message for field, or "".
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Err returns e as an error, or nil when there is no problem.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Error joins the messages.
func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Field + ": " + fe.Message
	}
	return strings.Join(msgs, "; ")
}

// New returns Errors holding one problem.
func New(field, message string) error {
	return Errors{{Field: field, Message: message}}
}

// From returns the problems carried by err, if err is or wraps Errors or
// a single FieldError.
func From(err error) (Errors, bool) {
	var errs Errors
	if errors.As(err, &errs) {
		return errs, true
	}
	var fe FieldError
	if errors.As(err, &fe) {
		return Errors{fe}, true
	}
	return nil, false
}
