package recurrence

import (
	"errors"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

// ErrNoOccurrence means an edit named an instant that is not a current
// occurrence of the series (never one, or already excluded).
var ErrNoOccurrence = errors.New("no such occurrence")

// ErrCollides means a moved occurrence would overlap another occurrence
// of the same series.
var ErrCollides = errors.New("occurrence collides with another in the " +
	"series")

// find returns the occurrence of s that starts at at, excluded or not,
// and whether it is excluded.
func find(s Series, at time.Time) (Occurrence, bool, error) {
	all, err := instances(s)
	if err != nil {
		return Occurrence{}, false, err
	}
	for o := range all {
		if o.Start.Equal(at) {
			return o, s.excluded(o.Start), nil
		}
		if o.Start.After(at) {
			break
		}
	}
	return Occurrence{}, false, fmt.Errorf("%w at %s", ErrNoOccurrence,
		at.UTC().Format(time.RFC3339))
}

// Split cuts s at the occurrence starting at at, for "this and
// following" edits. head keeps the earlier occurrences and now ends with
// UNTIL one second before at; tail starts at at with the same rule and,
// when the rule has a COUNT, the count that remains. Exclusions go with
// the half they fall in. Together the halves produce exactly the
// occurrences of s. Splitting at the first occurrence is refused: that is
// an edit of the whole series.
func Split(s Series, at time.Time) (head, tail Series, err error) {
	o, excluded, err := find(s, at)
	if err != nil {
		return Series{}, Series{}, err
	}
	if excluded {
		return Series{}, Series{}, fmt.Errorf("%w: it was excluded",
			ErrNoOccurrence)
	}
	if o.Index == 0 {
		return Series{}, Series{}, fmt.Errorf("%w: cannot split at the "+
			"first occurrence; edit the whole series", ErrSeries)
	}
	r, err := Parse(s.RRule)
	if err != nil {
		return Series{}, Series{}, err
	}

	before := r
	before.Count = 0
	before.Until, before.UntilForm = o.Start.Add(-time.Second), UntilUTC
	after := r
	if r.Count > 0 {
		after.Count = r.Count - o.Index
	}

	head, tail = s, s
	head.RRule, tail.RRule = before.String(), after.String()
	tail.Start = o.Start
	head.ExDates, tail.ExDates = nil, nil
	for _, x := range s.ExDates {
		if x.Before(o.Start) {
			head.ExDates = append(head.ExDates, x)
		} else {
			tail.ExDates = append(tail.ExDates, x)
		}
	}
	return head, tail, nil
}

// Detach takes the occurrence starting at at out of s, for "this
// occurrence" edits: the returned series excludes it (an EXDATE) and the
// occurrence is returned to be stored on its own, with at as its
// RECURRENCE-ID. No other occurrence changes.
func Detach(s Series, at time.Time) (Series, Occurrence, error) {
	o, excluded, err := find(s, at)
	if err != nil {
		return Series{}, Occurrence{}, err
	}
	if excluded {
		return Series{}, Occurrence{}, fmt.Errorf("%w: it was excluded",
			ErrNoOccurrence)
	}
	rest := s
	rest.ExDates = append(append([]time.Time(nil), s.ExDates...),
		o.Start.UTC())
	return rest, o, nil
}

// Move detaches the occurrence starting at at and places it at newStart
// with the series' duration. It refuses a move onto another occurrence
// of the same series, which would double-book the client.
func Move(s Series, at, newStart time.Time) (Series, Occurrence, error) {
	rest, o, err := Detach(s, at)
	if err != nil {
		return Series{}, Occurrence{}, err
	}
	end := newStart.Add(s.Duration)
	clash, err := Expand(rest, newStart, end)
	if err != nil {
		return Series{}, Occurrence{}, err
	}
	if len(clash) > 0 {
		return Series{}, Occurrence{}, fmt.Errorf("%w: %s", ErrCollides,
			clash[0].Start.Format(time.RFC3339))
	}
	o.Start, o.End = newStart.UTC(), end.UTC()
	o.LocalStart, o.LocalEnd = newStart.In(s.Location), end.In(s.Location)
	o.Kind = wallclock.Normal
	return rest, o, nil
}
