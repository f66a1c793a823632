package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/store"
)

type userKey struct{}

// authed adapts a handler that needs a bearer token. The token's actor
// goes into the request context (access.From reads it) together with the
// user (userFrom reads it). Missing or bad tokens get 401.
func (s *server) authed(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			s.respond(w, r, errUnauthorized)
			return
		}

		ip, ua := clientOf(r)
		actor, user, err := s.Auth.ActorFromToken(r.Context(), token, ip, ua)
		switch {
		case errors.Is(err, auth.ErrTokenInvalid),
			errors.Is(err, auth.ErrSessionExpired),
			errors.Is(err, auth.ErrDisabled),
			errors.Is(err, store.ErrNotFound):
			s.respond(w, r, errInvalidToken)
			return
		case err != nil:
			s.respond(w, r, err)
			return
		}

		// Keep the request id the web layer's middleware may have set.
		actor.RequestID = access.From(r.Context()).RequestID
		ctx := access.With(r.Context(), actor)
		ctx = context.WithValue(ctx, userKey{}, user)
		r = r.WithContext(ctx)
		if err := h(w, r); err != nil {
			s.respond(w, r, err)
		}
	})
}

// userFrom returns the user authed put into ctx.
func userFrom(ctx context.Context) auth.User {
	u, _ := ctx.Value(userKey{}).(auth.User)
	return u
}

// bearerToken returns the token of an "Authorization: Bearer …" header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

// clientOf returns the caller's address and user agent. An address the
// web layer already worked out (behind a proxy, say) wins over the
// connection's.
func clientOf(r *http.Request) (ip, ua string) {
	base := access.From(r.Context())
	ip, ua = base.IP, base.UserAgent
	if ip == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		ip = host
	}
	if ua == "" {
		ua = r.UserAgent()
	}
	return ip, ua
}
