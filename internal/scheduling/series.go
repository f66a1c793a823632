package scheduling

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/recurrence"
	"github.com/tend-portal/tend/internal/store"
)

// seriesRow is an appointment_series row.
type seriesRow struct {
	ID, RRule, TimeZone string
	DTStart             time.Time
	Minutes             int
}

func loadSeries(ctx context.Context, q store.Querier, id string) (seriesRow, error) {
	r := seriesRow{ID: id}
	err := q.QueryRowContext(ctx, `SELECT rrule, dtstart, time_zone,
		duration_minutes FROM appointment_series WHERE id = $1`, id).
		Scan(&r.RRule, &r.DTStart, &r.TimeZone, &r.Minutes)
	return r, store.Translate(err)
}

// splitSeries keeps the series record in step when a following or all
// change moves or resizes sessions. The appointment rows are what is
// booked; the series row records the rule they were made from. moved
// holds the target rows, by start, with their new times. When sessions
// earlier than moved[0] remain, the series is split there (recurrence.
// Split): the old row keeps the earlier sessions, ending with UNTIL, and
// a new series row takes the moved ones (their SeriesID is changed in
// moved). Otherwise the series row itself moves. Each moved session's
// RECURRENCE-ID (original_start) becomes its new start.
func (s *Service) splitSeries(ctx context.Context, tx *sql.Tx, a Appointment,
	scope string, oldFirst time.Time, moved []Appointment, timeChanged bool) error {
	if a.SeriesID == "" || scope == "" || scope == ScopeThis || len(moved) == 0 || !timeChanged {
		return nil
	}
	first := moved[0]
	orig, err := s.original(ctx, tx, first.ID)
	if err != nil {
		return err
	}
	row, err := loadSeries(ctx, tx, a.SeriesID)
	if err != nil {
		return err
	}
	loc, err := loadZone(row.TimeZone)
	if err != nil {
		return err
	}
	var earlier int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM appointments
		WHERE series_id = $1 AND starts_at < $2`, a.SeriesID, oldFirst.UTC()).Scan(&earlier)
	if err != nil {
		return fmt.Errorf("count earlier sessions: %w", err)
	}
	minutes := int(first.End.Sub(first.Start) / time.Minute)
	now := s.now()
	newStart := first.Start.UTC()
	if earlier == 0 {
		_, err := tx.ExecContext(ctx, `UPDATE appointment_series SET dtstart = $1,
			local_start = $2, duration_minutes = $3, updated_at = $4 WHERE id = $5`,
			newStart, newStart.In(loc).Format(localLayout), minutes, now, row.ID)
		if err != nil {
			return fmt.Errorf("move series: %w", err)
		}
		return s.setOriginals(ctx, tx, moved)
	}
	tailRule := row.RRule
	head, tail, err := recurrence.Split(recurrence.Series{RRule: row.RRule, Start: row.DTStart,
		Location: loc, Duration: time.Duration(row.Minutes) * time.Minute}, orig)
	switch {
	case err == nil:
		tailRule = tail.RRule
		_, err = tx.ExecContext(ctx, `UPDATE appointment_series SET rrule = $1,
			updated_at = $2 WHERE id = $3`, head.RRule, now, row.ID)
		if err != nil {
			return fmt.Errorf("end series: %w", err)
		}
	case errors.Is(err, recurrence.ErrNoOccurrence) || errors.Is(err, recurrence.ErrSeries):
		// The session was detached earlier, so it is no longer where the
		// rule puts it: the new series keeps the rule as it was.
	default:
		return fmt.Errorf("split series: %w", err)
	}
	p := plan{providerID: first.ProviderID, clientID: first.ClientID, rrule: tailRule,
		start: newStart, loc: loc, duration: time.Duration(minutes) * time.Minute,
		avail: Availability{TimeZone: row.TimeZone}}
	id, err := insertSeries(ctx, tx, p, now)
	if err != nil {
		return err
	}
	for i := range moved {
		moved[i].SeriesID = id
	}
	return s.setOriginals(ctx, tx, moved)
}

// original returns an appointment's original_start, or its start.
func (s *Service) original(ctx context.Context, tx *sql.Tx, id string) (time.Time, error) {
	var t sql.NullTime
	var start time.Time
	err := tx.QueryRowContext(ctx, `SELECT original_start, starts_at FROM appointments
		WHERE id = $1`, id).Scan(&t, &start)
	if err != nil {
		return time.Time{}, store.Translate(err)
	}
	if t.Valid {
		return t.Time.UTC(), nil
	}
	return start.UTC(), nil
}

// setOriginals makes each moved session's new start its RECURRENCE-ID.
func (s *Service) setOriginals(ctx context.Context, tx *sql.Tx, moved []Appointment) error {
	for _, m := range moved {
		_, err := tx.ExecContext(ctx, `UPDATE appointments SET original_start = $1,
			detached = FALSE WHERE id = $2`, m.Start.UTC(), m.ID)
		if err != nil {
			return fmt.Errorf("set recurrence id: %w", err)
		}
	}
	return nil
}
