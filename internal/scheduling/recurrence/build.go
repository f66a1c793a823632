package recurrence

import (
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

// Pattern is one of the repeat choices the scheduling screens and the
// API's "frequency" field offer.
type Pattern string

// The patterns a provider can pick when booking a series.
const (
	Once        Pattern = "once"
	Weekly      Pattern = "weekly"
	Biweekly    Pattern = "biweekly"
	Every4Weeks Pattern = "every_4_weeks"
	// Monthly repeats on the same weekday of the month as the
	// first session: a first session on the second Tuesday gives
	// "FREQ=MONTHLY;BYDAY=2TU".
	Monthly Pattern = "monthly"
)

// MaxCount bounds the length of a series built from a Plan; five years of
// weekly sessions is more than any provider books at once.
const MaxCount = 260

// Plan is what a provider chooses on the booking screen.
type Plan struct {
	Pattern Pattern
	// Count is the number of sessions, including the first. Exactly one
	// of Count and Until is required unless Pattern is Once.
	Count int
	// Until is the last local date a session may fall on. Only its
	// calendar date as written (t.Date()) is used, not the instant.
	Until time.Time
	// Last picks "last <weekday> of the month" for Monthly.
	// It is allowed only when the first session is in its month's last
	// seven days (a fourth Tuesday that is also the last, say).
	Last bool
}

// Build returns the RRULE for a plan whose first session starts at start
// in loc, or "" for a one-off. UNTIL is written in UTC as RFC 5545
// requires when DTSTART has a time zone: the last second of the until
// date in loc.
func Build(p Plan, start time.Time, loc *time.Location) (string, error) {
	if loc == nil || start.IsZero() {
		return "", fmt.Errorf("%w: start and time zone are required",
			ErrInvalid)
	}
	if p.Pattern == Once {
		if p.Count > 1 || !p.Until.IsZero() {
			return "", fmt.Errorf("%w: a one-off takes no count or end "+
				"date", ErrInvalid)
		}
		return "", nil
	}
	local := start.In(loc)
	r := Rule{Freq: FreqWeekly, Interval: 1, WeekStart: time.Monday}
	switch p.Pattern {
	case Weekly:
	case Biweekly:
		r.Interval = 2
	case Every4Weeks:
		r.Interval = 4
	case Monthly:
		d, err := monthlyDay(local, p.Last)
		if err != nil {
			return "", err
		}
		r.Freq, r.ByDay = FreqMonthly, []Day{d}
	default:
		return "", fmt.Errorf("%w: unknown repeat %q", ErrInvalid, p.Pattern)
	}
	if p.Last && p.Pattern != Monthly {
		return "", fmt.Errorf("%w: \"last\" applies only to monthly repeats",
			ErrInvalid)
	}
	if err := r.setEnd(p, local, loc); err != nil {
		return "", err
	}
	return r.String(), nil
}

// monthlyDay returns the BYDAY entry for the weekday of the month local
// falls on: its ordinal, or -1 for "last" (always used for a fifth
// weekday, which not every month has).
func monthlyDay(local time.Time, last bool) (Day, error) {
	n := (local.Day()-1)/7 + 1
	daysInMonth := time.Date(local.Year(), local.Month()+1, 0, 0, 0, 0, 0,
		time.UTC).Day()
	inLastWeek := local.Day() > daysInMonth-7
	if last && !inLastWeek {
		return Day{}, fmt.Errorf("%w: the first session is not on the last "+
			"%s of its month", ErrInvalid, local.Weekday())
	}
	if last || n == 5 {
		n = -1
	}
	return Day{N: n, Weekday: local.Weekday()}, nil
}

// setEnd applies the plan's count or end date.
func (r *Rule) setEnd(p Plan, local time.Time, loc *time.Location) error {
	hasUntil := !p.Until.IsZero()
	switch {
	case p.Count > 0 && hasUntil:
		return fmt.Errorf("%w: give a count or an end date, not both",
			ErrInvalid)
	case p.Count < 0 || p.Count > MaxCount:
		return fmt.Errorf("%w: count must be between 1 and %d", ErrInvalid,
			MaxCount)
	case p.Count > 0:
		r.Count = p.Count
		return nil
	case !hasUntil:
		return fmt.Errorf("%w: a repeating series needs a count or an end "+
			"date", ErrInvalid)
	}
	y, m, d := p.Until.Date()
	if time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Before(
		time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0,
			time.UTC)) {
		return fmt.Errorf("%w: the end date is before the first session",
			ErrInvalid)
	}
	if time.Date(local.Year()+5, local.Month(), local.Day(), 0, 0, 0, 0,
		time.UTC).Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		return fmt.Errorf("%w: the end date is more than five years away",
			ErrInvalid)
	}
	nextMidnight := wallclock.Time{Year: y, Month: m, Day: d + 1}
	end, _ := wallclock.Resolve(loc, normalize(nextMidnight))
	r.Until, r.UntilForm = end.Add(-time.Second).UTC(), UntilUTC
	return nil
}

// normalize carries overflowing fields (day 32) into the next month.
func normalize(w wallclock.Time) wallclock.Time {
	return wallclock.Of(w.Floating())
}
