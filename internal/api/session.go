package api

import (
	"net/http"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
)

type tokenRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	TOTPCode string `json:"totp_code"`
}

type issuedToken struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// issueToken answers POST /auth/token: email and password, plus a TOTP
// or recovery code when the account uses two-factor authentication, are
// exchanged for a bearer token valid for 12 hours.
func (s *server) issueToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(req.Email) == "":
		return invalid("email", "Enter your email address.")
	case req.Password == "":
		return invalid("password", "Enter your password.")
	}

	ctx := r.Context()
	ip, ua := clientOf(r)
	user, err := s.Auth.Authenticate(ctx, req.Email, req.Password, ip, ua)
	if err != nil {
		return err
	}
	if err := s.secondFactor(r, user, req.TOTPCode); err != nil {
		return err
	}
	token, expires, err := s.Auth.IssueAPIToken(ctx, user, ip, ua)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, issuedToken{
		Token: token, ExpiresAt: formatTime(expires),
	})
	return nil
}

// revokeCurrentToken answers DELETE /auth/token: the token the request
// came with stops working.
func (s *server) revokeCurrentToken(w http.ResponseWriter, r *http.Request) error {
	actor := access.From(r.Context())
	if err := s.Auth.RevokeToken(r.Context(), actor, actor.SessionID); err != nil {
		return err
	}
	noContent(w)
	return nil
}

type meJSON struct {
	ID          string `json:"id"`
	Role        string `json:"role"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	MFAEnabled  bool   `json:"mfa_enabled"`
	ProviderID  string `json:"provider_id,omitempty"`
	ClientID    string `json:"client_id,omitempty"`
}

// me answers GET /me with the user behind the token.
func (s *server) me(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	writeJSON(w, http.StatusOK, meJSON{
		ID:          u.ID,
		Role:        string(u.Role),
		Email:       u.Email,
		DisplayName: u.DisplayName,
		MFAEnabled:  u.MFAEnabled,
		ProviderID:  u.ProviderID,
		ClientID:    u.ClientID,
	})
	return nil
}

// secondFactor checks the TOTP or recovery code of a user who has
// two-factor authentication on. An administrator who must use it but
// has not enrolled yet has to do so in the portal first.
func (s *server) secondFactor(r *http.Request, u auth.User, code string) error {
	if !u.MFAEnabled {
		if s.Auth.MFARequired(u) {
			return &httpError{
				Status: http.StatusForbidden,
				Code:   "mfa_setup_required",
				Message: "Set up two-factor authentication in the portal " +
					"before using the API.",
			}
		}
		return nil
	}
	ip, ua := clientOf(r)
	actor := s.Auth.Actor(u, "", ip, ua)
	actor.RequestID = access.From(r.Context()).RequestID
	return s.Auth.VerifyMFA(r.Context(), actor, u, code)
}
