package web

import (
	"net/http"
)

// logout signs this browser out.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Auth.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	return redirect(w, r, "/login?signed_out=1")
}

// logoutAll signs the user out on every device, this one included.
func (s *server) logoutAll(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	if err := s.Auth.EndAllSessions(r.Context(), v.user.ID); err != nil {
		return err
	}
	s.clearSessionCookie(w)
	return redirect(w, r, "/login?signed_out=1")
}

// keepalive answers the idle warning's "Stay signed in": loading the
// session has already counted as activity.
func (s *server) keepalive(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	w.Header().Set("Cache-Control", "no-store")
	if !v.signedIn() || v.mfaPending() {
		w.WriteHeader(http.StatusUnauthorized)
		return nil
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
