package api

import (
	"net/http"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/store"
)

// tokenJSON is an API token as listed; the secret is never part of it.
type tokenJSON struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
	ExpiresAt  *string `json:"expires_at"`
	RevokedAt  *string `json:"revoked_at"`
}

func tokenOut(t auth.APIToken) tokenJSON {
	return tokenJSON{
		ID:         t.ID,
		Name:       t.Name,
		Kind:       t.Kind,
		CreatedAt:  formatTime(t.CreatedAt),
		LastUsedAt: formatTimePtr(t.LastUsedAt),
		ExpiresAt:  formatTimePtr(t.ExpiresAt),
		RevokedAt:  formatTimePtr(t.RevokedAt),
	}
}

// listTokens answers GET /tokens with all of the caller's tokens. A user
// has few, so the list is one page.
func (s *server) listTokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := s.Auth.ListTokens(r.Context(), access.From(r.Context()))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(tokens, tokenOut))
	return nil
}

type newTokenRequest struct {
	Name      string  `json:"name"`
	ExpiresAt *string `json:"expires_at"`
}

// createToken answers POST /tokens: a personal access token whose
// secret appears in this response only.
func (s *server) createToken(w http.ResponseWriter, r *http.Request) error {
	var req newTokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	var expires *time.Time
	if req.ExpiresAt != nil {
		t, err := parseTime("expires_at", *req.ExpiresAt)
		if err != nil {
			return err
		}
		expires = &t
	}

	secret, t, err := s.Auth.CreatePersonalToken(r.Context(),
		access.From(r.Context()), req.Name, expires)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		Token string `json:"token"`
		tokenJSON
	}{Token: secret, tokenJSON: tokenOut(t)})
	return nil
}

// revokeToken answers DELETE /tokens/{id}. Ids that are malformed or
// belong to someone else are 404, like ids that do not exist.
func (s *server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !store.ValidID(id) {
		return errNotFound
	}
	err := s.Auth.RevokeToken(r.Context(), access.From(r.Context()), id)
	if err != nil {
		return err
	}
	noContent(w)
	return nil
}
