package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// errBadRequest is a request the browser should never have sent, such
// as a form that does not parse.
var errBadRequest = errors.New("web: malformed request")

// parseForm reads a submitted form. A body over the limit stays a
// *http.MaxBytesError (413); anything else unreadable is errBadRequest.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return errBadRequest
	}
	if !storableForm(r.Form) {
		return errBadRequest
	}
	return nil
}

// storableForm reports whether every name and value of a form is text
// the database can keep (no NUL, valid UTF-8): a browser never sends
// anything else.
func storableForm(form url.Values) bool {
	for k, vs := range form {
		if !validation.StorableText(k) {
			return false
		}
		for _, v := range vs {
			if !validation.StorableText(v) {
				return false
			}
		}
	}
	return true
}

// formValue returns a trimmed form field, bounded in length so a huge
// value never reaches the areas.
func formValue(r *http.Request, name string) string {
	return validation.Truncate(strings.TrimSpace(r.PostFormValue(name)), 4096)
}

// secretValue returns a password field as typed: passwords keep their
// spaces.
func secretValue(r *http.Request, name string) string {
	return validation.Truncate(r.PostFormValue(name), 4096)
}

// fieldError puts an auth *FieldError next to its input, renaming the
// area's field to the form's input name through rename (may be nil). It
// reports whether err was a field error.
func fieldError(f *ui.Form, err error, rename map[string]string) bool {
	var fe *auth.FieldError
	if !errors.As(err, &fe) {
		return false
	}
	name := fe.Field
	if to, ok := rename[name]; ok {
		name = to
	}
	if name == "" {
		f.Message = fe.Message
		return true
	}
	f.SetError(name, fe.Message)
	return true
}

// throttled reports a *auth.ThrottledError: it sets Retry-After and the
// form-wide message, for the page to be rendered with 429.
func throttled(w http.ResponseWriter, f *ui.Form, err error) bool {
	var te *auth.ThrottledError
	if !errors.As(err, &te) {
		return false
	}
	w.Header().Set("Retry-After", retryAfter(te))
	f.Message = te.Error()
	return true
}
