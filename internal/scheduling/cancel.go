package scheduling

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/validation"
)

// Cancel cancels an appointment, and with scope following or all the
// other scheduled sessions of its series, for reason (required). A
// session cancelled inside the provider's cancellation window before its
// start is recorded as late_canceled. Clients may cancel only their own
// single session and only outside the window; inside it they get
// ErrOutsideWindow with what to do instead.
func (s *Service) Cancel(ctx context.Context, actor access.Actor, id, scope, reason string) ([]Appointment, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, fmt.Errorf("scheduling: cancel: %w",
			validation.New("reason", "Say why the appointment is cancelled."))
	case len(reason) > 500:
		return nil, fmt.Errorf("scheduling: cancel: %w",
			validation.New("reason", "Keep the reason under 500 characters."))
	}
	var out []Appointment
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		a, avail, err := s.editable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if a.Status != StatusScheduled {
			return validation.New("status", "Only a scheduled appointment can be cancelled.")
		}
		if !actor.IsProvider() {
			if scope != "" && scope != ScopeThis {
				return validation.New("scope", "You can cancel one session at a time.")
			}
			if s.insideWindow(a, avail) {
				return windowError(avail)
			}
		}
		rows, err := s.targets(ctx, tx, a, scope)
		if err != nil {
			return err
		}
		detach := a.SeriesID != "" && (scope == "" || scope == ScopeThis)
		by := string(actor.Role)
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
			status := StatusCanceled
			if s.insideWindow(r, avail) {
				status = StatusLateCanceled
			}
			_, err := tx.ExecContext(ctx, `UPDATE appointments SET status = $1,
				cancel_reason = $2, canceled_by = $3, canceled_at = $4,
				detached = (detached OR $5), sequence = sequence + 1,
				updated_at = $4 WHERE id = $6 AND status = 'scheduled'`,
				status, reason, by, s.now(), detach, r.ID)
			if err != nil {
				return fmt.Errorf("cancel appointment: %w", err)
			}
		}
		after, err := loadIDs(ctx, tx, ids)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, ChangeEvent{Kind: EventCanceled, Before: rows,
			After: after, Actor: actor}); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		for _, r := range after {
			detail := "scope=" + scopeName(scope) + " status=" + r.Status
			if err := s.audit(ctx, tx, actor, "scheduling.appointment.cancel", r, detail); err != nil {
				return err
			}
		}
		out = after
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scheduling: cancel: %w", err)
	}
	return out, nil
}

// MarkNoShow records that the client did not come to an appointment of
// the acting provider that has started.
func (s *Service) MarkNoShow(ctx context.Context, actor access.Actor, id string) (Appointment, error) {
	if !actor.IsProvider() {
		return Appointment{}, fmt.Errorf("scheduling: no-show: %w", access.ErrForbidden)
	}
	var out Appointment
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		a, _, err := s.editable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		switch {
		case a.Status != StatusScheduled && a.Status != StatusCompleted:
			return validation.New("status", "Only a scheduled appointment can be marked as a no-show.")
		case s.clk.Now().Before(a.Start):
			return validation.New("status", "An appointment can be marked as a no-show once it has started.")
		}
		_, err = tx.ExecContext(ctx, `UPDATE appointments SET status = 'no_show',
			sequence = sequence + 1, updated_at = $1 WHERE id = $2`, s.now(), a.ID)
		if err != nil {
			return fmt.Errorf("mark no-show: %w", err)
		}
		if out, err = loadAppt(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "scheduling.appointment.no_show", out, "")
	})
	if err != nil {
		return Appointment{}, fmt.Errorf("scheduling: no-show: %w", err)
	}
	return out, nil
}
