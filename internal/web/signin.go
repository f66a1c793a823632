package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/web/ui"
)

// demoAccounts are listed on the login page in demo mode.
var demoAccounts = []ui.DemoAccount{
	{Email: "provider@demo.test", Role: "Provider"},
	{Email: "provider2@demo.test", Role: "Provider (another state)"},
	{Email: "client@demo.test", Role: "Client of the first provider"},
	{Email: "client2@demo.test", Role: "Client of the second provider"},
	{Email: "admin@demo.test", Role: "Administrator"},
}

// demoPassword is the password of every demo account.
const demoPassword = "demo-password"

// root sends visitors to their start page or to sign in.
func (s *server) root(w http.ResponseWriter, r *http.Request) error {
	if v := visitorFrom(r.Context()); v.signedIn() {
		if v.mfaPending() {
			return redirect(w, r, "/login/mfa")
		}
		return redirect(w, r, homeFor(v.user.Role))
	}
	return redirect(w, r, "/login")
}

// loginView starts the login page's data from the query string.
func (s *server) loginView(r *http.Request) ui.LoginView {
	q := r.URL.Query()
	v := ui.LoginView{Next: safeNext(q.Get("next"))}
	switch {
	case q.Get("expired") == "1":
		v.Notice = "You were signed out after 15 minutes without activity. Sign in again to continue."
	case q.Get("signed_out") == "1":
		v.Notice = "You have signed out."
	case q.Get("reset") == "1":
		v.Notice = "Your password has been changed. Sign in with your new password."
	}
	v.LinkSent = q.Get("sent") == "1"
	if s.Config.Demo {
		v.Demo, v.DemoPass = demoAccounts, demoPassword
	}
	return v
}

func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v ui.LoginView) error {
	s.render(w, r, status, ui.Login(s.pageFor(r, "Sign in"), v))
	return nil
}

// loginForm shows the sign-in page.
func (s *server) loginForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderLogin(w, r, http.StatusOK, s.loginView(r))
}

// loginSubmit checks an email and password and starts a session.
func (s *server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := s.loginView(r)
	v.Notice, v.LinkSent = "", false
	v.Next = safeNext(formValue(r, "next"))
	email, password := formValue(r, "email"), secretValue(r, "password")
	v.Form.Values = map[string]string{"email": email}
	if email == "" {
		v.Form.SetError("email", "Enter your email address.")
	}
	if password == "" {
		v.Form.SetError("password", "Enter your password.")
	}
	if v.Form.HasErrors() {
		return s.renderLogin(w, r, http.StatusUnprocessableEntity, v)
	}

	u, err := s.Auth.Authenticate(r.Context(), email, password, clientIP(r), r.UserAgent())
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		v.Form.Message = "Email or password is incorrect."
		return s.renderLogin(w, r, http.StatusUnauthorized, v)
	case errors.Is(err, auth.ErrDisabled):
		v.Form.Message = "This account is disabled. Contact your administrator."
		return s.renderLogin(w, r, http.StatusForbidden, v)
	case throttled(w, &v.Form, err):
		return s.renderLogin(w, r, http.StatusTooManyRequests, v)
	case fieldError(&v.Form, err, nil):
		return s.renderLogin(w, r, http.StatusUnprocessableEntity, v)
	case err != nil:
		return err
	}
	return s.signIn(w, r, u, v.Next)
}

// signIn starts a fresh session for u, ending any session the browser
// had, and sends the user on: to the second factor when the account has
// one, else to next or the role's start page.
func (s *server) signIn(w http.ResponseWriter, r *http.Request, u auth.User, next string) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Auth.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	token, _, err := s.Auth.StartSession(r.Context(), u, clientIP(r), r.UserAgent(), !u.MFAEnabled)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	if u.MFAEnabled {
		to := "/login/mfa"
		if next != "" {
			to += "?next=" + url.QueryEscape(next)
		}
		return redirect(w, r, to)
	}
	if next == "" {
		next = homeFor(u.Role)
	}
	return redirect(w, r, next)
}

// linkRequest mails a sign-in link. The answer is the same whether or
// not the address has an account.
func (s *server) linkRequest(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := s.loginView(r)
	v.Notice, v.LinkSent = "", false
	err := s.Auth.RequestSignInLink(r.Context(), formValue(r, "email"), clientIP(r))
	switch {
	case throttled(w, &v.Form, err):
		return s.renderLogin(w, r, http.StatusTooManyRequests, v)
	case fieldError(&v.Form, err, map[string]string{"email": "link_email"}):
		return s.renderLogin(w, r, http.StatusUnprocessableEntity, v)
	case err != nil:
		return err
	}
	return redirect(w, r, "/login?sent=1")
}

// linkForm shows a one-button page for an emailed sign-in link; the
// link is used only when the button is pressed.
func (s *server) linkForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, ui.SignInLink(s.pageFor(r, "Sign in"), r.PathValue("token"), false))
	return nil
}

// linkRedeem uses an emailed sign-in link and starts a session.
func (s *server) linkRedeem(w http.ResponseWriter, r *http.Request) error {
	u, err := s.Auth.RedeemSignInLink(r.Context(), r.PathValue("token"))
	if errors.Is(err, auth.ErrTokenInvalid) {
		s.render(w, r, http.StatusGone, ui.SignInLink(s.pageFor(r, "Sign in"), "", true))
		return nil
	}
	if err != nil {
		return err
	}
	return s.signIn(w, r, u, "")
}
