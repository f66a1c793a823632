package web

import "net/http"

// maxBodyBytes caps every request body. Forms and API calls of this
// release are small; uploads, when they arrive, get a route of their own.
const maxBodyBytes = 1 << 20

// limitBody refuses a body declared larger than maxBodyBytes and stops
// reading any body past it; form parsing then fails with
// *http.MaxBytesError, which fail shows as 413.
func (s *server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBodyBytes {
			s.renderError(w, r, http.StatusRequestEntityTooLarge)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}
