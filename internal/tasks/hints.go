package tasks

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// Hints are suggestions the dashboard makes about features a provider
// has not set up. Unlike tasks they are derived, not raised, and a
// provider who does not want the feature can dismiss them for good.
const (
	// HintCalendarSync suggests connecting a calendar, both ways.
	HintCalendarSync = "calendar_sync"
)

var hints = []string{HintCalendarSync}

// DismissedHints returns the hints the provider has dismissed.
func (s *Service) DismissedHints(ctx context.Context, actor access.Actor) (map[string]bool, error) {
	if !actor.IsProvider() {
		return nil, access.ErrForbidden
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT hint FROM dismissed_hints
		WHERE provider_id = $1`, actor.ProviderID)
	if err != nil {
		return nil, fmt.Errorf("tasks: dismissed hints: %w", store.Translate(err))
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("tasks: dismissed hints: %w", store.Translate(err))
		}
		out[h] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tasks: dismissed hints: %w", store.Translate(err))
	}
	return out, nil
}

// DismissHint hides a hint from the provider's dashboard for good.
// Dismissing it again changes nothing; an unknown hint is
// store.ErrNotFound.
func (s *Service) DismissHint(ctx context.Context, actor access.Actor, hint string) error {
	if !actor.IsProvider() || !slices.Contains(hints, hint) {
		return fmt.Errorf("tasks: dismiss hint: %w", store.ErrNotFound)
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO dismissed_hints
			(provider_id, hint, dismissed_at) VALUES ($1, $2, $3)
			ON CONFLICT (provider_id, hint) DO NOTHING`,
			actor.ProviderID, hint, s.clk.Now().UTC())
		if err != nil {
			return store.Translate(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action: "tasks.hint.dismiss", ObjectType: "hint", ObjectID: hint,
			ProviderID: actor.ProviderID,
		})
	})
	if err != nil {
		return fmt.Errorf("tasks: dismiss hint: %w", err)
	}
	return nil
}
