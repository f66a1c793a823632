package web

import (
	"log/slog"
	"net/http"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/web/ui"
)

// pageFor returns the document data for a page outside the shell.
func (s *server) pageFor(r *http.Request, title string) ui.Page {
	return ui.Page{
		Title:     title,
		Demo:      s.Config.Demo,
		RequestID: stateFrom(r.Context()).id,
	}
}

// shellFor returns the document data for a page inside the signed-in
// shell. active is the path of the navigation item to highlight.
func (s *server) shellFor(r *http.Request, title, active string) ui.Shell {
	p := s.pageFor(r, title)
	sh := ui.Shell{Page: p, Active: active}
	if v := visitorFrom(r.Context()); v.signedIn() {
		p.IdleSeconds = int(auth.IdleTimeout.Seconds())
		sh.Page = p
		sh.Viewer = ui.Viewer{Name: displayName(v.user), Role: string(v.user.Role)}
		sh.Unread = s.unreadCount(r, v)
	}
	return sh
}

// unreadCount is the signed-in provider's or client's number of unread
// messages, for the navigation. The badge is a convenience: a failure
// to count is logged and shows no badge rather than failing the page.
func (s *server) unreadCount(r *http.Request, v *visitor) int {
	if s.Messaging == nil || (v.user.Role != access.RoleProvider && v.user.Role != access.RoleClient) {
		return 0
	}
	n, err := s.Messaging.UnreadTotal(r.Context(), v.actor)
	if err != nil {
		s.Logger.LogAttrs(r.Context(), slog.LevelWarn, "count unread messages",
			slog.String("request_id", stateFrom(r.Context()).id),
			slog.String("error", err.Error()))
		return 0
	}
	return n
}

// displayName is what the shell calls a user.
func displayName(u auth.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Email
}

// homeFor is where a signed-in user starts.
func homeFor(role access.Role) string {
	switch role {
	case access.RoleProvider:
		return "/dashboard"
	case access.RoleClient:
		return "/portal"
	case access.RoleAdmin:
		return "/admin"
	}
	return "/login"
}

// redirect answers a form or page with 303 See Other.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
