package web

import (
	"net/http"
	"strings"

	"github.com/tend-portal/tend/internal/web/ui"
)

// settingsSessions lists where the user is signed in.
func (s *server) settingsSessions(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	sessions, err := s.Auth.ListSessions(r.Context(), v.actor)
	if err != nil {
		return err
	}
	loc := s.zoneFor(r.Context(), v)
	rows := make([]ui.SessionRow, 0, len(sessions))
	for _, sess := range sessions {
		rows = append(rows, ui.SessionRow{
			ID:       sess.ID,
			Created:  formatTime(&sess.CreatedAt, loc),
			LastSeen: formatTime(&sess.LastSeenAt, loc),
			IP:       sess.IP,
			Agent:    describeAgent(sess.UserAgent),
			Current:  sess.ID == v.session.ID,
		})
	}
	var notice string
	if r.URL.Query().Get("revoked") == "1" {
		notice = "That session has been signed out."
	}
	s.render(w, r, http.StatusOK, ui.SettingsSessions(s.settingsShell(r, "Sessions"), rows, notice))
	return nil
}

// revokeSession signs out one of the user's other sessions.
func (s *server) revokeSession(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	if err := s.Auth.RevokeSession(r.Context(), v.actor, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/settings/sessions?revoked=1")
}

// describeAgent names a browser and system from a user agent string in
// a few words; the full string is too long for a table.
func describeAgent(ua string) string {
	if ua == "" {
		return "Unknown device"
	}
	browser := "Browser"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"},
		{"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	for _, o := range []struct{ token, name string }{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"},
		{"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			return browser + " on " + o.name
		}
	}
	return browser
}
