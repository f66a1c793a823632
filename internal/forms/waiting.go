package forms

import (
	"context"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// Waiting is a form a client was sent and has not signed, as the
// provider's to-do list shows it: no answers.
type Waiting struct {
	ID            string
	ClientID      string
	ClientName    string // "First Last"
	TemplateTitle string
	Status        string // StatusAssigned or StatusDraft
	AssignedAt    time.Time
}

// CountWaiting returns how many forms the provider's clients were sent
// before sentBefore and have not signed. It reads no client's details
// and is not audited.
func (s *Service) CountWaiting(ctx context.Context, actor access.Actor, sentBefore time.Time) (int, error) {
	if !actor.IsProvider() {
		return 0, access.ErrForbidden
	}
	var n int
	err := s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*)
		FROM form_assignments
		WHERE provider_id = $1 AND status IN ('assigned', 'draft')
		AND assigned_at < $2`, actor.ProviderID, sentBefore.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("forms: count waiting: %w", store.Translate(err))
	}
	return n, nil
}

// ListWaiting returns every form the provider's clients have not
// signed, the longest waiting first, with each client's name. The read
// names clients, so it is audited, as forms.assignment.list_waiting.
func (s *Service) ListWaiting(ctx context.Context, actor access.Actor) ([]Waiting, error) {
	if !actor.IsProvider() {
		return nil, access.ErrForbidden
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT a.id, a.client_id,
		c.first_name, c.last_name, a.template_title, a.status, a.assigned_at
		FROM form_assignments a JOIN clients c ON c.id = a.client_id
		WHERE a.provider_id = $1 AND a.status IN ('assigned', 'draft')
		ORDER BY a.assigned_at, a.id`, actor.ProviderID)
	if err != nil {
		return nil, fmt.Errorf("forms: list waiting: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Waiting
	for rows.Next() {
		var w Waiting
		var first, last string
		if err := rows.Scan(&w.ID, &w.ClientID, &first, &last, &w.TemplateTitle,
			&w.Status, &w.AssignedAt); err != nil {
			return nil, fmt.Errorf("forms: list waiting: %w", store.Translate(err))
		}
		w.ClientName, w.AssignedAt = first+" "+last, w.AssignedAt.UTC()
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forms: list waiting: %w", store.Translate(err))
	}
	err = s.audit.Record(ctx, nil, actor, audit.Entry{
		Action: "forms.assignment.list_waiting", ObjectType: "provider",
		ObjectID: actor.ProviderID, ProviderID: actor.ProviderID,
		Detail: fmt.Sprintf("count=%d", len(out)),
	})
	if err != nil {
		return nil, fmt.Errorf("forms: audit list waiting: %w", err)
	}
	return out, nil
}
