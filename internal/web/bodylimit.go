package web

import (
	"net/http"
	"strings"
)

// maxBodyBytes caps every request body but the message uploads. Forms
// and API calls are small; uploads enforce limits of their own.
const maxBodyBytes = 1 << 20

// limitBody refuses a body declared larger than maxBodyBytes and stops
// reading any body past it; form parsing then fails with
// *http.MaxBytesError, which fail shows as 413. The routes that take
// message attachments are exempt: their handlers stream the body and
// stop at the attachment limits themselves.
func (s *server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if uploadRoute(r) {
			next.ServeHTTP(w, r)
			return
		}
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

// uploadRoute reports whether a request posts a message that may carry
// attachments: the provider's thread form (POST /messages/{client_id}),
// the client's inbox form (POST /portal/messages) and the API's
// POST /api/v1/threads/{client_id}/messages.
func uploadRoute(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	p := r.URL.Path
	if p == "/portal/messages" {
		return true
	}
	if id, ok := strings.CutPrefix(p, "/messages/"); ok {
		return id != "" && id != "new" && !strings.Contains(id, "/")
	}
	if rest, ok := strings.CutPrefix(p, "/api/v1/threads/"); ok {
		id, tail, found := strings.Cut(rest, "/")
		return found && id != "" && tail == "messages"
	}
	return false
}
