package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// Lifetimes of emailed links.
const (
	ResetLinkTTL  = time.Hour
	SignInLinkTTL = 15 * time.Minute
)

// linksPerHour caps how many links of one kind an account is sent per
// hour; requests beyond it are dropped silently.
const linksPerHour = 3

// linkKind describes one kind of emailed link.
type linkKind struct {
	purpose  string
	path     string
	template string
	ttl      time.Duration
}

var (
	resetLink  = linkKind{purposeReset, "/reset/", "password_reset", ResetLinkTTL}
	signInLink = linkKind{purposeSignIn, "/login/link/", "sign_in_link", SignInLinkTTL}
)

// RequestPasswordReset emails a single-use link to /reset/{token}, valid
// for an hour. For an unknown or disabled email it does nothing and
// still returns nil, so the answer never tells whether an account
// exists. A malformed email is a *FieldError; too many requests from ip
// give a *ThrottledError.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string) error {
	return s.requestLink(ctx, resetLink, email, ip)
}

// RequestSignInLink emails a single-use sign-in link to
// /login/link/{token}, valid for 15 minutes, with the same rules as
// RequestPasswordReset. Any role may use it; clients mostly do.
func (s *Service) RequestSignInLink(ctx context.Context, email, ip string) error {
	return s.requestLink(ctx, signInLink, email, ip)
}

func (s *Service) requestLink(ctx context.Context, kind linkKind, email, ip string) error {
	norm, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	if err := s.throttled(ctx, s.db.Reader(), linkRule, ip); err != nil {
		return err
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	now := s.now()
	actor := anonymous(ip, access.From(ctx).UserAgent)
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		// Every request counts against the address, found or not.
		if _, err := s.fail(ctx, tx, linkRule, ip); err != nil {
			return err
		}
		a, err := s.accountBy(ctx, tx, "email", norm)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if a.Disabled() {
			return nil
		}
		var recent int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM user_tokens
			WHERE user_id = $1 AND purpose = $2 AND created_at > $3`,
			a.ID, kind.purpose, now.Add(-time.Hour)).Scan(&recent); err != nil {
			return fmt.Errorf("auth: count links: %w", err)
		}
		if recent >= linksPerHour {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_tokens
			(token_hash, user_id, purpose, created_at, expires_at, used_at)
			VALUES ($1, $2, $3, $4, $5, NULL)`,
			s.hashToken(kind.purpose, token), a.ID, kind.purpose, now,
			now.Add(kind.ttl)); err != nil {
			return fmt.Errorf("auth: store link: %w", err)
		}
		if err := s.send(ctx, tx, a.Email, kind.template, s.opts.BaseURL+kind.path+token); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.User, "auth.link_sent", kind.purpose)
	})
}

// peekLink finds the live user behind a link token without using it.
func (s *Service) peekLink(ctx context.Context, kind linkKind, token string) (User, error) {
	if token == "" {
		return User{}, ErrTokenInvalid
	}
	var userID string
	err := s.db.Reader().QueryRowContext(ctx, `SELECT user_id FROM user_tokens
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
		s.hashToken(kind.purpose, token), kind.purpose, s.now()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrTokenInvalid
	}
	if err != nil {
		return User{}, fmt.Errorf("auth: read link: %w", store.Translate(err))
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return User{}, err
	}
	if u.Disabled() {
		return User{}, ErrTokenInvalid
	}
	return u, nil
}

// useLink marks the token used, and every other unused link of the same
// kind for the user with it. ErrTokenInvalid if it was used or expired
// in the meantime.
func (s *Service) useLink(ctx context.Context, tx *sql.Tx, kind linkKind, userID,
	token string, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE user_tokens SET used_at = $1
		WHERE token_hash = $2 AND purpose = $3 AND user_id = $4
			AND used_at IS NULL AND expires_at > $1`,
		now, s.hashToken(kind.purpose, token), kind.purpose, userID)
	if ok, err := affected(res, err); err != nil || !ok {
		if err != nil {
			return err
		}
		return ErrTokenInvalid
	}
	if _, err := tx.ExecContext(ctx, `UPDATE user_tokens SET used_at = $1
		WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL`,
		now, userID, kind.purpose); err != nil {
		return fmt.Errorf("auth: retire links: %w", err)
	}
	return nil
}

// CheckResetLink reports whether a reset token is still usable, so the
// page can say so before the user types a new password.
func (s *Service) CheckResetLink(ctx context.Context, token string) error {
	_, err := s.peekLink(ctx, resetLink, token)
	return err
}

// ResetPassword sets a new password through an emailed reset link. The
// link works once; the account's sign-in lock is lifted and every
// session ends. A policy failure is a *FieldError and leaves the link
// usable; a used, expired or unknown token is ErrTokenInvalid.
func (s *Service) ResetPassword(ctx context.Context, token, next string) error {
	u, err := s.peekLink(ctx, resetLink, token)
	if err != nil {
		return err
	}
	if err := CheckPassword(next, u.Email); err != nil {
		return err
	}
	h, err := hashPassword(next, s.params)
	if err != nil {
		return err
	}
	from := access.From(ctx)
	actor := s.Actor(u, "", from.IP, from.UserAgent)
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := s.useLink(ctx, tx, resetLink, u.ID, token, now); err != nil {
			return err
		}
		if err := s.setPasswordHash(ctx, tx, u.ID, h, now); err != nil {
			return err
		}
		if err := s.endSessions(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		if err := s.clearThrottle(ctx, tx, accountRule, u.Email); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, "auth.password_reset", "emailed link")
	})
}

// RedeemSignInLink uses an emailed sign-in link and returns its user,
// for the caller to start a session (and ask for a second factor when
// the user has one). A used, expired or unknown token is
// ErrTokenInvalid. The request's IP and user agent are taken from the
// actor in ctx, if any.
func (s *Service) RedeemSignInLink(ctx context.Context, token string) (User, error) {
	u, err := s.peekLink(ctx, signInLink, token)
	if err != nil {
		return User{}, err
	}
	from := access.From(ctx)
	actor := s.Actor(u, "", from.IP, from.UserAgent)
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.useLink(ctx, tx, signInLink, u.ID, token, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, "auth.sign_in", "emailed link")
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}
