package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// reqState is what the middleware learns about a request as it passes
// through: its id, its route pattern and the status written.
type reqState struct {
	id    string
	route string // the matched pattern, "" while unmatched
}

type stateKey struct{}

// stateFrom returns the request's state; never nil inside New's handler.
func stateFrom(ctx context.Context) *reqState {
	st, _ := ctx.Value(stateKey{}).(*reqState)
	if st == nil {
		return &reqState{}
	}
	return st
}

// requestID gives every request an id: the caller's X-Request-Id when
// it looks sane, else a new random one. The id goes back in the
// response header, into every log line and onto error pages.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		st := &reqState{id: id}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
	})
}

// saneRequestID accepts 8 to 64 characters of letters, digits, '-',
// '_' and '.', so a header can neither forge log lines nor grow them.
func saneRequestID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
