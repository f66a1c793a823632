package calsync

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// Vault subkey purposes for export tokens.
const (
	tokenPurpose = "calendar-export-token"
	hashPurpose  = "calendar-export-hash"
)

// exportToken derives the feed token of token row id. It is an HMAC
// under a vault subkey, so it cannot be computed from the database alone
// and the database holds only its keyed hash; deriving it (rather than
// storing it sealed) lets ExportURL show the same address again.
func (s *Service) exportToken(id string) string {
	m := hmac.New(sha256.New, s.ring.Subkey(tokenPurpose))
	m.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// tokenHash is what the database stores for a token.
func (s *Service) tokenHash(token string) string {
	m := hmac.New(sha256.New, s.ring.Subkey(hashPurpose))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Service) feedURL(token string) string {
	return s.opts.BaseURL + "/calendar/" + token + ".ics"
}

// ExportURL returns the provider's private feed address, creating the
// feed token on first use. Only providers have a feed.
func (s *Service) ExportURL(ctx context.Context, actor access.Actor) (string, error) {
	if !actor.IsProvider() {
		return "", access.ErrForbidden
	}
	var id string
	var err error
	// Two first requests at once both try to issue; the unique index
	// lets one win and the other reads its token on the retry.
	for attempt := 0; attempt < 2; attempt++ {
		err = s.db.InTx(ctx, func(tx *sql.Tx) error {
			err := tx.QueryRowContext(ctx, `SELECT id FROM calendar_export_tokens
				WHERE provider_id = $1 AND revoked_at IS NULL`, actor.ProviderID).Scan(&id)
			if !errors.Is(err, sql.ErrNoRows) {
				return store.Translate(err)
			}
			id, err = s.issue(ctx, tx, actor)
			return err
		})
		if !errors.Is(err, store.ErrConflict) {
			break
		}
	}
	if err != nil {
		return "", fmt.Errorf("calsync: export url: %w", err)
	}
	return s.feedURL(s.exportToken(id)), nil
}

// RotateExport revokes the provider's feed address and issues a new one;
// calendars subscribed to the old address stop receiving updates.
func (s *Service) RotateExport(ctx context.Context, actor access.Actor) (string, error) {
	if !actor.IsProvider() {
		return "", access.ErrForbidden
	}
	var id string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE calendar_export_tokens SET revoked_at = $1
			WHERE provider_id = $2 AND revoked_at IS NULL`,
			s.clk.Now().UTC(), actor.ProviderID)
		if err != nil {
			return store.Translate(err)
		}
		id, err = s.issue(ctx, tx, actor)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("calsync: rotate export: %w", err)
	}
	return s.feedURL(s.exportToken(id)), nil
}

// issue stores a new token row for the actor and audits it.
func (s *Service) issue(ctx context.Context, tx *sql.Tx, actor access.Actor) (string, error) {
	id := store.NewID()
	_, err := tx.ExecContext(ctx, `INSERT INTO calendar_export_tokens
		(id, provider_id, token_hash, created_at) VALUES ($1, $2, $3, $4)`,
		id, actor.ProviderID, s.tokenHash(s.exportToken(id)), s.clk.Now().UTC())
	if err != nil {
		return "", store.Translate(err)
	}
	return id, s.audit.Record(ctx, tx, actor, audit.Entry{
		Action: "calsync.export.issue", ObjectType: "calendar_export", ObjectID: id,
		ProviderID: actor.ProviderID,
	})
}

// Feed writes the iCalendar feed that token opens. An unknown, malformed
// or revoked token is ErrNotFound. Serving the feed is audited (it shows
// clients' initials), as the actor in ctx with the feed's provider.
func (s *Service) Feed(ctx context.Context, token string, w io.Writer) error {
	if len(token) != 43 {
		return ErrNotFound
	}
	if _, err := base64.RawURLEncoding.DecodeString(token); err != nil {
		return ErrNotFound
	}
	var tokenID, providerID, tz string
	err := s.db.Reader().QueryRowContext(ctx, `SELECT t.id, t.provider_id, p.time_zone
		FROM calendar_export_tokens t JOIN providers p ON p.id = t.provider_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, s.tokenHash(token)).
		Scan(&tokenID, &providerID, &tz)
	if err != nil {
		return fmt.Errorf("calsync: feed: %w", store.Translate(err))
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" || tz == "Local" {
		loc = time.UTC
	}
	now := s.clk.Now().UTC()
	from, to := now.Add(-ExportBack), now.Add(ExportAhead)
	appts, err := s.exportRows(ctx, providerID, from, to)
	if err != nil {
		return fmt.Errorf("calsync: feed: %w", err)
	}
	actor := access.From(ctx)
	actor.ProviderID = providerID
	if actor.Role == "" {
		actor.Role = access.RoleProvider
	}
	err = s.audit.Record(ctx, nil, actor, audit.Entry{
		Action: "calsync.export.read", ObjectType: "calendar_export", ObjectID: tokenID,
		ProviderID: providerID, Detail: fmt.Sprintf("count=%d", len(appts)),
	})
	if err != nil {
		return fmt.Errorf("calsync: feed: %w", err)
	}
	return writeFeed(w, feedData{loc: loc, now: now, from: from, to: to, appts: appts})
}
