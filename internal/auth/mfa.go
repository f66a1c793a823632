package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// Recovery codes: ten of them, ten characters from an alphabet without
// look-alikes (about 49 bits each), shown as "abcde-fghjk".
const (
	recoveryCount    = 10
	recoveryLen      = 10
	recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"
)

// CompleteMFA checks a second factor for the session behind token — a
// TOTP code or an unused recovery code — and marks the session as having
// passed two-factor. Wrong codes are throttled like passwords.
func (s *Service) CompleteMFA(ctx context.Context, token, code string) error {
	sess, u, err := s.Session(ctx, token)
	if err != nil {
		return err
	}
	if err := s.VerifyMFA(ctx, s.Actor(u, sess.ID, sess.IP, sess.UserAgent), u, code); err != nil {
		return err
	}
	_, err = s.db.Writer().ExecContext(ctx,
		`UPDATE sessions SET mfa_done = $1 WHERE id = $2`, true, sess.ID)
	if err != nil {
		return fmt.Errorf("auth: mark session: %w", store.Translate(err))
	}
	return nil
}

// VerifyMFA checks a second factor for u without a browser session (the
// API's token endpoint uses it after Authenticate). An empty code, or a
// user who must use TOTP but has not enrolled, is ErrMFARequired; a
// wrong or reused code is ErrInvalidCode, and repeated failures give a
// *ThrottledError. actor carries the request's IP and user agent.
func (s *Service) VerifyMFA(ctx context.Context, actor access.Actor, u User, code string) error {
	code = strings.TrimSpace(code)
	if code == "" {
		return ErrMFARequired
	}
	if err := s.throttled(ctx, s.db.Reader(), mfaRule, u.ID); err != nil {
		return err
	}
	st, err := s.loadTOTP(ctx, s.db.Reader(), u.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !st.enabled) {
		return ErrMFARequired
	}
	if err != nil {
		return err
	}

	now := s.now()
	var used func(tx *sql.Tx) (bool, error)
	detail := "totp"
	if step, ok := matchTOTP(st.secret, code, st.lastStep, now); ok {
		// Claim the step atomically so a code works once even when two
		// requests race with it.
		used = func(tx *sql.Tx) (bool, error) {
			res, err := tx.ExecContext(ctx,
				`UPDATE user_totp SET last_step = $1 WHERE user_id = $2 AND last_step < $1`,
				step, u.ID)
			return affected(res, err)
		}
	} else {
		detail = "recovery code"
		hash := s.recoveryHash(u.ID, code)
		used = func(tx *sql.Tx) (bool, error) {
			res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1
				WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
				now, u.ID, hash)
			return affected(res, err)
		}
	}

	var ok bool
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if ok, err = used(tx); err != nil || !ok {
			return err
		}
		if err := s.clearThrottle(ctx, tx, mfaRule, u.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, "auth.mfa_verified", detail)
	})
	if err != nil {
		return err
	}
	if !ok {
		return s.mfaFailed(ctx, actor, u, "wrong two-factor code")
	}
	return nil
}

func affected(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("auth: use code: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("auth: use code: %w", err)
	}
	return n == 1, nil
}

// mfaFailed counts and audits a wrong second factor and returns
// ErrInvalidCode, or the *ThrottledError this failure caused.
func (s *Service) mfaFailed(ctx context.Context, actor access.Actor, u User, detail string) error {
	var locked *ThrottledError
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if locked, err = s.fail(ctx, tx, mfaRule, u.ID); err != nil {
			return err
		}
		if locked != nil {
			if err := s.record(ctx, tx, actor, u, "auth.locked", mfaRule.scope); err != nil {
				return err
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
	return ErrInvalidCode
}

// recoveryHash is the stored form of a recovery code, bound to its user.
// Dashes, spaces and case are ignored.
func (s *Service) recoveryHash(userID, code string) string {
	code = strings.ToLower(code)
	code = strings.NewReplacer("-", "", " ", "").Replace(code)
	return s.hashToken(purposeRecovery, userID+":"+code)
}

// newRecoveryCodes makes a fresh set of codes and their hashes.
func (s *Service) newRecoveryCodes(userID string) (codes, hashes []string, err error) {
	size := big.NewInt(int64(len(recoveryAlphabet)))
	for range recoveryCount {
		var b strings.Builder
		for i := range recoveryLen {
			if i == recoveryLen/2 {
				b.WriteByte('-')
			}
			n, err := rand.Int(rand.Reader, size)
			if err != nil {
				return nil, nil, fmt.Errorf("auth: recovery code: %w", err)
			}
			b.WriteByte(recoveryAlphabet[n.Int64()])
		}
		codes = append(codes, b.String())
		hashes = append(hashes, s.recoveryHash(userID, b.String()))
	}
	return codes, hashes, nil
}

// storeRecoveryCodes replaces a user's recovery codes.
func (s *Service) storeRecoveryCodes(ctx context.Context, tx *sql.Tx, userID string,
	hashes []string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID)
	if err != nil {
		return fmt.Errorf("auth: replace recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes
			(id, user_id, code_hash, created_at, used_at) VALUES ($1, $2, $3, $4, NULL)`,
			store.NewID(), userID, h, now); err != nil {
			return fmt.Errorf("auth: store recovery code: %w", err)
		}
	}
	return nil
}

// RegenerateRecoveryCodes replaces the actor's recovery codes with ten
// new ones after checking their password. TOTP must be on.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, actor access.Actor,
	password string) ([]string, error) {
	if !actor.Authenticated() {
		return nil, access.ErrForbidden
	}
	if err := s.checkOwnPassword(ctx, actor, password); err != nil {
		return nil, err
	}
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if !u.MFAEnabled {
		return nil, ErrMFANotPending
	}
	codes, hashes, err := s.newRecoveryCodes(u.ID)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.storeRecoveryCodes(ctx, tx, u.ID, hashes, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, "auth.recovery_codes_created", "")
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// RecoveryCodesLeft reports how many unused recovery codes the actor has.
func (s *Service) RecoveryCodesLeft(ctx context.Context, actor access.Actor) (int, error) {
	var n int
	err := s.db.Reader().QueryRowContext(ctx,
		`SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
		actor.UserID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("auth: count recovery codes: %w", store.Translate(err))
	}
	return n, nil
}
