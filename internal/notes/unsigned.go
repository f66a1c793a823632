package notes

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// Unsigned is a draft note as the provider's to-do list shows it: whose
// it is and how old, never its content.
type Unsigned struct {
	ID            string
	ClientID      string
	ClientName    string // "First Last"
	Template      string // intake|soap|dap|birp|free
	AppointmentAt *time.Time
	UpdatedAt     time.Time
}

// CountUnsigned returns how many of the provider's notes are drafts. It
// reads no client's details and is not audited.
func (s *Service) CountUnsigned(ctx context.Context, actor access.Actor) (int, error) {
	if !actor.IsProvider() {
		return 0, access.ErrForbidden
	}
	var n int
	err := s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM notes
		WHERE provider_id = $1 AND status = 'draft'`, actor.ProviderID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("notes: count unsigned: %w", store.Translate(err))
	}
	return n, nil
}

// ListUnsigned returns the provider's draft notes, the longest waiting
// first, with each client's name and the appointment the note is for.
// The read names clients, so it is audited, as notes.note.list_unsigned.
func (s *Service) ListUnsigned(ctx context.Context, actor access.Actor) ([]Unsigned, error) {
	if !actor.IsProvider() {
		return nil, access.ErrForbidden
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT n.id, n.client_id,
		c.first_name, c.last_name, n.template, a.starts_at, n.updated_at
		FROM notes n
		JOIN clients c ON c.id = n.client_id
		LEFT JOIN appointments a ON a.id = n.appointment_id
		WHERE n.provider_id = $1 AND n.status = 'draft'
		ORDER BY n.updated_at, n.id`, actor.ProviderID)
	if err != nil {
		return nil, fmt.Errorf("notes: list unsigned: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Unsigned
	for rows.Next() {
		var u Unsigned
		var first, last string
		var at sql.NullTime
		if err := rows.Scan(&u.ID, &u.ClientID, &first, &last, &u.Template,
			&at, &u.UpdatedAt); err != nil {
			return nil, fmt.Errorf("notes: list unsigned: %w", store.Translate(err))
		}
		u.ClientName = first + " " + last
		u.UpdatedAt = u.UpdatedAt.UTC()
		if at.Valid {
			t := at.Time.UTC()
			u.AppointmentAt = &t
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notes: list unsigned: %w", store.Translate(err))
	}
	err = s.log.Record(ctx, nil, actor, audit.Entry{
		Action: "notes.note.list_unsigned", ObjectType: "provider",
		ObjectID: actor.ProviderID, ProviderID: actor.ProviderID,
		Detail: "count=" + strconv.Itoa(len(out)),
	})
	if err != nil {
		return nil, fmt.Errorf("notes: audit list unsigned: %w", err)
	}
	return out, nil
}
