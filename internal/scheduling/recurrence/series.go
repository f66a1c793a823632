package recurrence

import (
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

// Series is a recurring appointment (or block of time) as stored: a rule,
// its first occurrence and the provider's time zone.
type Series struct {
	// RRule is the rule in RFC 5545 form; empty for a one-off.
	RRule string
	// Start is the first occurrence (DTSTART). Its wall clock read in
	// Location is the anchor every occurrence repeats: a series started
	// on a Tuesday at 10:00 New York time stays at 10:00 New York time.
	// Start is an instant, so DTSTART itself never lies in a DST gap.
	Start time.Time
	// Location is the provider's time zone.
	Location *time.Location
	// Duration is the length of each occurrence in real (elapsed) time.
	Duration time.Duration
	// ExDates are the original starts of occurrences that were removed
	// or moved away (EXDATE), as instants.
	ExDates []time.Time
}

// Occurrence is one instance of a series.
type Occurrence struct {
	// Index is the position in the rule's sequence: 0 is DTSTART. It
	// counts excluded instances too, as COUNT does.
	Index int
	// Start and End are the instants, in UTC.
	Start, End time.Time
	// LocalStart and LocalEnd are the same instants in the series'
	// Location, for showing wall-clock times.
	LocalStart, LocalEnd time.Time
	// Kind tells whether the rule's wall-clock time fell into a
	// daylight-saving gap or overlap and was resolved per RFC 5545 §3.3.5.
	Kind wallclock.Kind
}

// ErrSeries is wrapped by errors about a series that cannot be expanded.
var ErrSeries = errors.New("invalid series")

// check validates the fields every operation needs.
func (s Series) check() error {
	switch {
	case s.Location == nil:
		return fmt.Errorf("%w: no time zone", ErrSeries)
	case s.Start.IsZero():
		return fmt.Errorf("%w: no start", ErrSeries)
	case s.Duration < 0:
		return fmt.Errorf("%w: negative duration", ErrSeries)
	}
	return nil
}

// Occurrences validates the series and returns its instances in order.
// The sequence is infinite for a rule without COUNT or UNTIL, so callers
// stop when they have enough. Excluded instances are skipped.
func Occurrences(s Series) (iter.Seq[Occurrence], error) {
	all, err := instances(s)
	if err != nil {
		return nil, err
	}
	return func(yield func(Occurrence) bool) {
		for o := range all {
			if !s.excluded(o.Start) && !yield(o) {
				return
			}
		}
	}, nil
}

// instances is Occurrences with the excluded instances left in.
func instances(s Series) (iter.Seq[Occurrence], error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	anchor := wallclock.Of(s.Start.In(s.Location))
	if s.RRule == "" {
		return func(yield func(Occurrence) bool) {
			yield(s.occurrence(0, anchor))
		}, nil
	}
	r, err := Parse(s.RRule)
	if err != nil {
		return nil, err
	}
	opt := engineOptions(r, engineStart(r, anchor.Floating()))
	if _, err := rrule.NewRRule(opt); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return func(yield func(Occurrence) bool) {
		eng, _ := rrule.NewRRule(opt)
		next := eng.Iterator()
		first := anchor.Floating()
		for i := 0; r.Count == 0 || i < r.Count; i++ {
			// RFC 5545 §3.3.10: DTSTART is always the first instance and
			// counts toward COUNT, even when the rule would not produce it.
			wall := anchor
			if i > 0 {
				f, ok := next()
				for ok && !f.After(first) {
					f, ok = next()
				}
				if !ok {
					return
				}
				wall = wallclock.Of(f)
			}
			o := s.occurrence(i, wall)
			if i > 0 && r.beyondUntil(o.Start, wall) {
				return
			}
			if !yield(o) {
				return
			}
		}
	}, nil
}

// occurrence places the i-th instance, whose rule time is wall.
func (s Series) occurrence(i int, wall wallclock.Time) Occurrence {
	start, kind := wallclock.Resolve(s.Location, wall)
	end := start.Add(s.Duration)
	return Occurrence{
		Index: i, Start: start.UTC(), End: end.UTC(),
		LocalStart: start.In(s.Location), LocalEnd: end.In(s.Location),
		Kind: kind,
	}
}

func (s Series) excluded(start time.Time) bool {
	for _, x := range s.ExDates {
		if x.Equal(start) {
			return true
		}
	}
	return false
}

// beyondUntil reports whether an instance starting at start (rule time
// wall) falls after the rule's UNTIL.
func (r Rule) beyondUntil(start time.Time, wall wallclock.Time) bool {
	if !r.HasUntil() {
		return false
	}
	switch r.UntilForm {
	case UntilLocal:
		return wall.Floating().After(r.Until)
	case UntilDate:
		return !wall.Floating().Before(r.Until.AddDate(0, 0, 1))
	default:
		return start.After(r.Until)
	}
}

// engineStart is where rrule-go starts iterating. For WEEKLY rules with
// BYDAY it is the start of DTSTART's week (per WKST), same time of day:
// rrule-go, like dateutil, builds the first week's set from DTSTART on,
// so BYSETPOS counted positions in a truncated week (libical and RFC 5545
// count them in the whole week). Instances before DTSTART are dropped by
// the caller and do not count toward COUNT.
func engineStart(r Rule, dtstart time.Time) time.Time {
	if r.Freq != FreqWeekly || len(r.ByDay) == 0 {
		return dtstart
	}
	back := (int(dtstart.Weekday()) - int(r.WeekStart) + 7) % 7
	return dtstart.AddDate(0, 0, -back)
}

// engineOptions translates the rule for rrule-go, which runs on floating
// wall-clock times in UTC. COUNT and UNTIL are left out: this package
// applies them itself, after DTSTART and the time zone are accounted for.
func engineOptions(r Rule, dtstart time.Time) rrule.ROption {
	opt := rrule.ROption{
		Freq:       engineFreq[r.Freq],
		Dtstart:    dtstart,
		Interval:   r.Interval,
		Wkst:       engineDays[r.WeekStart],
		Bysetpos:   r.BySetPos,
		Bymonthday: r.ByMonthDay,
	}
	for _, d := range r.ByDay {
		wd := engineDays[d.Weekday]
		if d.N != 0 {
			wd = wd.Nth(d.N)
		}
		opt.Byweekday = append(opt.Byweekday, wd)
	}
	return opt
}

var engineFreq = map[Frequency]rrule.Frequency{
	FreqDaily: rrule.DAILY, FreqWeekly: rrule.WEEKLY, FreqMonthly: rrule.MONTHLY,
	FreqYearly: rrule.YEARLY,
}

var engineDays = [...]rrule.Weekday{
	rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA,
}

// Expand returns the occurrences of s that overlap [from, to): those that
// end after from and start before to. An occurrence of zero duration is
// included when from <= start < to.
func Expand(s Series, from, to time.Time) ([]Occurrence, error) {
	seq, err := Occurrences(s)
	if err != nil {
		return nil, err
	}
	var out []Occurrence
	for o := range seq {
		if !o.Start.Before(to) {
			break
		}
		if o.End.After(from) || (o.End.Equal(o.Start) && !o.Start.Before(from)) {
			out = append(out, o)
		}
	}
	return out, nil
}
