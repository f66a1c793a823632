// Package wallclock converts local wall-clock readings into instants.
//
// Working hours and recurring sessions are defined on the clock on the
// provider's wall, not in UTC. Twice a year in most zones a wall-clock
// reading either does not exist (the spring-forward gap) or happens twice
// (the fall-back overlap). This package settles both cases the way
// RFC 5545 §3.3.5 ("DATE-TIME", FORM #3) prescribes for iCalendar, so the
// calendar Tend shows and the feeds it exports agree with other programs.
package wallclock

import "time"

// Kind says how a wall-clock reading maps onto real time.
type Kind int

const (
	// Normal readings happen exactly once.
	Normal Kind = iota
	// Gap readings never happen: the clock skips over them.
	Gap
	// Ambiguous readings happen twice: the clock turns back over them.
	Ambiguous
)

// String names the kind for logs and test output.
func (k Kind) String() string {
	switch k {
	case Gap:
		return "gap"
	case Ambiguous:
		return "ambiguous"
	default:
		return "normal"
	}
}

// Time is a wall-clock reading without a zone: what a clock on the wall
// shows. Nanoseconds are not kept; calendars work in whole seconds.
type Time struct {
	Year   int
	Month  time.Month
	Day    int
	Hour   int
	Minute int
	Second int
}

// Of reads the wall clock of t in its own location.
func Of(t time.Time) Time {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return Time{Year: y, Month: mo, Day: d, Hour: h, Minute: mi, Second: s}
}

// floating returns the reading as if it were a UTC instant. Arithmetic on
// floating times is arithmetic on the wall clock.
func (w Time) floating() time.Time {
	return time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, w.Second, 0,
		time.UTC)
}

// Floating returns the reading as a time.Time in UTC whose clock fields
// equal the wall-clock fields. It is the form recurrence engines use for
// floating (zone-less) iCalendar times.
func (w Time) Floating() time.Time { return w.floating() }

// Resolve returns the instant at which the wall clock in loc reads w,
// and how the reading maps onto real time.
//
// It follows RFC 5545 §3.3.5: a reading that falls in a gap is
// "interpreted using the UTC offset before the gap in local time", so
// 02:30 on a spring-forward day in New York becomes 03:30 EDT; a reading
// that occurs twice "refers to the first occurrence", the one still on
// the earlier (daylight) offset. Go's time.Date leaves both cases
// unspecified, so this code does not rely on it.
func Resolve(loc *time.Location, w Time) (time.Time, Kind) {
	f := w.floating()

	// The offsets in force a day either side bracket any transition that
	// could touch this reading: no zone moves by a day, and none
	// changes its offset twice within two days.
	_, before := f.Add(-24 * time.Hour).In(loc).Zone()
	_, after := f.Add(24 * time.Hour).In(loc).Zone()

	first, okFirst := candidate(loc, f, w, before)
	if before == after {
		if okFirst {
			return first, Normal
		}
		// A zone whose offset is the same on both sides can still have a
		// one-off shift in between; fall back to the offset at f itself.
		_, at := f.In(loc).Zone()
		if t, ok := candidate(loc, f, w, at); ok {
			return t, Normal
		}
		return f.Add(-time.Duration(before) * time.Second), Gap
	}

	second, okSecond := candidate(loc, f, w, after)
	switch {
	case okFirst && okSecond:
		// Both offsets reproduce the reading: take the earlier instant.
		if second.Before(first) {
			return second, Ambiguous
		}
		return first, Ambiguous
	case okFirst:
		return first, Normal
	case okSecond:
		return second, Normal
	default:
		// In the gap: use the offset from before the gap.
		return f.Add(-time.Duration(before) * time.Second), Gap
	}
}

// candidate returns f shifted by offset and whether the clock in loc reads
// w at that instant.
func candidate(loc *time.Location, f time.Time, w Time, offset int) (
	time.Time, bool) {
	t := f.Add(-time.Duration(offset) * time.Second)
	return t, Of(t.In(loc)) == w
}

// In is Resolve without the kind: the instant, in loc, at which the wall
// clock reads w.
func In(loc *time.Location, w Time) time.Time {
	t, _ := Resolve(loc, w)
	return t.In(loc)
}
