package web

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
)

// sessionCookie names the cookie that carries the session token.
const sessionCookie = "tend_session"

// visitor is the signed-in user behind a request, if any.
type visitor struct {
	token   string
	session auth.Session
	user    auth.User
	actor   access.Actor
	expired bool // a cookie was sent but its session has ended
}

// signedIn reports whether a live session came with the request.
func (v *visitor) signedIn() bool { return v != nil && v.token != "" }

// mfaPending reports whether the session still waits for its second
// factor.
func (v *visitor) mfaPending() bool { return v.signedIn() && !v.session.MFADone }

type visitorKey struct{}

// visitorFrom returns the request's visitor, or nil when none.
func visitorFrom(ctx context.Context) *visitor {
	v, _ := ctx.Value(visitorKey{}).(*visitor)
	return v
}

// loadSession looks the session cookie up on every page request, which
// also counts as activity for the idle timeout, and puts the visitor and
// its actor into the context. An ended session clears the cookie.
func (s *server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if infraPath(r.URL.Path) || apiPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		// Signed out, the actor still carries where the request came
		// from, for the audit entries of sign-in attempts.
		anon := access.Actor{IP: clientIP(r), UserAgent: r.UserAgent(),
			RequestID: stateFrom(r.Context()).id}
		ctx := access.With(r.Context(), anon)
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		sess, u, err := s.Auth.Session(ctx, c.Value)
		switch {
		case errors.Is(err, auth.ErrSessionExpired), errors.Is(err, auth.ErrDisabled):
			s.clearSessionCookie(w)
			ctx = context.WithValue(ctx, visitorKey{}, &visitor{expired: true})
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
		v := &visitor{token: c.Value, session: sess, user: u}
		v.actor = s.Auth.Actor(u, sess.ID, anon.IP, anon.UserAgent)
		v.actor.RequestID = anon.RequestID
		ctx = context.WithValue(ctx, visitorKey{}, v)
		ctx = access.With(ctx, v.actor)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// setSessionCookie hands the browser a new session token.
func (s *server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   int(auth.AbsoluteTimeout.Seconds()),
		HttpOnly: true,
		Secure:   s.Config.TLS(),
		SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie tells the browser to forget its session token.
func (s *server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.Config.TLS(),
		SameSite: http.SameSiteLaxMode,
	})
}

// clientIP is the peer address of the request. Tend does not trust
// forwarding headers: a proxy in front must be configured to pass the
// connection through, or the audit log records the proxy.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
