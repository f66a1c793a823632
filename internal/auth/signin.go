package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// Authenticate checks an email and password. Failures are counted per
// account and per IP address; past the limits it returns a
// *ThrottledError without looking at the password. A wrong email and a
// wrong password give the same ErrInvalidCredentials in about the same
// time. A disabled account with the right password gives ErrDisabled.
// Two-factor authentication is the caller's next step (see
// StartSession's mfaDone and CompleteMFA, or VerifyMFA for the API).
func (s *Service) Authenticate(ctx context.Context, email, password, ip, ua string) (User, error) {
	actor := anonymous(ip, ua)
	norm, emailErr := NormalizeEmail(email)
	if emailErr != nil {
		norm = "invalid"
	}

	// Locked subjects are refused before any password work.
	for _, c := range []struct {
		rule  throttleRule
		value string
	}{{ipRule, ip}, {accountRule, norm}} {
		if err := s.throttled(ctx, s.db.Reader(), c.rule, c.value); err != nil {
			return User{}, s.refused(ctx, actor, err, c.rule.scope)
		}
	}

	a, err := s.accountBy(ctx, s.db.Reader(), "email", norm)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return User{}, err
	}
	found := err == nil && a.passwordHash != ""
	hash := a.passwordHash
	if !found {
		hash = s.dummy()
	}
	ok, stale, verr := verifyPassword(password, hash, s.params)
	if verr != nil {
		// A corrupt stored hash must not lock the user out silently.
		return User{}, fmt.Errorf("auth: verify password: %w", verr)
	}
	if !found || !ok {
		return User{}, s.signInFailed(ctx, actor, a.User, norm, ip, "wrong password")
	}
	if a.Disabled() {
		err := s.db.InTx(ctx, func(tx *sql.Tx) error {
			return s.record(ctx, tx, actor, a.User, "auth.sign_in_failed", "disabled")
		})
		if err != nil {
			return User{}, err
		}
		return User{}, ErrDisabled
	}

	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.clearThrottle(ctx, tx, accountRule, norm); err != nil {
			return err
		}
		if stale {
			h, err := hashPassword(password, s.params)
			if err != nil {
				return err
			}
			if err := s.setPasswordHash(ctx, tx, a.ID, h, s.now()); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, s.Actor(a.User, "", ip, ua), a.User, "auth.sign_in", "password")
	})
	if err != nil {
		return User{}, err
	}
	return a.User, nil
}

// refused audits a sign-in turned away by a lock and returns why.
func (s *Service) refused(ctx context.Context, actor access.Actor, why error, scope string) error {
	var te *ThrottledError
	if !errors.As(why, &te) {
		return why
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		return s.record(ctx, tx, actor, User{}, "auth.sign_in_failed", "locked: "+scope)
	})
	if err != nil {
		return err
	}
	return why
}

// signInFailed counts a failed password for the account and the IP
// address, audits it (and any lock it causes) and returns the error the
// caller should see: ErrInvalidCredentials, or a *ThrottledError once
// this failure locked either subject.
func (s *Service) signInFailed(ctx context.Context, actor access.Actor, u User,
	email, ip, detail string) error {
	var locked *ThrottledError
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		locked = nil
		for _, c := range []struct {
			rule  throttleRule
			value string
		}{{accountRule, email}, {ipRule, ip}} {
			l, err := s.fail(ctx, tx, c.rule, c.value)
			if err != nil {
				return err
			}
			if l != nil {
				locked = l
				if err := s.record(ctx, tx, actor, u, "auth.locked", c.rule.scope); err != nil {
					return err
				}
			}
		}
		return s.record(ctx, tx, actor, u, "auth.sign_in_failed", detail)
	})
	if err != nil {
		return err
	}
	if locked != nil {
		return locked
	}
	return ErrInvalidCredentials
}

// ChangePassword replaces the actor's password after checking the
// current one. A wrong current password counts as a failed sign-in.
// Every other session of the user is signed out.
func (s *Service) ChangePassword(ctx context.Context, actor access.Actor,
	current, next string) error {
	if !actor.Authenticated() {
		return access.ErrForbidden
	}
	if err := s.checkOwnPassword(ctx, actor, current); err != nil {
		return err
	}
	u, err := s.UserByID(ctx, actor.UserID)
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
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.setPasswordHash(ctx, tx, u.ID, h, s.now()); err != nil {
			return err
		}
		if err := s.endSessions(ctx, tx, u.ID, actor.SessionID); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, "auth.password_changed", "")
	})
}

// checkOwnPassword verifies the actor's password for a sensitive change,
// with the same throttling as sign-in. The error for a wrong password is
// a *FieldError on "current_password" (or a *ThrottledError).
func (s *Service) checkOwnPassword(ctx context.Context, actor access.Actor, password string) error {
	a, err := s.accountBy(ctx, s.db.Reader(), "id", actor.UserID)
	if err != nil {
		return err
	}
	if err := s.throttled(ctx, s.db.Reader(), accountRule, a.Email); err != nil {
		return err
	}
	hash := a.passwordHash
	if hash == "" {
		hash = s.dummy()
	}
	ok, _, err := verifyPassword(password, hash, s.params)
	if err != nil {
		return fmt.Errorf("auth: verify password: %w", err)
	}
	if ok && a.passwordHash != "" {
		return nil
	}
	err = s.signInFailed(ctx, actor, a.User, a.Email, actor.IP, "wrong current password")
	if errors.Is(err, ErrInvalidCredentials) {
		return &FieldError{Field: "current_password", Message: "Current password is not correct."}
	}
	return err
}

// SetPassword sets a user's password on an administrator's (or the
// command line's) authority, without the current one. All of the user's
// sessions end.
func (s *Service) SetPassword(ctx context.Context, actor access.Actor, userID, next string) error {
	if !actor.IsAdmin() && actor.Role != "system" {
		return access.ErrForbidden
	}
	u, err := s.UserByID(ctx, userID)
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
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.setPasswordHash(ctx, tx, u.ID, h, s.now()); err != nil {
			return err
		}
		if err := s.endSessions(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, "auth.password_reset", "set by administrator")
	})
}
