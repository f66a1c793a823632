package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// API token kinds.
const (
	// TokenSession is issued by POST /api/v1/auth/token and lasts
	// APITokenTTL.
	TokenSession = "session"
	// TokenPersonal is created and named by the user in settings and
	// lasts until its optional expiry or until revoked.
	TokenPersonal = "personal"
)

// APITokenTTL is the lifetime of a token from the sign-in endpoint.
const APITokenTTL = 12 * time.Hour

// tokenPrefix starts every API token so leaked ones are easy to spot.
const tokenPrefix = "tend_"

// maxTokenName bounds personal token names, counted in characters.
const maxTokenName = 100

// APIToken describes a bearer token. The token itself is shown once, at
// creation, and never again.
type APIToken struct {
	ID         string
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	Kind       string
}

const tokenColumns = `t.id, t.name, t.created_at, t.last_used_at, t.expires_at,
	t.revoked_at, t.kind`

func scanToken(t *APIToken, last, exp, rev *sql.NullTime) []any {
	return []any{&t.ID, &t.Name, &t.CreatedAt, last, exp, rev, &t.Kind}
}

func (t *APIToken) finish(last, exp, rev sql.NullTime) {
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt, t.ExpiresAt, t.RevokedAt = timePtr(last), timePtr(exp), timePtr(rev)
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// IssueAPIToken returns a session-kind bearer token for u, valid for
// APITokenTTL. The caller has checked the password and any second factor.
func (s *Service) IssueAPIToken(ctx context.Context, u User,
	ip, ua string) (string, time.Time, error) {
	if u.Disabled() {
		return "", time.Time{}, ErrDisabled
	}
	exp := s.now().Add(APITokenTTL)
	token, _, err := s.insertToken(ctx, s.Actor(u, "", ip, ua), u, TokenSession,
		"API sign-in", &exp)
	if err != nil {
		return "", time.Time{}, err
	}
	return token, exp, nil
}

// CreatePersonalToken makes a named personal access token for the actor,
// expiring at expiresAt (nil: never). Invalid input is a *FieldError.
func (s *Service) CreatePersonalToken(ctx context.Context, actor access.Actor, name string,
	expiresAt *time.Time) (string, APIToken, error) {
	if !actor.Authenticated() {
		return "", APIToken{}, access.ErrForbidden
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", APIToken{}, &FieldError{Field: "name", Message: "Give the token a name."}
	case utf8.RuneCountInString(name) > maxTokenName:
		return "", APIToken{}, &FieldError{Field: "name",
			Message: "Name must be at most 100 characters long."}
	case expiresAt != nil && !expiresAt.After(s.now()):
		return "", APIToken{}, &FieldError{Field: "expires_at",
			Message: "Choose an expiry date in the future."}
	}
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return "", APIToken{}, err
	}
	if expiresAt != nil {
		e := expiresAt.UTC()
		expiresAt = &e
	}
	return s.insertToken(ctx, actor, u, TokenPersonal, name, expiresAt)
}

func (s *Service) insertToken(ctx context.Context, actor access.Actor, u User, kind, name string,
	expiresAt *time.Time) (string, APIToken, error) {
	secret, err := newToken()
	if err != nil {
		return "", APIToken{}, err
	}
	token := tokenPrefix + secret
	t := APIToken{ID: store.NewID(), Name: name, CreatedAt: s.now(), ExpiresAt: expiresAt, Kind: kind}
	var exp sql.NullTime
	if expiresAt != nil {
		exp = sql.NullTime{Time: *expiresAt, Valid: true}
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens
			(id, user_id, name, kind, token_hash, created_at, last_used_at, expires_at, revoked_at)
			VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, NULL)`,
			t.ID, u.ID, t.Name, kind, s.hashToken(purposeAPI, token), t.CreatedAt, exp); err != nil {
			return fmt.Errorf("auth: insert api token: %w", err)
		}
		return s.record(ctx, tx, actor, u, "auth.token_created", kind)
	})
	if err != nil {
		return "", APIToken{}, err
	}
	return token, t, nil
}

// ListTokens returns the actor's tokens that are not revoked, newest
// first: personal tokens (expired ones too, marked by ExpiresAt) and
// session tokens still valid.
func (s *Service) ListTokens(ctx context.Context, actor access.Actor) ([]APIToken, error) {
	if !actor.Authenticated() {
		return nil, access.ErrForbidden
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT `+tokenColumns+`
		FROM api_tokens t
		WHERE t.user_id = $1 AND t.revoked_at IS NULL
			AND (t.kind = 'personal' OR t.expires_at > $2)
		ORDER BY t.created_at DESC, t.id DESC`, actor.UserID, s.now())
	if err != nil {
		return nil, fmt.Errorf("auth: list tokens: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var (
			t             APIToken
			last, exp, rv sql.NullTime
		)
		if err := rows.Scan(scanToken(&t, &last, &exp, &rv)...); err != nil {
			return nil, fmt.Errorf("auth: list tokens: %w", err)
		}
		t.finish(last, exp, rv)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: list tokens: %w", store.Translate(err))
	}
	return out, nil
}

// RevokeToken revokes one of the actor's own tokens. Any other id,
// including another user's token, is store.ErrNotFound.
func (s *Service) RevokeToken(ctx context.Context, actor access.Actor, id string) error {
	if !actor.Authenticated() {
		return access.ErrForbidden
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1
			WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`,
			s.now(), id, actor.UserID)
		if ok, err := affected(res, err); err != nil || !ok {
			if err != nil {
				return err
			}
			return fmt.Errorf("auth: revoke token: %w", store.ErrNotFound)
		}
		u := User{ID: actor.UserID, ProviderID: actor.ProviderID, ClientID: actor.ClientID}
		return s.record(ctx, tx, actor, u, "auth.token_revoked", "")
	})
}

// revokeAllTokens revokes every live token of a user.
func (s *Service) revokeAllTokens(ctx context.Context, tx *sql.Tx, userID string,
	now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1
		WHERE user_id = $2 AND revoked_at IS NULL`, now, userID)
	if err != nil {
		return fmt.Errorf("auth: revoke tokens: %w", err)
	}
	return nil
}

// ActorFromToken resolves a bearer token to its user. Unknown, revoked
// and expired tokens are ErrTokenInvalid; a disabled user's is
// ErrDisabled. The actor's SessionID is the token's id. The token's
// last-used time is updated (at most every 30 seconds).
func (s *Service) ActorFromToken(ctx context.Context, bearer, ip,
	ua string) (access.Actor, User, error) {
	if !strings.HasPrefix(bearer, tokenPrefix) {
		return access.Actor{}, User{}, ErrTokenInvalid
	}
	var (
		t             APIToken
		last, exp, rv sql.NullTime
	)
	a, err := scanUser(s.db.Reader().QueryRowContext(ctx,
		`SELECT `+userColumns+`, `+tokenColumns+userFrom+
			` JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1`,
		s.hashToken(purposeAPI, bearer)), scanToken(&t, &last, &exp, &rv)...)
	if errors.Is(err, sql.ErrNoRows) {
		return access.Actor{}, User{}, ErrTokenInvalid
	}
	if err != nil {
		return access.Actor{}, User{}, fmt.Errorf("auth: load token: %w", store.Translate(err))
	}
	t.finish(last, exp, rv)

	now := s.now()
	switch {
	case t.RevokedAt != nil, t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return access.Actor{}, User{}, ErrTokenInvalid
	case a.Disabled():
		return access.Actor{}, User{}, ErrDisabled
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		if _, err := s.db.Writer().ExecContext(ctx,
			`UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, t.ID); err != nil {
			return access.Actor{}, User{}, fmt.Errorf("auth: touch token: %w", store.Translate(err))
		}
	}
	return s.Actor(a.User, t.ID, ip, ua), a.User, nil
}
