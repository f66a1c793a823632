// Package slots computes the open slots a client may book with one
// provider, and checks intervals for overlap.
//
// Open slots are working hours (weekly, or a date override) minus time
// off, minus existing appointments with their buffers, minus busy events
// from connected calendars, limited by the provider's booking rules.
// Working hours are local wall-clock times in the provider's zone, so a
// 09:00 start stays 09:00 across daylight-saving changes. The package is
// pure: it reads no clock and no database; callers pass "now" and the
// data in.
package slots

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/recurrence"
)

// ErrInvalid is wrapped by every error about unusable input.
var ErrInvalid = errors.New("invalid availability input")

// Mode says how sessions in a range of working hours take place.
type Mode int

// The location modes of working hours and slots.
const (
	Office Mode = iota + 1
	Telehealth
	Both // in the office or by telehealth, as the client chooses
)

var modeNames = map[Mode]string{
	Office: "office", Telehealth: "telehealth", Both: "both"}

// String returns the API name of the mode.
func (m Mode) String() string { return modeNames[m] }

// ParseMode reads an API mode name.
func ParseMode(s string) (Mode, error) {
	for m, name := range modeNames {
		if name == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown location mode %q", ErrInvalid, s)
}

// Range is one span of working hours in a day, as offsets from local
// midnight: 9*time.Hour to 17*time.Hour is 09:00–17:00 local. End may be
// 24h (midnight ending the day).
type Range struct {
	Start, End time.Duration
	Mode       Mode
	OfficeID   string // required for Office and Both
}

// Week holds the regular working hours, indexed by time.Weekday.
type Week [7][]Range

// Override replaces the working hours of one local date. No ranges means
// the provider does not work that day.
type Override struct {
	Date   Date
	Ranges []Range
}

// TimeOff is time the provider is away. Set exactly one of: Start and
// End (a one-off span, possibly over several days), or Series (a
// recurring block, each occurrence blocking its own span). With AllDay,
// the block is widened to whole local days: for Start and End, the dates
// they carry as written, inclusive; for a Series, each occurrence's local
// date and as many following days as its Duration spans in whole days.
type TimeOff struct {
	Start, End time.Time
	AllDay     bool
	Series     *recurrence.Series
}

// Rules are the provider's booking rules.
type Rules struct {
	// Increment spaces slot starts on the local clock: 15, 30 or 60
	// minutes past midnight.
	Increment time.Duration
	// MinNotice is how far ahead of now a slot must start.
	MinNotice time.Duration
	// Horizon is how far ahead of now a slot may start; 0 means no limit.
	Horizon time.Duration
	// BufferBefore and BufferAfter are kept free around every
	// appointment, existing or new; buffers of neighbours never overlap.
	BufferBefore, BufferAfter time.Duration
	// DailyMax is the most appointments in a local day; 0 means no limit.
	DailyMax int
}

// Input is everything one slot computation needs.
type Input struct {
	Location  *time.Location
	Week      Week
	Overrides []Override
	TimeOff   []TimeOff
	// Appointments are the provider's booked (not cancelled) sessions,
	// ideally sorted by start; each lasts under 24 hours.
	Appointments []Interval
	// Busy are busy events from connected calendars, in any order.
	Busy     []Interval
	Rules    Rules
	Duration time.Duration // length of the session to book
	// From and To bound the slot starts wanted: From <= start < To.
	From, To time.Time
	Now      time.Time
}

// Slot is one bookable start.
type Slot struct {
	Start, End           time.Time // UTC
	LocalStart, LocalEnd time.Time // in the provider's zone
	Mode                 Mode
	OfficeID             string
}

// MaxDuration is the longest session that can be booked.
const MaxDuration = 8 * time.Hour

// MaxWindow bounds one computation; callers page through longer spans.
const MaxWindow = 92 * 24 * time.Hour

// Validate reports the first problem with in, wrapping ErrInvalid.
func (in Input) Validate() error {
	switch {
	case in.Location == nil:
		return fmt.Errorf("%w: no time zone", ErrInvalid)
	case in.Duration <= 0 || in.Duration > MaxDuration:
		return fmt.Errorf("%w: duration must be more than zero and at "+
			"most %v", ErrInvalid, MaxDuration)
	case !in.From.Before(in.To):
		return fmt.Errorf("%w: window ends before it starts", ErrInvalid)
	case in.To.Sub(in.From) > MaxWindow:
		return fmt.Errorf("%w: window longer than %v", ErrInvalid, MaxWindow)
	case in.Now.IsZero():
		return fmt.Errorf("%w: no current time", ErrInvalid)
	}
	if err := in.Rules.Validate(); err != nil {
		return err
	}
	if err := in.Week.Validate(); err != nil {
		return err
	}
	for _, o := range in.Overrides {
		if err := validateRanges(o.Ranges); err != nil {
			return fmt.Errorf("override %s: %w", o.Date, err)
		}
	}
	for i, t := range in.TimeOff {
		if t.Series == nil && !t.AllDay && !t.Start.Before(t.End) {
			return fmt.Errorf("%w: time off %d ends before it starts",
				ErrInvalid, i)
		}
		if t.Series == nil && t.AllDay && DateOf(t.End).Before(DateOf(t.Start)) {
			return fmt.Errorf("%w: time off %d ends before it starts",
				ErrInvalid, i)
		}
	}
	return nil
}

// Validate checks the booking rules.
func (r Rules) Validate() error {
	switch {
	case r.Increment != 15*time.Minute && r.Increment != 30*time.Minute &&
		r.Increment != time.Hour:
		return fmt.Errorf("%w: increment must be 15, 30 or 60 minutes",
			ErrInvalid)
	case r.MinNotice < 0 || r.Horizon < 0 || r.BufferBefore < 0 ||
		r.BufferAfter < 0 || r.DailyMax < 0:
		return fmt.Errorf("%w: booking rules cannot be negative", ErrInvalid)
	case r.BufferBefore > 4*time.Hour || r.BufferAfter > 4*time.Hour:
		return fmt.Errorf("%w: buffers are limited to 4 hours", ErrInvalid)
	}
	return nil
}

// Validate checks each weekday's ranges: inside the day, on whole
// minutes, not overlapping, with a known mode and an office where needed.
func (w Week) Validate() error {
	for d, ranges := range w {
		if err := validateRanges(ranges); err != nil {
			return fmt.Errorf("%s: %w", time.Weekday(d), err)
		}
	}
	return nil
}

func validateRanges(ranges []Range) error {
	sorted := slices.Clone(ranges)
	slices.SortFunc(sorted, func(a, b Range) int {
		return int(a.Start - b.Start)
	})
	for i, r := range sorted {
		switch {
		case r.Start < 0 || r.End > 24*time.Hour || r.Start >= r.End:
			return fmt.Errorf("%w: working hours %v–%v are not within one "+
				"day", ErrInvalid, r.Start, r.End)
		case r.Start%time.Minute != 0 || r.End%time.Minute != 0:
			return fmt.Errorf("%w: working hours must be whole minutes",
				ErrInvalid)
		case modeNames[r.Mode] == "":
			return fmt.Errorf("%w: working hours need a location mode",
				ErrInvalid)
		case r.Mode == Telehealth && r.OfficeID != "":
			return fmt.Errorf("%w: telehealth hours take no office",
				ErrInvalid)
		case r.Mode != Telehealth && r.OfficeID == "":
			return fmt.Errorf("%w: office hours need an office", ErrInvalid)
		case i > 0 && r.Start < sorted[i-1].End:
			return fmt.Errorf("%w: working hours overlap", ErrInvalid)
		}
	}
	return nil
}
