package audit

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
)

// Page sizes for List.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// ErrInvalidCursor means a Filter.Cursor was not one List returned.
var ErrInvalidCursor = errors.New("audit: invalid cursor")

// Filter narrows List. Zero values mean "no filter".
type Filter struct {
	ObjectID string
	From     time.Time // entries at or after From
	To       time.Time // entries before To
	Cursor   string    // from a previous List call: continue after it
	Limit    int       // DefaultLimit when 0, at most MaxLimit
}

// List returns entries the actor may see, newest first, and a cursor for
// the next page ("" on the last page). Admins see every entry; a provider
// sees entries about their practice (ProviderID) and entries they made;
// a client sees entries they made. Anyone else gets access.ErrForbidden.
func (l *Log) List(ctx context.Context, actor access.Actor, f Filter) (
	items []Record, nextCursor string, err error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}

	switch {
	case actor.IsAdmin():
	case actor.IsProvider() && actor.UserID != "":
		where = append(where, "(provider_id = "+arg(actor.ProviderID)+
			" OR actor_id = "+arg(actor.UserID)+")")
	case actor.IsClient() && actor.UserID != "":
		where = append(where, "actor_id = "+arg(actor.UserID))
	default:
		return nil, "", access.ErrForbidden
	}

	if f.ObjectID != "" {
		where = append(where, "object_id = "+arg(f.ObjectID))
	}
	if !f.From.IsZero() {
		where = append(where, "at >= "+arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		where = append(where, "at < "+arg(f.To.UTC()))
	}
	if f.Cursor != "" {
		before, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "seq < "+arg(before))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)

	query := "SELECT " + recordColumns + " FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	// One extra row tells whether another page follows.
	query += " ORDER BY seq DESC LIMIT " + arg(limit+1)

	rows, err := l.db.Reader().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Record
		if err := rows.Scan(r.scanDest()...); err != nil {
			return nil, "", fmt.Errorf("audit: list: %w", err)
		}
		r.At = r.At.UTC()
		items = append(items, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("audit: list: %w", err)
	}

	if len(items) > limit {
		items = items[:limit]
		nextCursor = encodeCursor(items[limit-1].Seq)
	}
	return items, nextCursor, nil
}

// A cursor is the seq of the last entry shown, behind a version tag and
// base64 so callers treat it as opaque.
const cursorPrefix = "a1:"

func encodeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString(
		[]byte(cursorPrefix + strconv.FormatInt(seq, 10)))
}

func decodeCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, ErrInvalidCursor
	}
	digits, ok := strings.CutPrefix(string(b), cursorPrefix)
	if !ok {
		return 0, ErrInvalidCursor
	}
	seq, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || seq < 1 {
		return 0, ErrInvalidCursor
	}
	return seq, nil
}
