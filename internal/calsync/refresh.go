package calsync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/tasks"
)

// TaskKindFeedError is the kind of task raised when a connected calendar
// starts failing to refresh.
const TaskKindFeedError = "calendar_feed_error"

// reparseAfter is how long a 304 answer is trusted before the feed is
// fetched unconditionally, so the import window's far end keeps moving.
const reparseAfter = 24 * time.Hour

// feedRow is what a refresh needs of a stored feed.
type feedRow struct {
	id, providerID, sealed, host, etag, lastModified string
	lastParsed                                       sql.NullTime
}

// RefreshAll fetches every connected calendar once. A feed that fails
// keeps its last good intervals and records its error; RefreshAll itself
// fails only when the database does, or when ctx ends.
func (s *Service) RefreshAll(ctx context.Context) error {
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT id, provider_id, url_sealed,
		url_host, etag, last_modified, last_parsed_at FROM calendar_feeds ORDER BY id`)
	if err != nil {
		return fmt.Errorf("calsync: refresh: %w", store.Translate(err))
	}
	var feeds []feedRow
	for rows.Next() {
		var f feedRow
		if err := rows.Scan(&f.id, &f.providerID, &f.sealed, &f.host, &f.etag,
			&f.lastModified, &f.lastParsed); err != nil {
			rows.Close()
			return fmt.Errorf("calsync: refresh: %w", store.Translate(err))
		}
		feeds = append(feeds, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("calsync: refresh: %w", store.Translate(err))
	}
	for _, f := range feeds {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.refresh(ctx, f); err != nil {
			return fmt.Errorf("calsync: refresh: %w", err)
		}
	}
	return nil
}

// refresh fetches one feed and stores the outcome. Only database errors
// are returned; a failing feed is recorded on its row.
func (s *Service) refresh(ctx context.Context, f feedRow) error {
	now := s.clk.Now().UTC()
	started := time.Now()
	url, err := s.ring.OpenString(f.sealed, sealBinding(f.id))
	if err != nil {
		return s.failed(ctx, f, now, errors.New("the stored address could not be decrypted"))
	}
	etag, lastMod := f.etag, f.lastModified
	if !f.lastParsed.Valid || now.Sub(f.lastParsed.Time) > reparseAfter {
		etag, lastMod = "", ""
	}
	res, err := s.fetch.get(ctx, url, etag, lastMod)
	if err != nil {
		return s.failed(ctx, f, now, err)
	}
	if res.NotModified {
		s.log.InfoContext(ctx, "calendar feed not modified", "feed_id", f.id,
			"duration_ms", time.Since(started).Milliseconds())
		return s.succeeded(ctx, f, now, res, nil)
	}
	loc, err := s.providerZone(ctx, f.providerID)
	if err != nil {
		return err
	}
	list, err := Parse(res.Body, s.parseOptions(now, loc))
	if err != nil {
		return s.failed(ctx, f, now, err)
	}
	s.log.InfoContext(ctx, "calendar feed refreshed", "feed_id", f.id,
		"intervals", len(list), "bytes", len(res.Body),
		"duration_ms", time.Since(started).Milliseconds())
	return s.succeeded(ctx, f, now, res, list)
}

// succeeded stores a good fetch: the new intervals (unless the server
// said 304), the validators, and the end of any failure streak.
func (s *Service) succeeded(ctx context.Context, f feedRow, now time.Time, res fetchResult, list []Interval) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if gone, err := feedGone(ctx, tx, f.id); gone || err != nil {
			return err
		}
		var err error
		if res.NotModified {
			_, err = tx.ExecContext(ctx, `UPDATE calendar_feeds SET last_fetched_at = $1,
				last_ok_at = $1, last_error = '', failing_since = NULL WHERE id = $2`, now, f.id)
		} else {
			if err := replaceBusy(ctx, tx, f.id, f.providerID, list); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE calendar_feeds SET last_fetched_at = $1,
				last_ok_at = $1, last_parsed_at = $1, last_error = '', failing_since = NULL,
				etag = $2, last_modified = $3 WHERE id = $4`, now, res.ETag, res.LastModified, f.id)
		}
		return store.Translate(err)
	})
}

// failed records a failed fetch, keeping the stored intervals, and
// raises a task when this failure starts a streak.
func (s *Service) failed(ctx context.Context, f feedRow, now time.Time, cause error) error {
	msg := userMessage(cause)
	s.log.WarnContext(ctx, "calendar feed refresh failed", "feed_id", f.id, "error", msg)
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if gone, err := feedGone(ctx, tx, f.id); gone || err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE calendar_feeds SET last_fetched_at = $1,
			last_error = $2, failing_since = $1 WHERE id = $3 AND failing_since IS NULL`,
			now, msg, f.id)
		if err != nil {
			return store.Translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// The streak goes on: note the latest error, raise nothing.
			_, err := tx.ExecContext(ctx, `UPDATE calendar_feeds SET last_fetched_at = $1,
				last_error = $2 WHERE id = $3`, now, msg, f.id)
			return store.Translate(err)
		}
		err = tasks.Raise(ctx, tx, tasks.Task{
			ProviderID: f.providerID, Kind: TaskKindFeedError,
			Title: fmt.Sprintf("A connected calendar (%s) could not be refreshed", f.host),
			Link:  "/settings/calendar", CreatedAt: now,
		})
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, access.System(), audit.Entry{
			Action: "calsync.feed.failing", ObjectType: "calendar_feed", ObjectID: f.id,
			ProviderID: f.providerID,
		})
	})
}

func feedGone(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM calendar_feeds WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	return false, store.Translate(err)
}
