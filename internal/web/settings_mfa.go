package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"net/http"

	"github.com/pquerna/otp"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/web/ui"
)

// settingsMFA shows whether two-factor authentication is on.
func (s *server) settingsMFA(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	view := ui.MFAStatusView{Enabled: v.user.MFAEnabled, Required: s.Auth.MFARequired(v.user)}
	if r.URL.Query().Get("off") == "1" {
		view.Notice = "Two-factor authentication is off."
	}
	s.render(w, r, http.StatusOK, ui.SettingsMFA(s.settingsShell(r, "Two-factor authentication"), view))
	return nil
}

// beginMFA makes a new secret and shows it with its QR code.
func (s *server) beginMFA(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	secret, uri, err := s.Auth.BeginTOTP(r.Context(), v.actor)
	if errors.Is(err, auth.ErrMFAAlreadyEnabled) {
		return redirect(w, r, "/settings/mfa")
	}
	if err != nil {
		return err
	}
	return s.renderMFASetup(w, r, http.StatusOK, ui.MFASetupView{Secret: secret, URI: uri})
}

// renderMFASetup shows an enrolment in progress, drawing the QR code.
func (s *server) renderMFASetup(w http.ResponseWriter, r *http.Request, status int, view ui.MFASetupView) error {
	qr, err := qrDataURI(view.URI)
	if err != nil {
		return err
	}
	view.QR = qr
	s.render(w, r, status, ui.SettingsMFASetup(s.settingsShell(r, "Two-factor authentication"), view))
	return nil
}

// qrDataURI draws an otpauth:// URL as a PNG QR code in a data: URI,
// which the CSP allows for images.
func qrDataURI(uri string) (string, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", fmt.Errorf("web: parse otpauth url: %w", err)
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return "", fmt.Errorf("web: draw qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("web: encode qr code: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// confirmMFA checks the first code and shows the recovery codes once.
func (s *server) confirmMFA(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	// The secret travels back in the form only to show it again after a
	// wrong code; the one that counts is the one stored by BeginTOTP.
	view := ui.MFASetupView{Secret: formValue(r, "secret"), URI: formValue(r, "uri")}
	codes, err := s.Auth.ConfirmTOTP(r.Context(), v.actor, formValue(r, "code"))
	switch {
	case errors.Is(err, auth.ErrMFANotPending), errors.Is(err, auth.ErrMFAAlreadyEnabled):
		return redirect(w, r, "/settings/mfa")
	case errors.Is(err, auth.ErrInvalidCode), errors.Is(err, auth.ErrMFARequired):
		view.Form.SetError("code", "That code is not right. Enter the 6-digit code your app shows now.")
		return s.retryMFASetup(w, r, http.StatusUnprocessableEntity, view)
	case throttled(w, &view.Form, err):
		return s.retryMFASetup(w, r, http.StatusTooManyRequests, view)
	case fieldError(&view.Form, err, nil):
		return s.retryMFASetup(w, r, http.StatusUnprocessableEntity, view)
	case err != nil:
		return err
	}
	shell := s.settingsShell(r, "Recovery codes")
	s.render(w, r, http.StatusOK, ui.SettingsRecoveryCodes(shell, codes))
	return nil
}

// retryMFASetup shows the enrolment again after a failed code. A form
// whose setup link was tampered with starts over instead.
func (s *server) retryMFASetup(w http.ResponseWriter, r *http.Request, status int, view ui.MFASetupView) error {
	if _, err := otp.NewKeyFromURL(view.URI); err != nil || view.Secret == "" {
		return redirect(w, r, "/settings/mfa")
	}
	return s.renderMFASetup(w, r, status, view)
}

// disableMFA turns two-factor off after checking the password.
func (s *server) disableMFA(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	view := ui.MFAStatusView{Enabled: v.user.MFAEnabled, Required: s.Auth.MFARequired(v.user)}
	shell := s.settingsShell(r, "Two-factor authentication")
	if view.Required {
		return redirect(w, r, "/settings/mfa")
	}
	password := secretValue(r, "password")
	if password == "" {
		view.Form.SetError("password", "Enter your password.")
		s.render(w, r, http.StatusUnprocessableEntity, ui.SettingsMFA(shell, view))
		return nil
	}
	err := s.Auth.DisableTOTP(r.Context(), v.actor, password)
	switch {
	case throttled(w, &view.Form, err):
		s.render(w, r, http.StatusTooManyRequests, ui.SettingsMFA(shell, view))
		return nil
	case fieldError(&view.Form, err, map[string]string{"current_password": "password"}):
		s.render(w, r, http.StatusUnprocessableEntity, ui.SettingsMFA(shell, view))
		return nil
	case err != nil:
		return err
	}
	return redirect(w, r, "/settings/mfa?off=1")
}
