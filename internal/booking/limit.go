package booking

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// errNoType is the error for a provider without a type of kind.
func errNoType(kind string) error {
	if kind == "intake" {
		return validation.New("type", "This provider is not taking new clients online.")
	}
	return validation.New("type", "Choose one of the provider's appointment types.")
}

// subject is the stored, keyed hash of a rate-limit subject, so the
// table never holds an address.
func (b *Booking) subject(scope, value string) string {
	m := hmac.New(sha256.New, b.rateKey)
	m.Write([]byte(scope + "\x00" + strings.ToLower(strings.TrimSpace(value))))
	return hex.EncodeToString(m.Sum(nil))
}

// admit records one public booking attempt from ip for email and
// refuses it with RateLimitedError when either has made Limit attempts
// within the window. A refused attempt is not recorded, so waiting
// always helps. Rows older than a day are cleared on the way.
func (b *Booking) admit(ctx context.Context, ip, email string) error {
	now := b.d.Clock.Now().UTC()
	since := now.Add(-b.d.Window)
	subjects := []string{b.subject("ip", ip)}
	if strings.TrimSpace(email) != "" {
		subjects = append(subjects, b.subject("email", email))
	}
	var wait time.Duration
	err := b.d.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM booking_attempts WHERE at < $1`,
			now.Add(-24*time.Hour)); err != nil {
			return fmt.Errorf("clear attempts: %w", store.Translate(err))
		}
		for _, s := range subjects {
			oldest, n, err := attempts(ctx, tx, s, since, b.d.Limit)
			if err != nil {
				return err
			}
			if n >= b.d.Limit {
				wait = max(wait, time.Minute, oldest.Add(b.d.Window).Sub(now))
			}
		}
		if wait > 0 {
			return nil
		}
		for _, s := range subjects {
			if _, err := tx.ExecContext(ctx, `INSERT INTO booking_attempts (subject, at)
				VALUES ($1, $2)`, s, now); err != nil {
				return fmt.Errorf("record attempt: %w", store.Translate(err))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("booking: rate limit: %w", err)
	}
	if wait > 0 {
		return &RateLimitedError{RetryAfter: wait}
	}
	return nil
}

// attempts returns the oldest of subject's attempts after since and how
// many there are, counting at most limit.
func attempts(ctx context.Context, tx *sql.Tx, subject string, since time.Time,
	limit int) (time.Time, int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT at FROM booking_attempts
		WHERE subject = $1 AND at > $2 ORDER BY at LIMIT $3`, subject, since, limit)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("count attempts: %w", store.Translate(err))
	}
	defer rows.Close()
	var oldest time.Time
	n := 0
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return time.Time{}, 0, fmt.Errorf("count attempts: %w", err)
		}
		if n == 0 {
			oldest = at
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return time.Time{}, 0, fmt.Errorf("count attempts: %w", store.Translate(err))
	}
	return oldest, n, nil
}
