package web

import (
	"net/http"
	"strings"

	"github.com/tend-portal/tend/internal/validation"
)

// middleware wraps the router in the layers every request passes,
// outermost first.
func (s *server) middleware(h http.Handler) (http.Handler, error) {
	h = s.refuseUnstorable(h)
	h = s.loadSession(h)
	h = s.setupGate(h)
	h, err := s.crossOrigin(h)
	if err != nil {
		return nil, err
	}
	h = s.limitBody(h)
	h = s.recoverPanics(h)
	h = s.securityHeaders(h)
	h = s.observe(h)
	h = requestID(h)
	return h, nil
}

// refuseUnstorable turns away addresses holding a NUL character or
// invalid UTF-8, which name nothing and would only fail in the
// database: such a path is not found, such a query a bad request. The
// API answers the same in JSON itself.
func (s *server) refuseUnstorable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case apiPath(r.URL.Path):
		case !validation.StorableText(r.URL.Path):
			s.renderError(w, r, http.StatusNotFound)
			return
		case !validation.StorableURL(r.URL):
			s.renderError(w, r, http.StatusBadRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// infraPath reports whether a path is served without the first-run gate
// and without a session: assets, probes and metrics.
func infraPath(path string) bool {
	return strings.HasPrefix(path, "/static/") ||
		path == "/healthz" || path == "/readyz" || path == "/metrics"
}

// apiPath reports whether a path belongs to the JSON API, which
// authenticates with bearer tokens of its own.
func apiPath(path string) bool {
	return path == "/api/v1" || strings.HasPrefix(path, "/api/v1/")
}

// dispatch hands the request to the route table. Unmatched paths and
// wrong methods get the portal's own 404 and 405 pages.
func (s *server) dispatch(w http.ResponseWriter, r *http.Request) {
	if stateFrom(r.Context()).route != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	// Ask the mux what it would answer, without letting it write.
	h, _ := s.mux.Handler(r)
	probe := &probeWriter{header: http.Header{}}
	h.ServeHTTP(probe, r)
	switch probe.status {
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", probe.header.Get("Allow"))
		s.renderError(w, r, http.StatusMethodNotAllowed)
	case http.StatusMovedPermanently, http.StatusPermanentRedirect:
		// The mux cleans paths such as "/a//b" with a redirect.
		h.ServeHTTP(w, r)
	default:
		s.renderError(w, r, http.StatusNotFound)
	}
}

// probeWriter records a status and headers and throws the body away.
type probeWriter struct {
	header http.Header
	status int
}

func (p *probeWriter) Header() http.Header { return p.header }

func (p *probeWriter) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}

func (p *probeWriter) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}
