package web

import (
	"errors"
	"net/http"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/web/ui"
)

// mfaStep returns the visitor waiting for a second factor, or sends
// everyone else where they belong.
func (s *server) mfaStep(w http.ResponseWriter, r *http.Request) (*visitor, bool) {
	v := visitorFrom(r.Context())
	switch {
	case !v.signedIn():
		_ = redirect(w, r, loginURL("", v != nil && v.expired))
		return nil, false
	case !v.mfaPending():
		_ = redirect(w, r, homeFor(v.user.Role))
		return nil, false
	}
	return v, true
}

// mfaForm asks for the second factor.
func (s *server) mfaForm(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.mfaStep(w, r); !ok {
		return nil
	}
	view := ui.MFAView{Next: safeNext(r.URL.Query().Get("next"))}
	s.render(w, r, http.StatusOK, ui.LoginMFA(s.pageFor(r, "Two-factor authentication"), view))
	return nil
}

// mfaSubmit checks the second factor and completes the sign-in.
func (s *server) mfaSubmit(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.mfaStep(w, r)
	if !ok {
		return nil
	}
	if err := parseForm(r); err != nil {
		return err
	}
	view := ui.MFAView{Next: safeNext(formValue(r, "next"))}
	page := s.pageFor(r, "Two-factor authentication")
	err := s.Auth.CompleteMFA(r.Context(), v.token, formValue(r, "code"))
	switch {
	case errors.Is(err, auth.ErrMFARequired):
		view.Form.SetError("code", "Enter the code from your authenticator app.")
		s.render(w, r, http.StatusUnprocessableEntity, ui.LoginMFA(page, view))
		return nil
	case errors.Is(err, auth.ErrInvalidCode):
		view.Form.SetError("code", "That code is not right. Check your app and try again.")
		s.render(w, r, http.StatusUnauthorized, ui.LoginMFA(page, view))
		return nil
	case throttled(w, &view.Form, err):
		s.render(w, r, http.StatusTooManyRequests, ui.LoginMFA(page, view))
		return nil
	case err != nil:
		return err
	}
	next := view.Next
	if next == "" {
		next = homeFor(v.user.Role)
	}
	return redirect(w, r, next)
}
