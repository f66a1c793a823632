package auth

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// TOTP settings every authenticator app understands.
const (
	totpIssuer = "Tend"
	totpPeriod = 30
	totpSkew   = 1 // steps accepted either side of now
)

var totpOpts = totp.ValidateOpts{
	Period:    totpPeriod,
	Digits:    otp.DigitsSix,
	Algorithm: otp.AlgorithmSHA1,
}

// totpState is a user's row in user_totp, secret opened.
type totpState struct {
	secret   string
	enabled  bool
	lastStep int64
}

func secretBinding(userID string) string {
	return vault.Bind("user_totp", "secret_sealed", userID)
}

// loadTOTP reads and opens a user's TOTP secret; store.ErrNotFound when
// the user has none.
func (s *Service) loadTOTP(ctx context.Context, q store.Querier, userID string) (totpState, error) {
	var (
		st      totpState
		sealed  string
		enabled sql.NullTime
	)
	err := q.QueryRowContext(ctx,
		`SELECT secret_sealed, enabled_at, last_step FROM user_totp WHERE user_id = $1`,
		userID).Scan(&sealed, &enabled, &st.lastStep)
	if err != nil {
		return st, fmt.Errorf("auth: load totp: %w", store.Translate(err))
	}
	st.secret, err = s.ring.OpenString(sealed, secretBinding(userID))
	if err != nil {
		return st, fmt.Errorf("auth: open totp secret: %w", err)
	}
	st.enabled = enabled.Valid
	return st, nil
}

// matchTOTP returns the time step code belongs to, if it is valid now
// (±1 step) and newer than lastStep.
func matchTOTP(secret, code string, lastStep int64, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	for step := cur - totpSkew; step <= cur+totpSkew; step++ {
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// BeginTOTP starts enrolment for the actor: it makes a new secret and
// returns it with the otpauth:// URL for a QR code. Nothing changes for
// sign-in until ConfirmTOTP. ErrMFAAlreadyEnabled if TOTP is already on.
func (s *Service) BeginTOTP(ctx context.Context, actor access.Actor) (string, string, error) {
	if !actor.Authenticated() {
		return "", "", access.ErrForbidden
	}
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return "", "", err
	}
	if u.MFAEnabled {
		return "", "", ErrMFAAlreadyEnabled
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      totpIssuer,
		AccountName: u.Email,
		Period:      totpPeriod,
		SecretSize:  20,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", fmt.Errorf("auth: generate totp secret: %w", err)
	}
	sealed, err := s.ring.SealString(key.Secret(), secretBinding(u.ID))
	if err != nil {
		return "", "", fmt.Errorf("auth: seal totp secret: %w", err)
	}
	res, err := s.db.Writer().ExecContext(ctx, `
		INSERT INTO user_totp (user_id, secret_sealed, created_at, enabled_at, last_step)
		VALUES ($1, $2, $3, NULL, 0)
		ON CONFLICT (user_id) DO UPDATE SET
			secret_sealed = excluded.secret_sealed, created_at = excluded.created_at,
			last_step = 0
		WHERE user_totp.enabled_at IS NULL`,
		u.ID, sealed, s.now())
	if err != nil {
		return "", "", fmt.Errorf("auth: store totp secret: %w", store.Translate(err))
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return "", "", ErrMFAAlreadyEnabled
	}
	return key.Secret(), key.URL(), nil
}

// ConfirmTOTP finishes enrolment with a code from the app, turns TOTP on
// and returns ten recovery codes, shown once. The actor's current
// session counts as having passed two-factor. A wrong code is
// ErrInvalidCode and counts towards the two-factor throttle.
func (s *Service) ConfirmTOTP(ctx context.Context, actor access.Actor,
	code string) ([]string, error) {
	if !actor.Authenticated() {
		return nil, access.ErrForbidden
	}
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.throttled(ctx, s.db.Reader(), mfaRule, u.ID); err != nil {
		return nil, err
	}
	st, err := s.loadTOTP(ctx, s.db.Reader(), u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrMFANotPending
	}
	if err != nil {
		return nil, err
	}
	if st.enabled {
		return nil, ErrMFAAlreadyEnabled
	}
	step, ok := matchTOTP(st.secret, code, st.lastStep, s.now())
	if !ok {
		return nil, s.mfaFailed(ctx, actor, u, "wrong enrolment code")
	}

	codes, hashes, err := s.newRecoveryCodes(u.ID)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE user_totp SET enabled_at = $1, last_step = $2
			WHERE user_id = $3 AND enabled_at IS NULL AND last_step < $2`, now, step, u.ID)
		if err != nil {
			return fmt.Errorf("auth: enable totp: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrInvalidCode
		}
		if err := s.storeRecoveryCodes(ctx, tx, u.ID, hashes, now); err != nil {
			return err
		}
		if err := s.clearThrottle(ctx, tx, mfaRule, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET mfa_done = $1
			WHERE id = $2 AND user_id = $3`, true, actor.SessionID, u.ID); err != nil {
			return fmt.Errorf("auth: mark session: %w", err)
		}
		if err := s.send(ctx, tx, u.Email, "mfa_changed", s.opts.BaseURL+"/settings/mfa"); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, "auth.mfa_enabled", "totp")
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP turns two-factor authentication off for the actor after
// checking their password, and deletes their recovery codes.
func (s *Service) DisableTOTP(ctx context.Context, actor access.Actor, password string) error {
	if !actor.Authenticated() {
		return access.ErrForbidden
	}
	if err := s.checkOwnPassword(ctx, actor, password); err != nil {
		return err
	}
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	if !u.MFAEnabled {
		return nil
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM user_totp WHERE user_id = $1`, u.ID)
		if err != nil {
			return fmt.Errorf("auth: delete totp: %w", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, u.ID)
		if err != nil {
			return fmt.Errorf("auth: delete recovery codes: %w", err)
		}
		link := s.opts.BaseURL + "/settings/mfa"
		if err := s.send(ctx, tx, u.Email, "mfa_changed", link); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, "auth.mfa_disabled", "totp")
	})
}
