package calsync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/vault"
)

// Feed is one connected outside calendar, as its provider sees it. The
// address itself is never shown again, only its host.
type Feed struct {
	ID            string
	ProviderID    string
	Host          string
	LastFetchedAt *time.Time
	LastOKAt      *time.Time
	LastError     string // empty when the last fetch worked
	CreatedAt     time.Time
}

// sealBinding ties a sealed feed address to its row.
func sealBinding(id string) string { return vault.Bind("calendar_feeds", "url_sealed", id) }

// AddFeed connects the calendar at rawURL for the provider. The feed is
// fetched and parsed at once: an address that cannot be fetched or does
// not hold a calendar is a validation error on "url" and nothing is
// stored.
func (s *Service) AddFeed(ctx context.Context, actor access.Actor, rawURL string) (Feed, error) {
	if !actor.IsProvider() {
		return Feed{}, access.ErrForbidden
	}
	u, err := normalizeFeedURL(rawURL)
	if err != nil {
		return Feed{}, validation.New("url", err.Error())
	}
	var n int
	err = s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM calendar_feeds
		WHERE provider_id = $1`, actor.ProviderID).Scan(&n)
	if err != nil {
		return Feed{}, fmt.Errorf("calsync: add feed: %w", store.Translate(err))
	}
	if n >= MaxFeedsPerProvider {
		return Feed{}, validation.New("url", fmt.Sprintf("you can connect up to %d calendars", MaxFeedsPerProvider))
	}
	loc, err := s.providerZone(ctx, actor.ProviderID)
	if err != nil {
		return Feed{}, fmt.Errorf("calsync: add feed: %w", err)
	}
	now := s.clk.Now().UTC()
	res, err := s.fetch.get(ctx, u.String(), "", "")
	var intervals []Interval
	if err == nil {
		intervals, err = Parse(res.Body, s.parseOptions(now, loc))
	}
	if err != nil {
		return Feed{}, validation.New("url", "the calendar could not be added: "+userMessage(err))
	}

	f := Feed{ID: store.NewID(), ProviderID: actor.ProviderID, Host: u.Hostname(),
		LastFetchedAt: &now, LastOKAt: &now, CreatedAt: now}
	sealed, err := s.ring.SealString(u.String(), sealBinding(f.ID))
	if err != nil {
		return Feed{}, fmt.Errorf("calsync: add feed: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO calendar_feeds (id, provider_id,
			url_sealed, url_host, etag, last_modified, last_fetched_at, last_ok_at,
			last_parsed_at, last_error, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, '', $7)`,
			f.ID, f.ProviderID, sealed, f.Host, res.ETag, res.LastModified, now)
		if err != nil {
			return store.Translate(err)
		}
		if err := replaceBusy(ctx, tx, f.ID, f.ProviderID, intervals); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action: "calsync.feed.add", ObjectType: "calendar_feed", ObjectID: f.ID,
			ProviderID: f.ProviderID, Detail: fmt.Sprintf("intervals=%d", len(intervals)),
		})
	})
	if err != nil {
		return Feed{}, fmt.Errorf("calsync: add feed: %w", err)
	}
	return f, nil
}

// Connected reports whether the provider has set up calendar sync in
// either direction: a calendar imported, or their feed address taken.
func (s *Service) Connected(ctx context.Context, actor access.Actor) (bool, error) {
	if !actor.IsProvider() {
		return false, access.ErrForbidden
	}
	var n int
	err := s.db.Reader().QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM calendar_feeds WHERE provider_id = $1) +
		(SELECT COUNT(*) FROM calendar_export_tokens
			WHERE provider_id = $1 AND revoked_at IS NULL)`,
		actor.ProviderID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("calsync: connected: %w", store.Translate(err))
	}
	return n > 0, nil
}

// Feeds lists the provider's connected calendars, oldest first.
func (s *Service) Feeds(ctx context.Context, actor access.Actor) ([]Feed, error) {
	if !actor.IsProvider() {
		return nil, access.ErrForbidden
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT id, provider_id, url_host,
		last_fetched_at, last_ok_at, last_error, created_at FROM calendar_feeds
		WHERE provider_id = $1 ORDER BY created_at, id`, actor.ProviderID)
	if err != nil {
		return nil, fmt.Errorf("calsync: feeds: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Feed
	for rows.Next() {
		var f Feed
		var fetched, ok sql.NullTime
		if err := rows.Scan(&f.ID, &f.ProviderID, &f.Host, &fetched, &ok, &f.LastError,
			&f.CreatedAt); err != nil {
			return nil, fmt.Errorf("calsync: feeds: %w", store.Translate(err))
		}
		f.LastFetchedAt, f.LastOKAt = timePtr(fetched), timePtr(ok)
		f.CreatedAt = f.CreatedAt.UTC()
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calsync: feeds: %w", store.Translate(err))
	}
	return out, nil
}

// RemoveFeed disconnects one of the provider's calendars and forgets its
// busy intervals. Another provider's feed is ErrNotFound.
func (s *Service) RemoveFeed(ctx context.Context, actor access.Actor, id string) error {
	if !actor.IsProvider() || !store.ValidID(id) {
		return fmt.Errorf("calsync: remove feed: %w", ErrNotFound)
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM busy_events
			WHERE feed_id = $1 AND provider_id = $2`, id, actor.ProviderID); err != nil {
			return store.Translate(err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM calendar_feeds
			WHERE id = $1 AND provider_id = $2`, id, actor.ProviderID)
		if err != nil {
			return store.Translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action: "calsync.feed.remove", ObjectType: "calendar_feed", ObjectID: id,
			ProviderID: actor.ProviderID,
		})
	})
	if err != nil {
		return fmt.Errorf("calsync: remove feed: %w", err)
	}
	return nil
}

// Busy returns the provider's busy intervals (transparent events left
// out) that overlap [from, to), merged where they touch or overlap, for
// slot computation and the calendar views. It holds no PHI.
func (s *Service) Busy(ctx context.Context, providerID string, from, to time.Time) ([]slots.Interval, error) {
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT starts_at, ends_at FROM busy_events
		WHERE provider_id = $1 AND transparent = FALSE AND starts_at < $2 AND ends_at > $3
		ORDER BY starts_at, ends_at`, providerID, to.UTC(), from.UTC())
	if err != nil {
		return nil, fmt.Errorf("calsync: busy: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []slots.Interval
	for rows.Next() {
		var iv slots.Interval
		if err := rows.Scan(&iv.Start, &iv.End); err != nil {
			return nil, fmt.Errorf("calsync: busy: %w", store.Translate(err))
		}
		iv.Start, iv.End = iv.Start.UTC(), iv.End.UTC()
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			if iv.End.After(out[n-1].End) {
				out[n-1].End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calsync: busy: %w", store.Translate(err))
	}
	return out, nil
}

// replaceBusy swaps a feed's stored intervals for a new set, in batches.
func replaceBusy(ctx context.Context, tx *sql.Tx, feedID, providerID string, list []Interval) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM busy_events WHERE feed_id = $1`, feedID); err != nil {
		return store.Translate(err)
	}
	const batch = 200
	for i := 0; i < len(list); i += batch {
		chunk := list[i:min(i+batch, len(list))]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO busy_events (id, feed_id, provider_id, starts_at,
			ends_at, all_day, transparent) VALUES `)
		args := make([]any, 0, len(chunk)*7)
		for j, iv := range chunk {
			if j > 0 {
				sb.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
			args = append(args, store.NewID(), feedID, providerID, iv.Start.UTC(), iv.End.UTC(),
				iv.AllDay, iv.Transparent)
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return store.Translate(err)
		}
	}
	return nil
}

// providerZone loads the provider's time zone (UTC if it is unusable).
func (s *Service) providerZone(ctx context.Context, providerID string) (*time.Location, error) {
	var tz string
	err := s.db.Reader().QueryRowContext(ctx, `SELECT time_zone FROM providers WHERE id = $1`,
		providerID).Scan(&tz)
	if err != nil {
		return nil, store.Translate(err)
	}
	if loc := loadIANA(tz); loc != nil {
		return loc, nil
	}
	return time.UTC, nil
}

func (s *Service) parseOptions(now time.Time, loc *time.Location) ParseOptions {
	return ParseOptions{From: now.Add(-ImportBack), To: now.Add(ImportAhead), Location: loc}
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// userMessage turns a fetch or parse error into words for the provider,
// without the feed's address.
func userMessage(err error) string {
	switch {
	case errors.Is(err, ErrBlockedAddress):
		return "its address points into a private network"
	case errors.Is(err, ErrTooLarge):
		return fmt.Sprintf("it is larger than %d MB", DefaultMaxBytes>>20)
	case errors.Is(err, ErrNotCalendar):
		return "the address does not hold an iCalendar (.ics) calendar"
	case errors.Is(err, ErrTooMany):
		return fmt.Sprintf("it has more than %d events in the next six months", MaxIntervals)
	case errors.Is(err, ErrTooComplex):
		return "its recurring events are too complex"
	}
	return strings.TrimPrefix(err.Error(), "calsync: ")
}
