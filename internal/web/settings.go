package web

import (
	"context"
	"net/http"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/web/ui"
)

// timeLayout is how the settings pages show an instant.
const timeLayout = "2 Jan 2006, 15:04 MST"

// zoneFor is the time zone a user's pages show times in: a provider's
// own zone, UTC for everyone else.
func (s *server) zoneFor(ctx context.Context, v *visitor) *time.Location {
	if v.user.Role == access.RoleProvider && v.user.ProviderID != "" {
		if h, err := s.loadProviderHeader(ctx, v.user.ProviderID); err == nil {
			return h.TimeZone
		}
	}
	return time.UTC
}

// formatTime shows t in loc, or "—" for a missing time.
func formatTime(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.In(loc).Format(timeLayout)
}

// settingsShell is the shell for a settings page.
func (s *server) settingsShell(r *http.Request, title string) ui.Shell {
	return s.shellFor(r, title, "")
}

// settingsPassword shows the change-password form.
func (s *server) settingsPassword(w http.ResponseWriter, r *http.Request) error {
	var view ui.PasswordView
	if r.URL.Query().Get("changed") == "1" {
		view.Notice = "Your password has been changed. Your other sessions were signed out."
	}
	s.render(w, r, http.StatusOK, ui.SettingsPassword(s.settingsShell(r, "Password"), view))
	return nil
}

// changePassword checks the current password and sets a new one.
func (s *server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	current := secretValue(r, "current_password")
	next, confirm := secretValue(r, "new_password"), secretValue(r, "confirm")
	var view ui.PasswordView
	if current == "" {
		view.Form.SetError("current_password", "Enter your current password.")
	}
	if next != confirm {
		view.Form.SetError("confirm", "The two passwords do not match.")
	}
	shell := s.settingsShell(r, "Password")
	if view.Form.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, ui.SettingsPassword(shell, view))
		return nil
	}
	err := s.Auth.ChangePassword(r.Context(), v.actor, current, next)
	switch {
	case throttled(w, &view.Form, err):
		s.render(w, r, http.StatusTooManyRequests, ui.SettingsPassword(shell, view))
		return nil
	case fieldError(&view.Form, err, map[string]string{"password": "new_password"}):
		s.render(w, r, http.StatusUnprocessableEntity, ui.SettingsPassword(shell, view))
		return nil
	case err != nil:
		return err
	}
	return redirect(w, r, "/settings?changed=1")
}
