package scheduling

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/scheduling/wallclock"
	"github.com/tend-portal/tend/internal/store"
)

// localLayout is how occurrences show wall-clock times.
const localLayout = "2006-01-02T15:04:05"

// Preview returns the sessions Create would book for n, without booking
// anything: each with Conflict where it overlaps a booked appointment
// and Warnings such as outside_hours.
func (s *Service) Preview(ctx context.Context, actor access.Actor, n NewAppointment) ([]Occurrence, error) {
	p, err := s.prepare(ctx, actor, n)
	if err != nil {
		return nil, fmt.Errorf("scheduling: preview: %w", err)
	}
	from, to := span(p.spans)
	taken, err := takenSpans(ctx, s.db.Reader(), p.providerID, from, to, nil)
	if err != nil {
		return nil, fmt.Errorf("scheduling: preview: %w", err)
	}
	clash := conflicts(taken, p.spans)
	out := make([]Occurrence, len(p.spans))
	for i, iv := range p.spans {
		out[i] = Occurrence{Start: iv.Start, End: iv.End,
			LocalStart: iv.Start.In(p.loc).Format(localLayout),
			LocalEnd:   iv.End.In(p.loc).Format(localLayout),
			Conflict:   clash[i], Warnings: []string{}}
		if !withinHours(p.avail, p.loc, iv) {
			out[i].Warnings = append(out[i].Warnings, WarningOutsideHours)
		}
	}
	return out, nil
}

// Create books n: one appointment, or for a recurring request every
// session of the series as its own row tied by series_id. If any session
// overlaps a booked appointment nothing is booked and the error wraps
// ErrSlotTaken. Clients (and the public booking page) may book only an
// open slot; providers may book any time.
func (s *Service) Create(ctx context.Context, actor access.Actor, n NewAppointment) ([]Appointment, error) {
	p, err := s.prepare(ctx, actor, n)
	if err != nil {
		return nil, fmt.Errorf("scheduling: create: %w", err)
	}
	now := s.now()
	var out []Appointment
	err = s.withBookingGate(ctx, p.providerID, func() error {
		return s.db.InTx(ctx, func(tx *sql.Tx) error {
			return s.createLocked(ctx, tx, actor, p, now, &out)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("scheduling: create: %w", err)
	}
	return out, nil
}

// createLocked inserts the planned appointments in tx, under the
// provider's calendar lock, after re-checking that their time is free.
func (s *Service) createLocked(ctx context.Context, tx *sql.Tx, actor access.Actor, p plan,
	now time.Time, result *[]Appointment) error {
	if err := s.lockProvider(ctx, tx, p.providerID); err != nil {
		return err
	}
	if p.source != SourceProvider {
		if err := s.ensureOpenSlot(ctx, tx, p); err != nil {
			return err
		}
	}
	if err := ensureFree(ctx, tx, p.providerID, p.spans, nil); err != nil {
		return err
	}

	seriesID, err := insertSeries(ctx, tx, p, now)
	if err != nil {
		return err
	}
	ids := make([]string, len(p.spans))
	for i, iv := range p.spans {
		ids[i] = store.NewID()
		if err := insertAppt(ctx, tx, ids[i], seriesID, p, iv, now); err != nil {
			return err
		}
	}
	out, err := loadIDs(ctx, tx, ids)
	if err != nil {
		return err
	}
	if err := s.notify(ctx, tx, ChangeEvent{Kind: EventBooked, After: out, Actor: actor}); err != nil {
		return fmt.Errorf("notify: %w", err)
	}

	// The audit rows come last: the audit chain's lock is always taken
	// after the provider's.
	for _, a := range out {
		detail := "source=" + p.source
		if seriesID != "" {
			detail += " series=" + seriesID
		}
		if err := s.audit(ctx, tx, actor, "scheduling.appointment.create", a, detail); err != nil {
			return err
		}
	}
	*result = out
	return nil
}

// ensureOpenSlot checks, inside the locked transaction, that a client's
// booking starts at one of the open slots.
func (s *Service) ensureOpenSlot(ctx context.Context, tx *sql.Tx, p plan) error {
	iv := p.spans[0]
	open, err := s.computeSlots(ctx, tx, p.avail, p.loc, iv.Start, iv.Start.Add(time.Minute), p.duration, nil)
	if err != nil {
		return err
	}
	for _, sl := range open {
		if sl.Start.Equal(iv.Start) {
			return nil
		}
	}
	return &SlotTakenError{Conflicts: 1}
}

func insertSeries(ctx context.Context, tx *sql.Tx, p plan, now time.Time) (string, error) {
	if p.rrule == "" {
		return "", nil
	}
	id := store.NewID()
	_, err := tx.ExecContext(ctx, `INSERT INTO appointment_series (id,
		provider_id, client_id, rrule, dtstart, local_start, time_zone,
		duration_minutes, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`, id, p.providerID,
		p.clientID, p.rrule, p.start.UTC(), p.start.In(p.loc).Format(localLayout),
		p.avail.TimeZone, int(p.duration/time.Minute), now)
	if err != nil {
		return "", fmt.Errorf("insert series: %w", err)
	}
	return id, nil
}

func insertAppt(ctx context.Context, tx *sql.Tx, id, seriesID string, p plan,
	iv slots.Interval, now time.Time) error {
	var series, original any
	if seriesID != "" {
		series, original = seriesID, iv.Start.UTC()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO appointments (id, provider_id,
		client_id, starts_at, ends_at, status, kind, series_id, original_start,
		type_key, location, office_id, cpt_code, notes_for_client, source,
		sequence, created_at, updated_at) VALUES ($1, $2, $3, $4, $5,
		'scheduled', $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $15)`,
		id, p.providerID, p.clientID, iv.Start.UTC(), iv.End.UTC(), p.kind,
		series, original, p.typeKey, p.location, p.officeID, p.cpt, p.notes,
		p.source, now)
	if err != nil {
		return fmt.Errorf("insert appointment: %w", err)
	}
	return nil
}

// loadIDs reads the appointments with ids, by start.
func loadIDs(ctx context.Context, q store.Querier, ids []string) ([]Appointment, error) {
	out := make([]Appointment, 0, len(ids))
	const batch = 200
	for i := 0; i < len(ids); i += batch {
		part := ids[i:min(i+batch, len(ids))]
		args := make([]any, len(part))
		for j, id := range part {
			args[j] = id
		}
		rows, err := queryAppts(ctx, q, `SELECT `+apptColumns+apptFrom+
			` WHERE a.id IN `+inList(1, len(part))+` ORDER BY a.starts_at, a.id`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// shiftWall moves t by the wall-clock shift delta in loc: a session at
// 10:00 local moved by +1 day 30 min lands at 10:30 local the next day,
// whatever daylight-saving change lies between (RFC 5545 §3.3.5 for
// times that do not exist or occur twice).
func shiftWall(t time.Time, delta time.Duration, loc *time.Location) time.Time {
	w := wallclock.Of(t.In(loc)).Floating().Add(delta)
	return wallclock.In(loc, wallclock.Of(w)).UTC()
}

// wallDelta is the wall-clock shift from a to b in loc.
func wallDelta(a, b time.Time, loc *time.Location) time.Duration {
	return wallclock.Of(b.In(loc)).Floating().Sub(wallclock.Of(a.In(loc)).Floating())
}
