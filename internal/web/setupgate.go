package web

import (
	"net/http"
)

// setupGate sends every page to /setup while the instance has no
// administrator. Assets, probes and metrics stay reachable; the API
// answers 503 in its JSON error shape. Once an administrator exists the
// answer is remembered and the gate costs nothing.
func (s *server) setupGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.setupDone.Load() || infraPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		needs, err := s.Auth.NeedsSetup(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !needs {
			s.setupDone.Store(true)
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case r.URL.Path == "/setup":
			next.ServeHTTP(w, r)
		case apiPath(r.URL.Path):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":{"code":"setup_required",` +
				`"message":"Tend is not set up yet: create the first administrator at /setup."}}` + "\n"))
		default:
			http.Redirect(w, r, "/setup", http.StatusSeeOther)
		}
	})
}
