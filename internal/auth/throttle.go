package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/store"
)

// throttleRule limits failures for one kind of subject: after limit
// failures within window the subject is locked for lockout.
type throttleRule struct {
	scope   string
	limit   int
	window  time.Duration
	lockout time.Duration
}

// The throttling rules. Accounts are counted by normalised email, so an
// unknown email locks exactly like a real one and reveals nothing.
var (
	accountRule = throttleRule{scope: "account", limit: 5,
		window: 15 * time.Minute, lockout: 15 * time.Minute}
	ipRule = throttleRule{scope: "ip", limit: 20,
		window: 15 * time.Minute, lockout: 15 * time.Minute}
	mfaRule = throttleRule{scope: "mfa", limit: 5,
		window: 15 * time.Minute, lockout: 15 * time.Minute}
	// linkRule caps emailed-link requests per IP address.
	linkRule = throttleRule{scope: "link_ip", limit: 10,
		window: 15 * time.Minute, lockout: 15 * time.Minute}
)

// throttled returns a *ThrottledError when the subject is locked now.
func (s *Service) throttled(ctx context.Context, q store.Querier,
	rule throttleRule, value string) error {
	if value == "" {
		return nil
	}
	var until sql.NullTime
	err := q.QueryRowContext(ctx,
		`SELECT locked_until FROM login_throttle WHERE scope = $1 AND subject = $2`,
		rule.scope, s.throttleSubject(rule.scope, value)).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("auth: read throttle: %w", store.Translate(err))
	}
	if now := s.now(); until.Valid && until.Time.After(now) {
		return &ThrottledError{RetryAfter: until.Time.Sub(now)}
	}
	return nil
}

// fail counts one failure for the subject and locks it when the rule's
// limit is reached, returning the lock as a *ThrottledError (nil while
// still under the limit). A window older than rule.window starts over.
func (s *Service) fail(ctx context.Context, tx *sql.Tx,
	rule throttleRule, value string) (*ThrottledError, error) {
	if value == "" {
		return nil, nil
	}
	now := s.now()
	subject := s.throttleSubject(rule.scope, value)
	var failures int
	err := tx.QueryRowContext(ctx, `
		INSERT INTO login_throttle (scope, subject, failures, window_start, locked_until)
		VALUES ($1, $2, 1, $3, NULL)
		ON CONFLICT (scope, subject) DO UPDATE SET
			failures = CASE WHEN login_throttle.window_start <= $4
				THEN 1 ELSE login_throttle.failures + 1 END,
			window_start = CASE WHEN login_throttle.window_start <= $4
				THEN $3 ELSE login_throttle.window_start END
		RETURNING failures`,
		rule.scope, subject, now, now.Add(-rule.window)).Scan(&failures)
	if err != nil {
		return nil, fmt.Errorf("auth: count failure: %w", err)
	}
	if failures < rule.limit {
		return nil, nil
	}

	// Lock, and start counting afresh once the lock has run out.
	until := now.Add(rule.lockout)
	_, err = tx.ExecContext(ctx, `
		UPDATE login_throttle SET failures = 0, window_start = $1, locked_until = $2
		WHERE scope = $3 AND subject = $4`,
		until, until, rule.scope, subject)
	if err != nil {
		return nil, fmt.Errorf("auth: lock: %w", err)
	}
	return &ThrottledError{RetryAfter: rule.lockout}, nil
}

// clearThrottle forgets the failures of a subject after a success.
func (s *Service) clearThrottle(ctx context.Context, tx *sql.Tx,
	rule throttleRule, value string) error {
	_, err := tx.ExecContext(ctx,
		`DELETE FROM login_throttle WHERE scope = $1 AND subject = $2`,
		rule.scope, s.throttleSubject(rule.scope, value))
	if err != nil {
		return fmt.Errorf("auth: clear throttle: %w", err)
	}
	return nil
}
