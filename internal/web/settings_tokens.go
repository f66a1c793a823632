package web

import (
	"net/http"
	"time"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/web/ui"
)

// tokensView lists the user's tokens.
func (s *server) tokensView(r *http.Request, v *visitor) (ui.TokensView, error) {
	tokens, err := s.Auth.ListTokens(r.Context(), v.actor)
	if err != nil {
		return ui.TokensView{}, err
	}
	loc := s.zoneFor(r.Context(), v)
	now := s.Clock.Now()
	var view ui.TokensView
	for _, t := range tokens {
		row := ui.TokenRow{
			ID:       t.ID,
			Name:     t.Name,
			Kind:     t.Kind,
			Created:  formatTime(&t.CreatedAt, loc),
			LastUsed: formatTime(t.LastUsedAt, loc),
			Expires:  formatTime(t.ExpiresAt, loc),
			Status:   "Active",
		}
		switch {
		case t.RevokedAt != nil:
			row.Status = "Revoked"
		case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
			row.Status = "Expired"
		default:
			row.Revocable = true
		}
		if row.Name == "" && t.Kind == auth.TokenSession {
			row.Name = "API sign-in"
		}
		view.Rows = append(view.Rows, row)
	}
	return view, nil
}

// settingsTokens lists personal access tokens.
func (s *server) settingsTokens(w http.ResponseWriter, r *http.Request) error {
	view, err := s.tokensView(r, visitorFrom(r.Context()))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("revoked") == "1" {
		view.Notice = "The token has been revoked."
	}
	s.render(w, r, http.StatusOK, ui.SettingsTokens(s.settingsShell(r, "Access tokens"), view))
	return nil
}

// createToken makes a personal access token and shows it once.
func (s *server) createToken(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	name, expires := formValue(r, "name"), formValue(r, "expires")
	var form ui.Form
	form.Values = map[string]string{"name": name, "expires": expires}
	var expiresAt *time.Time
	if expires != "" {
		// The token works through the whole chosen day in the user's zone.
		day, err := time.ParseInLocation("2006-01-02", expires, s.zoneFor(r.Context(), v))
		if err != nil {
			form.SetError("expires", "Enter a date such as 2026-12-31.")
		} else {
			end := day.AddDate(0, 0, 1).UTC()
			expiresAt = &end
		}
	}
	var token string
	var err error
	if !form.HasErrors() {
		token, _, err = s.Auth.CreatePersonalToken(r.Context(), v.actor, name, expiresAt)
		if err != nil && !fieldError(&form, err, map[string]string{"expires_at": "expires"}) {
			return err
		}
	}

	view, lerr := s.tokensView(r, v)
	if lerr != nil {
		return lerr
	}
	shell := s.settingsShell(r, "Access tokens")
	if form.HasErrors() {
		view.Form = form
		s.render(w, r, http.StatusUnprocessableEntity, ui.SettingsTokens(shell, view))
		return nil
	}
	view.NewToken = token
	s.render(w, r, http.StatusOK, ui.SettingsTokens(shell, view))
	return nil
}

// revokeToken revokes one of the user's tokens.
func (s *server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	if err := s.Auth.RevokeToken(r.Context(), v.actor, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/settings/tokens?revoked=1")
}
