package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// signedIn lets a request through only with a complete session: signed
// in, second factor done when the account has one, and — for accounts
// that must use two-factor — enrolment done before anything but the
// enrolment pages. With roles given, other roles get 404.
func (s *server) signedIn(fn handlerFunc, roles ...access.Role) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v := visitorFrom(r.Context())
		if !v.signedIn() {
			next := ""
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			return redirect(w, r, loginURL(next, v != nil && v.expired))
		}
		if v.mfaPending() {
			return redirect(w, r, "/login/mfa")
		}
		if s.Auth.MFARequired(v.user) && !v.user.MFAEnabled && !enrolmentPath(r.URL.Path) {
			return redirect(w, r, "/settings/mfa")
		}
		if len(roles) > 0 && !slices.Contains(roles, v.user.Role) {
			return store.ErrNotFound
		}
		return fn(w, r)
	}
}

// enrolmentPath lists what an account that must enrol two-factor may
// reach before it has.
func enrolmentPath(path string) bool {
	return path == "/settings/mfa" || strings.HasPrefix(path, "/settings/mfa/") ||
		path == "/session/keepalive" || path == "/logout/all"
}

// provider, client and admin restrict a handler to one role.
func (s *server) provider(fn handlerFunc) handlerFunc {
	return s.signedIn(fn, access.RoleProvider)
}

func (s *server) client(fn handlerFunc) handlerFunc {
	return s.signedIn(fn, access.RoleClient)
}

func (s *server) admin(fn handlerFunc) handlerFunc {
	return s.signedIn(fn, access.RoleAdmin)
}

// guest is for the sign-in pages: a fully signed-in visitor goes home
// instead.
func (s *server) guest(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if v := visitorFrom(r.Context()); v.signedIn() && !v.mfaPending() {
			return redirect(w, r, homeFor(v.user.Role))
		}
		return fn(w, r)
	}
}
