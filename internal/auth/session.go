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

// touchEvery limits how often a busy session's last_seen_at is written.
// The idle limit is therefore enforced to within this much.
const touchEvery = 30 * time.Second

// Session is a signed-in browser. ID is the keyed hash of the cookie
// token: it names the session in lists and audit entries but cannot be
// used to sign in.
type Session struct {
	ID            string
	UserID        string
	CreatedAt     time.Time
	LastSeenAt    time.Time
	ExpiresAt     time.Time // absolute limit
	IdleExpiresAt time.Time // when it ends unless used again
	IP            string
	UserAgent     string
	MFADone       bool
	Current       bool // set by ListSessions for the actor's own session
}

const sessionColumns = `s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
	s.ip, s.user_agent, s.mfa_done`

func scanSession(sess *Session) []any {
	return []any{&sess.ID, &sess.UserID, &sess.CreatedAt, &sess.LastSeenAt,
		&sess.ExpiresAt, &sess.IP, &sess.UserAgent, &sess.MFADone}
}

func (sess *Session) finish() {
	sess.CreatedAt = sess.CreatedAt.UTC()
	sess.LastSeenAt = sess.LastSeenAt.UTC()
	sess.ExpiresAt = sess.ExpiresAt.UTC()
	sess.IdleExpiresAt = sess.LastSeenAt.Add(IdleTimeout)
	if sess.IdleExpiresAt.After(sess.ExpiresAt) {
		sess.IdleExpiresAt = sess.ExpiresAt
	}
}

// clip bounds client-supplied strings stored with sessions and tokens.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// StartSession signs u in on a browser and returns the cookie token. A
// new random token is made at every sign-in, so a session id planted
// before sign-in is never promoted. mfaDone records whether the second
// factor has been given (or is not needed).
func (s *Service) StartSession(ctx context.Context, u User, ip, ua string,
	mfaDone bool) (string, Session, error) {
	if u.Disabled() {
		return "", Session{}, ErrDisabled
	}
	token, err := newToken()
	if err != nil {
		return "", Session{}, err
	}
	now := s.now()
	sess := Session{
		ID:         s.hashToken(purposeSession, token),
		UserID:     u.ID,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(AbsoluteTimeout),
		IP:         clip(ip, 64),
		UserAgent:  clip(ua, 512),
		MFADone:    mfaDone,
	}
	sess.finish()
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		// Sweep the user's dead sessions while here.
		if _, err := tx.ExecContext(ctx,
			`DELETE FROM sessions WHERE user_id = $1 AND (expires_at <= $2 OR last_seen_at <= $3)`,
			u.ID, now, now.Add(-IdleTimeout)); err != nil {
			return fmt.Errorf("auth: sweep sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at,
				ip, user_agent, mfa_done)
			VALUES ($1, $2, $3, $3, $4, $5, $6, $7)`,
			sess.ID, sess.UserID, now, sess.ExpiresAt, sess.IP, sess.UserAgent, sess.MFADone)
		if err != nil {
			return fmt.Errorf("auth: insert session: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// Session resolves a cookie token. It returns ErrSessionExpired for an
// unknown token and for a session idle for IdleTimeout or older than
// AbsoluteTimeout (deleting it), and ErrDisabled when the account was
// disabled. A live session's last-seen time moves to now.
func (s *Service) Session(ctx context.Context, token string) (Session, User, error) {
	if token == "" {
		return Session{}, User{}, ErrSessionExpired
	}
	id := s.hashToken(purposeSession, token)
	var sess Session
	a, err := scanUser(s.db.Reader().QueryRowContext(ctx,
		`SELECT `+userColumns+`, `+sessionColumns+userFrom+
			` JOIN sessions s ON s.user_id = u.id WHERE s.id = $1`, id),
		scanSession(&sess)...)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, ErrSessionExpired
	}
	if err != nil {
		return Session{}, User{}, fmt.Errorf("auth: load session: %w", store.Translate(err))
	}
	sess.finish()

	now := s.now()
	if !now.Before(sess.IdleExpiresAt) {
		if _, err := s.db.Writer().ExecContext(ctx,
			`DELETE FROM sessions WHERE id = $1`, id); err != nil {
			return Session{}, User{}, fmt.Errorf("auth: end session: %w", store.Translate(err))
		}
		return Session{}, User{}, ErrSessionExpired
	}
	if a.Disabled() {
		return Session{}, User{}, ErrDisabled
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if _, err := s.db.Writer().ExecContext(ctx,
			`UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, now, id); err != nil {
			return Session{}, User{}, fmt.Errorf("auth: touch session: %w", store.Translate(err))
		}
		sess.LastSeenAt = now
		sess.finish()
	}
	return sess, a.User, nil
}

// EndSession signs one browser out. An unknown token is not an error.
func (s *Service) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	id := s.hashToken(purposeSession, token)
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		var sess Session
		a, err := scanUser(tx.QueryRowContext(ctx,
			`SELECT `+userColumns+`, `+sessionColumns+userFrom+
				` JOIN sessions s ON s.user_id = u.id WHERE s.id = $1`, id),
			scanSession(&sess)...)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("auth: load session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
			return fmt.Errorf("auth: end session: %w", err)
		}
		actor := s.Actor(a.User, id, sess.IP, sess.UserAgent)
		return s.record(ctx, tx, actor, a.User, "auth.sign_out", "this session")
	})
}

// EndAllSessions signs a user out everywhere.
func (s *Service) EndAllSessions(ctx context.Context, userID string) error {
	return s.endSessionsAudited(ctx, userID, "", "all sessions")
}

// EndOtherSessions signs a user out everywhere except the session
// keepSessionID (a Session.ID, usually actor.SessionID).
func (s *Service) EndOtherSessions(ctx context.Context, userID, keepSessionID string) error {
	return s.endSessionsAudited(ctx, userID, keepSessionID, "other sessions")
}

func (s *Service) endSessionsAudited(ctx context.Context, userID, keep, detail string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		a, err := s.accountBy(ctx, tx, "id", userID)
		if err != nil {
			return err
		}
		if err := s.endSessions(ctx, tx, userID, keep); err != nil {
			return err
		}
		return s.record(ctx, tx, s.Actor(a.User, keep, "", ""), a.User, "auth.sign_out", detail)
	})
}

// endSessions deletes the user's sessions except keep ("" keeps none).
func (s *Service) endSessions(ctx context.Context, tx *sql.Tx, userID, keep string) error {
	_, err := tx.ExecContext(ctx,
		`DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, userID, keep)
	if err != nil {
		return fmt.Errorf("auth: end sessions: %w", err)
	}
	return nil
}

// ListSessions returns the actor's live sessions, newest first.
func (s *Service) ListSessions(ctx context.Context, actor access.Actor) ([]Session, error) {
	if !actor.Authenticated() {
		return nil, access.ErrForbidden
	}
	now := s.now()
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT `+sessionColumns+`
		FROM sessions s
		WHERE s.user_id = $1 AND s.expires_at > $2 AND s.last_seen_at > $3
		ORDER BY s.created_at DESC, s.id`,
		actor.UserID, now, now.Add(-IdleTimeout))
	if err != nil {
		return nil, fmt.Errorf("auth: list sessions: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var sess Session
		if err := rows.Scan(scanSession(&sess)...); err != nil {
			return nil, fmt.Errorf("auth: list sessions: %w", err)
		}
		sess.finish()
		sess.Current = sess.ID == actor.SessionID
		out = append(out, sess)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: list sessions: %w", store.Translate(err))
	}
	return out, nil
}

// RevokeSession signs out one of the actor's own sessions by id. Any
// other id, including another user's session, is store.ErrNotFound.
func (s *Service) RevokeSession(ctx context.Context, actor access.Actor, sessionID string) error {
	if !actor.Authenticated() {
		return access.ErrForbidden
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`DELETE FROM sessions WHERE id = $1 AND user_id = $2`, sessionID, actor.UserID)
		if err != nil {
			return fmt.Errorf("auth: revoke session: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("auth: revoke session: %w", store.ErrNotFound)
		}
		u := User{ID: actor.UserID, ProviderID: actor.ProviderID, ClientID: actor.ClientID}
		return s.record(ctx, tx, actor, u, "auth.sign_out", "revoked a session")
	})
}

// PurgeExpired deletes every dead session and used or expired link,
// for a periodic clean-up job. It returns how many rows went.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.now()
	var total int64
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`,
				[]any{now, now.Add(-IdleTimeout)}},
			{`DELETE FROM user_tokens WHERE expires_at <= $1 OR used_at IS NOT NULL`,
				[]any{now}},
			{`DELETE FROM login_throttle WHERE window_start <= $1
				AND (locked_until IS NULL OR locked_until <= $2)`,
				[]any{now.Add(-time.Hour), now}},
		} {
			res, err := tx.ExecContext(ctx, q.sql, q.args...)
			if err != nil {
				return fmt.Errorf("auth: purge: %w", err)
			}
			n, _ := res.RowsAffected()
			total += n
		}
		return nil
	})
	return total, err
}
