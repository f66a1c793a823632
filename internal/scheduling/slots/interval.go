package slots

import (
	"slices"
	"time"
)

// Interval is a half-open span of time [Start, End): an appointment that
// ends at 10:00 and one that starts at 10:00 do not overlap.
type Interval struct {
	Start, End time.Time
}

// Overlaps reports whether the two intervals share any instant.
func (iv Interval) Overlaps(o Interval) bool {
	return iv.Start.Before(o.End) && o.Start.Before(iv.End)
}

// Overlaps reports whether candidate overlaps any of intervals, in any
// order. It is the check the booking path repeats inside its
// transaction; the database constraint remains the guarantee.
func Overlaps(intervals []Interval, candidate Interval) bool {
	for _, iv := range intervals {
		if iv.Overlaps(candidate) {
			return true
		}
	}
	return false
}

// byStart orders intervals by start, then end.
func byStart(a, b Interval) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return a.End.Compare(b.End)
}

// sortedCopy returns ivs sorted by start, copying only when they are not
// sorted already.
func sortedCopy(ivs []Interval) []Interval {
	if slices.IsSortedFunc(ivs, byStart) {
		return ivs
	}
	out := slices.Clone(ivs)
	slices.SortFunc(out, byStart)
	return out
}

// span is an interval in Unix nanoseconds. The computation works on
// spans: they hold no pointers, so building and sorting thousands of
// them costs the garbage collector nothing.
type span struct{ lo, hi int64 }

func toSpan(start, end time.Time) span {
	return span{start.UnixNano(), end.UnixNano()}
}

func spanCmp(a, b span) int {
	switch {
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// coalesce merges overlapping or touching spans of a sorted slice in
// place and returns the disjoint result.
func coalesce(ss []span) []span {
	out := ss[:0]
	for _, s := range ss {
		if s.lo >= s.hi {
			continue
		}
		if n := len(out); n > 0 && s.lo <= out[n-1].hi {
			out[n-1].hi = max(out[n-1].hi, s.hi)
			continue
		}
		out = append(out, s)
	}
	return out
}

// sweep answers "does this span hit a blocked one?" for queries that
// arrive in order of start, over disjoint sorted spans, in amortised
// constant time.
type sweep struct {
	ss []span
	i  int
}

// hits reports whether [lo, hi) overlaps a blocked span. Calls must come
// with non-decreasing lo.
func (w *sweep) hits(lo, hi int64) bool {
	for w.i < len(w.ss) && w.ss[w.i].hi <= lo {
		w.i++
	}
	return w.i < len(w.ss) && w.ss[w.i].lo < hi
}
