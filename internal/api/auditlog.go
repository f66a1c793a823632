package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
)

type auditJSON struct {
	ID         string `json:"id"`
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	ActorID    string `json:"actor_id"`
	ActorRole  string `json:"actor_role"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	ProviderID string `json:"provider_id"`
	ClientID   string `json:"client_id"`
	IP         string `json:"ip"`
	UserAgent  string `json:"user_agent"`
	Detail     string `json:"detail"`
}

// auditParams are the query parameters GET /audit accepts.
var auditParams = []string{"object_id", "from", "to", "cursor", "limit"}

// listAudit answers GET /audit with the entries the caller may see,
// newest first; the audit package decides which those are.
func (s *server) listAudit(w http.ResponseWriter, r *http.Request) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	records, next, err := s.Audit.List(r.Context(), access.From(r.Context()), f)
	if errors.Is(err, audit.ErrInvalidCursor) {
		return invalid("cursor", "Cursor must be a next_cursor from a previous page.")
	}
	if err != nil {
		return err
	}

	items := make([]auditJSON, 0, len(records))
	for _, rec := range records {
		items = append(items, auditJSON{
			ID:         rec.ID,
			Seq:        rec.Seq,
			At:         formatTime(rec.At),
			ActorID:    rec.ActorID,
			ActorRole:  rec.ActorRole,
			Action:     rec.Action,
			ObjectType: rec.ObjectType,
			ObjectID:   rec.ObjectID,
			ProviderID: rec.ProviderID,
			ClientID:   rec.ClientID,
			IP:         rec.IP,
			UserAgent:  rec.UserAgent,
			Detail:     rec.Detail,
		})
	}
	writeJSON(w, http.StatusOK, list[auditJSON]{Items: items, NextCursor: cursorOut(next)})
	return nil
}

// auditFilter reads and checks GET /audit's query parameters.
func auditFilter(r *http.Request) (audit.Filter, error) {
	q := r.URL.Query()
	if err := onlyParams(q, auditParams); err != nil {
		return audit.Filter{}, err
	}

	f := audit.Filter{ObjectID: q.Get("object_id"), Cursor: q.Get("cursor")}
	if len(f.ObjectID) > 100 {
		return f, invalid("object_id", "object_id is too long.")
	}
	if len(f.Cursor) > 200 {
		return f, invalid("cursor", "Cursor must be a next_cursor from a previous page.")
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.name); v != "" {
			t, err := parseTime(p.name, v)
			if err != nil {
				return f, err
			}
			*p.dst = t
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, invalid("to", "to must be later than from.")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > audit.MaxLimit {
			return f, invalid("limit", "limit must be a whole number from 1 to "+
				strconv.Itoa(audit.MaxLimit)+".")
		}
		f.Limit = n
	}
	return f, nil
}
