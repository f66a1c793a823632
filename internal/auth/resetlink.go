package auth

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tend-portal/tend/internal/access"
)

// ResetLinkFor issues a single-use password reset link for the account
// userID and returns it instead of emailing it, for an operator without
// mail (`tend user reset-password --print`). The link works like an
// emailed one: once, for ResetLinkTTL. Only an administrator or the
// system may ask; a disabled account is ErrDisabled; an unknown id is
// store.ErrNotFound. The audit entry (auth.password_reset_link) never
// holds the link.
func (s *Service) ResetLinkFor(ctx context.Context, actor access.Actor, userID string) (string, error) {
	if !actor.IsAdmin() && actor.Role != "system" {
		return "", access.ErrForbidden
	}
	token, err := newToken()
	if err != nil {
		return "", err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		a, err := s.accountBy(ctx, tx, "id", userID)
		if err != nil {
			return err
		}
		if a.Disabled() {
			return ErrDisabled
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_tokens
			(token_hash, user_id, purpose, created_at, expires_at, used_at)
			VALUES ($1, $2, $3, $4, $5, NULL)`,
			s.hashToken(resetLink.purpose, token), a.ID, resetLink.purpose, now,
			now.Add(resetLink.ttl)); err != nil {
			return fmt.Errorf("auth: store link: %w", err)
		}
		return s.record(ctx, tx, actor, a.User, "auth.password_reset_link", "issued to an operator")
	})
	if err != nil {
		return "", err
	}
	return s.opts.BaseURL + resetLink.path + token, nil
}
