package scheduling

import (
	"context"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/recurrence"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// Slots returns the open slots of a provider for a session of type
// typeKey ("" for the provider's first follow-up type) starting in
// [from, to): working hours minus overrides and time off, minus booked
// appointments with the provider's buffers, minus busy events from
// connected calendars, within the booking rules at the clock's now. It
// holds no client data, so public pages may call it.
func (s *Service) Slots(ctx context.Context, providerID string, from, to time.Time,
	typeKey string) ([]slots.Slot, error) {
	a, err := s.AvailabilityForProvider(ctx, providerID)
	if err != nil {
		return nil, err
	}
	loc, err := a.Location()
	if err != nil {
		return nil, fmt.Errorf("scheduling: slots: %w", err)
	}
	var t AppointmentType
	ok := false
	if typeKey != "" {
		t, ok = a.typeByKey(typeKey)
	} else {
		for _, x := range a.Types {
			if x.Kind == KindFollowUp {
				t, ok = x, true
				break
			}
		}
	}
	if !ok {
		return nil, fmt.Errorf("scheduling: slots: %w",
			validation.New("type", "Choose one of the provider's appointment types."))
	}
	if !from.Before(to) || to.Sub(from) > slots.MaxWindow {
		return nil, fmt.Errorf("scheduling: slots: %w", validation.New("to",
			"Choose a range that ends after it starts, of at most 92 days."))
	}
	out, err := s.computeSlots(ctx, s.db.Reader(), a, loc, from, to,
		time.Duration(t.Minutes)*time.Minute, nil)
	if err != nil {
		return nil, fmt.Errorf("scheduling: slots: %w", err)
	}
	return out, nil
}

// computeSlots loads what blocks the window and runs slots.Compute. The
// appointments in skip (one being moved) do not block.
func (s *Service) computeSlots(ctx context.Context, q store.Querier, a Availability,
	loc *time.Location, from, to time.Time, dur time.Duration, skip []string) ([]slots.Slot, error) {
	rules := toSlotRules(a.Rules)
	// Appointments a day either side can reach into the window with
	// their buffers and count towards a day's maximum.
	lo, hi := from.Add(-48*time.Hour), to.Add(48*time.Hour)
	taken, err := takenSpans(ctx, q, a.ProviderID, lo, hi, skip)
	if err != nil {
		return nil, err
	}
	appts := make([]slots.Interval, len(taken))
	for i, b := range taken {
		appts[i] = b.Interval
	}
	busy, err := s.busyEvents(ctx, q, a.ProviderID, lo, hi)
	if err != nil {
		return nil, err
	}
	in := slots.Input{Location: loc, Week: a.Weekly, Overrides: a.Overrides,
		TimeOff: toSlotTimeOff(a, loc), Appointments: appts, Busy: busy,
		Rules: rules, Duration: dur, From: from, To: to, Now: s.clk.Now()}
	out, err := slots.Compute(in)
	if err != nil {
		return nil, validation.New("availability", "Your availability settings "+
			"cannot be used to offer times: "+err.Error())
	}
	return out, nil
}

// busyEvents reads the provider's busy intervals from connected
// calendars (the busy_events table that internal/calsync fills) through
// q, so a caller inside the booking transaction uses no second
// connection.
func (s *Service) busyEvents(ctx context.Context, q store.Querier, providerID string,
	from, to time.Time) ([]slots.Interval, error) {
	rows, err := q.QueryContext(ctx, `SELECT starts_at, ends_at FROM busy_events
		WHERE provider_id = $1 AND starts_at < $2 AND ends_at > $3
		AND transparent = FALSE`, providerID, to.UTC(), from.UTC())
	if err != nil {
		return nil, fmt.Errorf("read busy events: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []slots.Interval
	for rows.Next() {
		var iv slots.Interval
		if err := rows.Scan(&iv.Start, &iv.End); err != nil {
			return nil, fmt.Errorf("read busy events: %w", err)
		}
		out = append(out, iv)
	}
	return out, store.Translate(rows.Err())
}

// toSlotTimeOff converts the provider's time off for package slots.
func toSlotTimeOff(a Availability, loc *time.Location) []slots.TimeOff {
	out := make([]slots.TimeOff, 0, len(a.TimeOff))
	for _, t := range a.TimeOff {
		if t.RRule != "" {
			out = append(out, slots.TimeOff{AllDay: t.AllDay, Series: &recurrence.Series{
				RRule: t.RRule, Start: t.Start, Location: loc,
				Duration: t.End.Sub(t.Start)}})
			continue
		}
		out = append(out, slots.TimeOff{Start: t.Start.In(loc), End: t.End.In(loc), AllDay: t.AllDay})
	}
	return out
}

// timeOffIntervals returns the time-off blocks near [from, to) as
// instants, whole local days for all-day entries.
func timeOffIntervals(a Availability, loc *time.Location, from, to time.Time) []slots.Interval {
	var out []slots.Interval
	add := func(start, end time.Time, allDay bool) {
		if allDay {
			s, e := start.In(loc), end.In(loc)
			start = time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, loc)
			end = time.Date(e.Year(), e.Month(), e.Day()+1, 0, 0, 0, 0, loc)
		}
		out = append(out, slots.Interval{Start: start, End: end})
	}
	for _, t := range a.TimeOff {
		if t.RRule == "" {
			add(t.Start, t.End, t.AllDay)
			continue
		}
		occ, err := recurrence.Expand(recurrence.Series{RRule: t.RRule, Start: t.Start,
			Location: loc, Duration: t.End.Sub(t.Start)}, from.Add(-31*24*time.Hour), to)
		if err != nil {
			continue // refused when saved; an old rule blocks nothing
		}
		for _, o := range occ {
			add(o.Start, o.End, t.AllDay)
		}
	}
	return out
}
