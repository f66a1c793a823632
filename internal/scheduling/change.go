package scheduling

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// targets returns the rows a change with scope reaches, by start: the
// appointment itself (this, or any appointment outside a series), it
// and the later scheduled sessions of its series (following), or every
// scheduled session of the series not yet started, with it (all).
func (s *Service) targets(ctx context.Context, tx *sql.Tx, a Appointment, scope string) ([]Appointment, error) {
	switch scope {
	case "", ScopeThis:
		return []Appointment{a}, nil
	case ScopeFollowing, ScopeAll:
	default:
		return nil, validation.New("scope", "Choose this, following or all.")
	}
	if a.SeriesID == "" {
		return []Appointment{a}, nil
	}
	from := a.Start
	if scope == ScopeAll {
		from = s.now()
	}
	rows, err := queryAppts(ctx, tx, `SELECT `+apptColumns+apptFrom+`
		WHERE a.series_id = $1 AND a.status = 'scheduled'
		AND (a.starts_at >= $2 OR a.id = $3) ORDER BY a.starts_at, a.id`,
		a.SeriesID, from.UTC(), a.ID)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// editable loads an appointment for a change by actor inside tx, after
// taking its provider's lock, and checks the client's window.
func (s *Service) editable(ctx context.Context, tx *sql.Tx, actor access.Actor, id string) (Appointment, Availability, error) {
	a, err := loadAppt(ctx, s.db.Reader(), id)
	if err != nil || !visible(actor, a) {
		return Appointment{}, Availability{}, store.ErrNotFound
	}
	if err := s.lockProvider(ctx, tx, a.ProviderID); err != nil {
		return Appointment{}, Availability{}, err
	}
	if a, err = loadAppt(ctx, tx, id); err != nil {
		return Appointment{}, Availability{}, err
	}
	avail, err := s.loadAvailability(ctx, tx, a.ProviderID)
	if err != nil && err != errNoSettings {
		return Appointment{}, Availability{}, err
	}
	if err == errNoSettings {
		avail = defaultAvailability(a.ProviderID, avail.TimeZone, "")
	}
	return a, avail, nil
}

// insideWindow reports whether now is within the cancellation window
// before a's start (or past it).
func (s *Service) insideWindow(a Appointment, avail Availability) bool {
	window := time.Duration(avail.Rules.CancelWindowHours) * time.Hour
	return !s.clk.Now().Before(a.Start.Add(-window))
}

// Reschedule changes an appointment, and with scope following or all
// the other sessions of its series: a new Start moves each by the same
// local wall-clock shift. Nothing is duplicated or lost: the same rows
// move. An overlap with another booked appointment refuses the whole
// change with ErrSlotTaken. Clients may move only their own single
// session, outside the cancellation window, to an open slot.
func (s *Service) Reschedule(ctx context.Context, actor access.Actor, id, scope string, c Change) ([]Appointment, error) {
	var out []Appointment
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		a, avail, err := s.editable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if a.Status != StatusScheduled {
			return validation.New("status", "Only a scheduled appointment can be changed.")
		}
		if !actor.IsProvider() {
			if scope != "" && scope != ScopeThis {
				return validation.New("scope", "You can change one session at a time.")
			}
			if s.insideWindow(a, avail) {
				return windowError(avail)
			}
		}
		rows, err := s.targets(ctx, tx, a, scope)
		if err != nil {
			return err
		}
		moved, fields, err := s.applyChange(a, rows, avail, c)
		if err != nil {
			return err
		}
		if !actor.IsProvider() && c.Start != nil {
			if err := s.clientMoveOK(ctx, tx, avail, moved[0]); err != nil {
				return err
			}
		}
		skip := make([]string, len(rows))
		want := make([]slots.Interval, len(rows))
		for i, r := range rows {
			skip[i], want[i] = r.ID, slots.Interval{Start: moved[i].Start, End: moved[i].End}
		}
		if err := ensureFree(ctx, tx, a.ProviderID, want, skip); err != nil {
			return err
		}
		detach := a.SeriesID != "" && (scope == "" || scope == ScopeThis)
		timeChanged := c.Start != nil || c.DurationMinutes != nil
		if err := s.splitSeries(ctx, tx, a, scope, rows[0].Start, moved, timeChanged); err != nil {
			return err
		}
		for _, m := range moved {
			if err := s.updateRow(ctx, tx, m, detach); err != nil {
				return err
			}
		}
		after, err := loadIDs(ctx, tx, skip)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, ChangeEvent{Kind: EventRescheduled, Before: rows,
			After: after, Actor: actor}); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		for _, r := range after {
			detail := "scope=" + scopeName(scope) + " fields=" + strings.Join(fields, ",")
			if err := s.audit(ctx, tx, actor, "scheduling.appointment.update", r, detail); err != nil {
				return err
			}
		}
		out = after
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scheduling: reschedule: %w", err)
	}
	return out, nil
}

func scopeName(scope string) string {
	if scope == "" {
		return ScopeThis
	}
	return scope
}

// applyChange returns rows with c applied and the names of the fields
// it changes. Problems come back as validation.Errors.
func (s *Service) applyChange(a Appointment, rows []Appointment, avail Availability,
	c Change) ([]Appointment, []string, error) {
	loc, err := avail.Location()
	if err != nil {
		return nil, nil, validation.New("time_zone", "Set a valid time zone in your availability settings first.")
	}
	var (
		errs   validation.Errors
		fields []string
		delta  time.Duration
		dur    time.Duration
	)
	p := plan{avail: avail, loc: loc}
	if c.Start != nil {
		if c.Start.IsZero() {
			errs.Add("start", "Choose a start time.")
		}
		delta, fields = wallDelta(a.Start, *c.Start, loc), append(fields, "start")
	}
	if c.DurationMinutes != nil {
		m := *c.DurationMinutes
		if m <= 0 || m > int(slots.MaxDuration/time.Minute) {
			errs.Add("duration_minutes", "A session lasts more than 0 minutes and at most 8 hours.")
		}
		dur, fields = time.Duration(m)*time.Minute, append(fields, "duration")
	}
	if c.TypeKey != nil {
		if _, ok := avail.typeByKey(*c.TypeKey); !ok && *c.TypeKey != "" {
			errs.Add("type_key", "Choose one of your appointment types.")
		}
		fields = append(fields, "type")
	}
	if c.CPT != nil {
		if !validCPT(*c.CPT) {
			errs.Add("cpt_code", "A CPT code is five digits, such as 90834.")
		}
		fields = append(fields, "cpt_code")
	}
	if c.NotesForClient != nil {
		if len(*c.NotesForClient) > 2000 {
			errs.Add("notes_for_client", "Keep notes for the client under 2,000 characters.")
		}
		fields = append(fields, "notes_for_client")
	}
	if c.Location != nil || c.OfficeID != nil {
		loc, office := a.Location, a.OfficeID
		if c.Location != nil {
			loc = *c.Location
			if c.OfficeID == nil && loc == LocationTelehealth {
				office = ""
			}
		}
		if c.OfficeID != nil {
			office = *c.OfficeID
		}
		p.fillLocation(&errs, loc, office)
		fields = append(fields, "location")
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	out := make([]Appointment, len(rows))
	for i, r := range rows {
		length := r.End.Sub(r.Start)
		if dur > 0 {
			length = dur
		}
		if c.Start != nil {
			if r.ID == a.ID {
				r.Start = c.Start.UTC().Truncate(time.Second)
			} else {
				r.Start = shiftWall(r.Start, delta, loc)
			}
		}
		r.End = r.Start.Add(length)
		if c.TypeKey != nil {
			r.TypeKey = *c.TypeKey
		}
		if c.CPT != nil {
			r.CPT = *c.CPT
		}
		if c.NotesForClient != nil {
			r.NotesForClient = strings.TrimSpace(*c.NotesForClient)
		}
		if c.Location != nil || c.OfficeID != nil {
			r.Location, r.OfficeID = p.location, p.officeID
		}
		out[i] = r
	}
	return out, fields, nil
}

// clientMoveOK checks a client's new time is an open slot.
func (s *Service) clientMoveOK(ctx context.Context, tx *sql.Tx, avail Availability, m Appointment) error {
	loc, _ := avail.Location()
	if !m.Start.After(s.clk.Now()) {
		return validation.New("start", "This time has already passed; choose a later one.")
	}
	open, err := s.computeSlots(ctx, tx, avail, loc, m.Start, m.Start.Add(time.Minute),
		m.End.Sub(m.Start), []string{m.ID})
	if err != nil {
		return err
	}
	for _, sl := range open {
		if sl.Start.Equal(m.Start) {
			return nil
		}
	}
	return &SlotTakenError{Conflicts: 1}
}

// updateRow writes the changed fields of m and bumps its sequence.
func (s *Service) updateRow(ctx context.Context, tx *sql.Tx, m Appointment, detach bool) error {
	_, err := tx.ExecContext(ctx, `UPDATE appointments SET starts_at = $1,
		ends_at = $2, type_key = $3, cpt_code = $4, notes_for_client = $5,
		location = $6, office_id = $7, series_id = $8,
		detached = (detached OR $9), sequence = sequence + 1, updated_at = $10
		WHERE id = $11`, m.Start.UTC(), m.End.UTC(), m.TypeKey, m.CPT,
		m.NotesForClient, m.Location, m.OfficeID, nullable(m.SeriesID), detach,
		s.now(), m.ID)
	if err != nil {
		return fmt.Errorf("update appointment: %w", err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// windowError explains why a client cannot change an appointment.
func windowError(avail Availability) error {
	return fmt.Errorf("%w: appointments can be cancelled or moved online up to "+
		"%d hours before they start; please contact your provider",
		ErrOutsideWindow, avail.Rules.CancelWindowHours)
}
