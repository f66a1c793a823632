package slots

import (
	"fmt"
	"slices"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/recurrence"
	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

// Compute returns the open slots for in, in order of start.
//
// A slot [start, start+Duration) lies inside one range of working hours
// of its local day (a date override replaces the weekly hours), starts
// on the increment of the local clock, does not overlap time off, and
// together with the buffers before and after does not overlap any
// existing appointment's own buffered span or any busy event. Its start
// is at least MinNotice after Now, within Horizon of Now, and in
// [From, To); days that already hold DailyMax appointments offer none.
//
// Working hours are local wall-clock times. On a daylight-saving day,
// starts that fall in the skipped hour are not offered, and a repeated
// hour is offered once, on its first pass (RFC 5545 §3.3.5, as in
// package wallclock).
func Compute(in Input) ([]Slot, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	r := in.Rules
	lo, hi := in.From, in.To
	if notice := in.Now.Add(r.MinNotice); notice.After(lo) {
		lo = notice
	}
	if r.Horizon > 0 && in.Now.Add(r.Horizon).Before(hi) {
		hi = in.Now.Add(r.Horizon)
	}
	if !lo.Before(hi) {
		return nil, nil
	}

	loc := in.Location
	days := makeDays(loc, DateOf(lo.In(loc)), DateOf(hi.Add(-1).In(loc)))
	window := Interval{days[0].midnight, days[len(days)-1].next}
	appts := appointmentsNear(in.Appointments, window, r, in.Duration)
	blocked := blockedSpans(appts, in.Busy, window, r, in.Duration)
	off, err := timeOff(in.TimeOff, loc, window)
	if err != nil {
		return nil, err
	}
	if r.DailyMax > 0 {
		countPerDay(days, appts)
	}

	week, overrides := normalizeHours(in)
	hours := make([][]Range, len(days))
	most := 0 // candidate starts, to size the result once
	for i, d := range days {
		ranges, ok := overrides[d.date]
		if !ok {
			ranges = week[d.date.Weekday()]
		}
		hours[i] = ranges
		for _, rg := range ranges {
			most += int((rg.End-rg.Start)/r.Increment) + 1
		}
	}
	c := cursor{
		in: in, lo: lo, hi: hi,
		off: sweep{ss: off}, blocked: sweep{ss: blocked},
		out: make([]Slot, 0, most),
	}
	for i := range days {
		d := &days[i]
		if r.DailyMax > 0 && d.count >= r.DailyMax {
			continue
		}
		for _, rg := range hours[i] {
			if !c.fill(d, rg) {
				return c.out, nil
			}
		}
	}
	return c.out, nil
}

// cursor walks candidate starts in increasing order and collects slots.
type cursor struct {
	in           Input
	lo, hi       time.Time
	off, blocked sweep
	out          []Slot
}

// fill adds the open slots of one range of one day. It returns false
// once starts have passed the end of the window.
func (c *cursor) fill(d *day, rg Range) bool {
	r, loc := c.in.Rules, c.in.Location
	inc := r.Increment
	rangeEnd, _ := d.at(loc, rg.End)
	first := (rg.Start + inc - 1) / inc * inc
	for m := first; m < rg.End; m += inc {
		s, ok := d.at(loc, m)
		if !ok {
			continue // this start does not exist on the local clock today
		}
		e := s.Add(c.in.Duration)
		if e.After(rangeEnd) {
			return true
		}
		if s.Before(c.lo) {
			continue
		}
		if !s.Before(c.hi) {
			return false
		}
		sn, en := s.UnixNano(), e.UnixNano()
		if c.off.hits(sn, en) || c.blocked.hits(sn-int64(r.BufferBefore),
			en+int64(r.BufferAfter)) {
			continue
		}
		c.out = append(c.out, Slot{
			Start: s.UTC(), End: e.UTC(),
			LocalStart: s.In(loc), LocalEnd: e.In(loc),
			Mode: rg.Mode, OfficeID: rg.OfficeID,
		})
	}
	return true
}

// day is one local calendar day of the window.
type day struct {
	date           Date
	midnight, next time.Time // this and the following local midnight
	fixed          bool      // one UTC offset all day: no DST change
	count          int       // appointments starting this day
}

func makeDays(loc *time.Location, first, last Date) []day {
	var days []day
	next := midnight(loc, first)
	for d := first; !last.Before(d); d = d.AddDays(1) {
		m := next
		next = midnight(loc, d.AddDays(1))
		_, o1 := m.In(loc).Zone()
		_, o2 := next.In(loc).Zone()
		days = append(days, day{date: d, midnight: m, next: next,
			fixed: o1 == o2 && next.Sub(m) == 24*time.Hour})
	}
	return days
}

// midnight returns the instant local day d begins.
func midnight(loc *time.Location, d Date) time.Time {
	t, _ := wallclock.Resolve(loc, wallclock.Time{Year: d.Year,
		Month: d.Month, Day: d.Day})
	return t
}

// at returns the instant the local clock reads midnight+off on day d,
// and false when that reading does not exist (a spring-forward gap).
func (d *day) at(loc *time.Location, off time.Duration) (time.Time, bool) {
	if d.fixed {
		return d.midnight.Add(off), true
	}
	if off >= 24*time.Hour {
		return d.next, true
	}
	mins := int(off / time.Minute)
	t, kind := wallclock.Resolve(loc, wallclock.Time{Year: d.date.Year,
		Month: d.date.Month, Day: d.date.Day, Hour: mins / 60,
		Minute: mins % 60})
	return t, kind != wallclock.Gap
}

// appointmentsNear returns the sorted appointments that can affect a
// slot in window, found by binary search.
func appointmentsNear(all []Interval, window Interval, r Rules,
	dur time.Duration) []Interval {
	appts := sortedCopy(all)
	reach := r.BufferBefore + r.BufferAfter
	from := window.Start.Add(-24*time.Hour - reach)
	to := window.End.Add(dur + reach)
	i, _ := slices.BinarySearchFunc(appts, from, startCmp)
	j, _ := slices.BinarySearchFunc(appts[i:], to, startCmp)
	return appts[i : i+j]
}

func startCmp(iv Interval, t time.Time) int { return iv.Start.Compare(t) }

// blockedSpans merges the buffered appointments and the busy events that
// come near window into sorted disjoint spans.
func blockedSpans(appts, busy []Interval, window Interval, r Rules,
	dur time.Duration) []span {
	reach := r.BufferBefore + r.BufferAfter + dur
	near := toSpan(window.Start.Add(-reach), window.End.Add(reach))
	out := make([]span, 0, len(appts)+len(busy))
	before, after := int64(r.BufferBefore), int64(r.BufferAfter)
	for _, a := range appts {
		s := toSpan(a.Start, a.End)
		out = append(out, span{s.lo - before, s.hi + after})
	}
	apptEnd := len(out)
	for _, b := range busy {
		if s := toSpan(b.Start, b.End); s.lo < near.hi && near.lo < s.hi {
			out = append(out, s)
		}
	}
	// Appointments arrive sorted; sort the busy events and merge the
	// two runs, unless they are already in order.
	events := out[apptEnd:]
	slices.SortFunc(events, spanCmp)
	if !slices.IsSortedFunc(out, spanCmp) {
		merged := make([]span, 0, len(out))
		i, j := 0, apptEnd
		for i < apptEnd || j < len(out) {
			if j == len(out) || (i < apptEnd && out[i].lo <= out[j].lo) {
				merged = append(merged, out[i])
				i++
			} else {
				merged = append(merged, out[j])
				j++
			}
		}
		out = merged
	}
	return coalesce(out)
}

// timeOff returns the time-off blocks that touch window, sorted and
// disjoint.
func timeOff(list []TimeOff, loc *time.Location, window Interval) (
	[]span, error) {
	var out []span
	add := func(iv Interval) {
		if iv.Overlaps(window) {
			out = append(out, toSpan(iv.Start, iv.End))
		}
	}
	for i, t := range list {
		if t.Series == nil {
			iv := Interval{t.Start, t.End}
			if t.AllDay {
				iv = Interval{midnight(loc, DateOf(t.Start)),
					midnight(loc, DateOf(t.End).AddDays(1))}
			}
			add(iv)
			continue
		}
		s := *t.Series
		occs, err := recurrence.Expand(s,
			window.Start.Add(-s.Duration-48*time.Hour), window.End)
		if err != nil {
			return nil, fmt.Errorf("time off %d: %w", i, err)
		}
		for _, o := range occs {
			iv := Interval{o.Start, o.End}
			if t.AllDay {
				n := max(1, int((s.Duration+12*time.Hour)/(24*time.Hour)))
				first := DateOf(o.Start.In(loc))
				iv = Interval{midnight(loc, first),
					midnight(loc, first.AddDays(n))}
			}
			add(iv)
		}
	}
	slices.SortFunc(out, spanCmp)
	return coalesce(out), nil
}

// countPerDay counts the sorted appointments that start on each day.
func countPerDay(days []day, appts []Interval) {
	i := 0
	for _, a := range appts {
		for i < len(days) && !a.Start.Before(days[i].next) {
			i++
		}
		if i == len(days) {
			return
		}
		if !a.Start.Before(days[i].midnight) {
			days[i].count++
		}
	}
}

// normalizeHours sorts each day's ranges and joins ranges that touch and
// share mode and office, so a slot may run across the join.
func normalizeHours(in Input) (Week, map[Date][]Range) {
	var week Week
	for d, ranges := range in.Week {
		week[d] = joinRanges(ranges)
	}
	overrides := make(map[Date][]Range, len(in.Overrides))
	for _, o := range in.Overrides {
		overrides[o.Date] = joinRanges(o.Ranges)
	}
	return week, overrides
}

func joinRanges(ranges []Range) []Range {
	sorted := slices.Clone(ranges)
	slices.SortFunc(sorted, func(a, b Range) int {
		return int(a.Start - b.Start)
	})
	var out []Range
	for _, r := range sorted {
		if n := len(out); n > 0 && out[n-1].End == r.Start &&
			out[n-1].Mode == r.Mode && out[n-1].OfficeID == r.OfficeID {
			out[n-1].End = r.End
			continue
		}
		out = append(out, r)
	}
	return out
}
