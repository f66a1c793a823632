package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
)

// crossOrigin refuses state-changing requests that a browser marks as
// coming from another site (Sec-Fetch-Site, or an Origin that does not
// match the host). Safe methods pass. Non-browser clients, such as API
// scripts with bearer tokens, send neither header and pass too.
func (s *server) crossOrigin(next http.Handler) (http.Handler, error) {
	cop := http.NewCrossOriginProtection()
	if u, err := url.Parse(s.Config.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
		if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("web: trusted origin: %w", err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Logger.LogAttrs(r.Context(), slog.LevelWarn, "cross-origin request refused",
			slog.String("method", r.Method),
			slog.String("route", stateFrom(r.Context()).route),
			slog.String("request_id", stateFrom(r.Context()).id),
		)
		s.renderError(w, r, http.StatusForbidden)
	}))
	return cop.Handler(next), nil
}
