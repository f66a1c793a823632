package web

import "net/http"

// contentSecurityPolicy allows only same-origin scripts and styles, no
// inline code, no framing and no plugins.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; " +
	"frame-ancestors 'none'; form-action 'self'"

const permissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), " +
	"interest-cohort=()"

// securityHeaders sets the browser protections on every response.
// Strict-Transport-Security is sent only when Tend serves TLS itself.
func (s *server) securityHeaders(next http.Handler) http.Handler {
	tls := s.Config.TLS()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", permissionsPolicy)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}
