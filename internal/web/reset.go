package web

import (
	"errors"
	"net/http"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/web/ui"
)

// forgotForm asks for the address to mail a reset link to.
func (s *server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	sent := r.URL.Query().Get("sent") == "1"
	s.render(w, r, http.StatusOK, ui.Forgot(s.pageFor(r, "Reset your password"), ui.Form{}, sent))
	return nil
}

// forgotSubmit mails a reset link. The answer never says whether the
// address has an account.
func (s *server) forgotSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	email := formValue(r, "email")
	f := ui.Form{Values: map[string]string{"email": email}}
	page := s.pageFor(r, "Reset your password")
	err := s.Auth.RequestPasswordReset(r.Context(), email, clientIP(r))
	switch {
	case throttled(w, &f, err):
		s.render(w, r, http.StatusTooManyRequests, ui.Forgot(page, f, false))
		return nil
	case fieldError(&f, err, nil):
		s.render(w, r, http.StatusUnprocessableEntity, ui.Forgot(page, f, false))
		return nil
	case err != nil:
		return err
	}
	return redirect(w, r, "/forgot?sent=1")
}

// resetForm asks for a new password, or says the link is spent.
func (s *server) resetForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	page := s.pageFor(r, "Choose a new password")
	err := s.Auth.CheckResetLink(r.Context(), token)
	if errors.Is(err, auth.ErrTokenInvalid) {
		s.render(w, r, http.StatusGone, ui.Reset(page, "", ui.Form{}, true))
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.Reset(page, token, ui.Form{}, false))
	return nil
}

// resetSubmit sets the new password through the link.
func (s *server) resetSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	token := r.PathValue("token")
	page := s.pageFor(r, "Choose a new password")
	password, confirm := secretValue(r, "password"), secretValue(r, "confirm")
	var f ui.Form
	if password != confirm {
		f.SetError("confirm", "The two passwords do not match.")
		s.render(w, r, http.StatusUnprocessableEntity, ui.Reset(page, token, f, false))
		return nil
	}
	err := s.Auth.ResetPassword(r.Context(), token, password)
	switch {
	case errors.Is(err, auth.ErrTokenInvalid):
		s.render(w, r, http.StatusGone, ui.Reset(page, "", f, true))
		return nil
	case fieldError(&f, err, nil):
		s.render(w, r, http.StatusUnprocessableEntity, ui.Reset(page, token, f, false))
		return nil
	case err != nil:
		return err
	}
	s.clearSessionCookie(w)
	return redirect(w, r, "/login?reset=1")
}
