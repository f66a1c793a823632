package slots

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

// checkSlots asserts what must hold for every slot, using only linear
// scans over the raw input: in order, on the increment, inside working
// hours, within notice, horizon and window, and clear of appointments
// (both sides' buffers), busy events and one-off time off.
func checkSlots(t testing.TB, in Input, got []Slot) {
	t.Helper()
	r := in.Rules
	var appts []Interval
	for _, a := range in.Appointments {
		appts = append(appts, Interval{a.Start.Add(-r.BufferBefore),
			a.End.Add(r.BufferAfter)})
	}
	for i, s := range got {
		buffered := Interval{s.Start.Add(-r.BufferBefore),
			s.End.Add(r.BufferAfter)}
		plain := Interval{s.Start, s.End}
		local := wallclock.Of(s.LocalStart)
		switch {
		case i > 0 && !got[i-1].Start.Before(s.Start):
			t.Errorf("slot %d not after the one before", i)
		case s.End.Sub(s.Start) != in.Duration:
			t.Errorf("slot %d lasts %v", i, s.End.Sub(s.Start))
		case (local.Hour*60+local.Minute)%int(r.Increment/time.Minute) != 0:
			t.Errorf("slot %d at %v is off the increment", i, s.LocalStart)
		case s.Start.Before(in.From) || !s.Start.Before(in.To):
			t.Errorf("slot %d outside the window", i)
		case s.Start.Before(in.Now.Add(r.MinNotice)):
			t.Errorf("slot %d inside the minimum notice", i)
		case r.Horizon > 0 && !s.Start.Before(in.Now.Add(r.Horizon)):
			t.Errorf("slot %d beyond the horizon", i)
		case Overlaps(appts, buffered):
			t.Errorf("slot %d %v overlaps an appointment", i, s.LocalStart)
		case Overlaps(in.Busy, buffered):
			t.Errorf("slot %d %v overlaps a busy event", i, s.LocalStart)
		}
		for _, off := range in.TimeOff {
			if off.Series == nil && !off.AllDay &&
				plain.Overlaps(Interval{off.Start, off.End}) {
				t.Errorf("slot %d %v overlaps time off", i, s.LocalStart)
			}
		}
		if !insideHours(in, s) {
			t.Errorf("slot %d %v is outside working hours", i, s.LocalStart)
		}
	}
}

// insideHours reports whether s lies inside one range of its local
// day's working hours.
func insideHours(in Input, s Slot) bool {
	d := DateOf(s.LocalStart)
	ranges := in.Week[d.Weekday()]
	for _, o := range in.Overrides {
		if o.Date == d {
			ranges = o.Ranges
		}
	}
	// The start is compared on the wall clock: on a spring-forward day,
	// hours "from 02:15" still include 03:00 although 02:15 never
	// happens.
	w := wallclock.Of(s.LocalStart)
	startOff := time.Duration(w.Hour)*time.Hour +
		time.Duration(w.Minute)*time.Minute
	for _, r := range joinRanges(ranges) {
		to := wallTime(in.Location, d, r.End)
		if startOff >= r.Start && !s.End.After(to) && r.Mode == s.Mode {
			return true
		}
	}
	return false
}

func wallTime(loc *time.Location, d Date, off time.Duration) time.Time {
	m := int(off / time.Minute)
	w := wallclock.Time{Year: d.Year, Month: d.Month, Day: d.Day,
		Hour: m / 60, Minute: m % 60}
	return wallclock.In(loc, wallclock.Of(w.Floating()))
}

// reference computes slots the slow, obvious way: every aligned start of
// every day, checked against every interval.
func reference(in Input) []Slot {
	r, loc := in.Rules, in.Location
	var blocked []Interval
	perDay := map[Date]int{}
	for _, a := range in.Appointments {
		blocked = append(blocked, Interval{a.Start.Add(-r.BufferBefore),
			a.End.Add(r.BufferAfter)})
		perDay[DateOf(a.Start.In(loc))]++
	}
	blocked = append(blocked, in.Busy...)
	var off []Interval
	for _, o := range in.TimeOff {
		off = append(off, Interval{o.Start, o.End})
	}
	var out []Slot
	last := DateOf(in.To.In(loc))
	for d := DateOf(in.From.In(loc)); !last.Before(d); d = d.AddDays(1) {
		if r.DailyMax > 0 && perDay[d] >= r.DailyMax {
			continue
		}
		ranges := in.Week[d.Weekday()]
		for _, o := range in.Overrides {
			if o.Date == d {
				ranges = o.Ranges
			}
		}
		for _, rg := range joinRanges(ranges) {
			end := wallTime(loc, d, rg.End)
			for m := time.Duration(0); m < rg.End; m += r.Increment {
				if m < rg.Start {
					continue
				}
				mins := int(m / time.Minute)
				s, kind := wallclock.Resolve(loc, wallclock.Time{
					Year: d.Year, Month: d.Month, Day: d.Day,
					Hour: mins / 60, Minute: mins % 60})
				e := s.Add(in.Duration)
				buffered := Interval{s.Add(-r.BufferBefore),
					e.Add(r.BufferAfter)}
				if kind == wallclock.Gap || e.After(end) ||
					s.Before(in.From) || !s.Before(in.To) ||
					s.Before(in.Now.Add(r.MinNotice)) ||
					(r.Horizon > 0 && !s.Before(in.Now.Add(r.Horizon))) ||
					Overlaps(blocked, buffered) ||
					Overlaps(off, Interval{s, e}) {
					continue
				}
				out = append(out, Slot{Start: s.UTC(), End: e.UTC(),
					LocalStart: s.In(loc), LocalEnd: e.In(loc),
					Mode: rg.Mode, OfficeID: rg.OfficeID})
			}
		}
	}
	return out
}

// TestComputeMatchesReference runs random providers through Compute and
// the reference and requires identical answers, and checks the slot
// invariants on each, including that no slot overlaps an appointment
// with buffers or a busy event.
func TestComputeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2024))
	zones := []string{"America/New_York", "Europe/London",
		"Australia/Sydney", "Asia/Kolkata"}
	for i := range 300 {
		in := randomInput(t, rng, zones[i%len(zones)])
		got, err := Compute(in)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		want := reference(in)
		if !slices.EqualFunc(got, want, sameSlot) {
			t.Fatalf("case %d (%s): Compute gave %d slots, reference %d\n"+
				"got  %v\nwant %v", i, in.Location, len(got), len(want),
				localStarts(got, true), localStarts(want, true))
		}
		checkSlots(t, in, got)
	}
}

func sameSlot(a, b Slot) bool {
	return a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.Mode == b.Mode &&
		a.OfficeID == b.OfficeID && a.LocalStart.Equal(b.LocalStart)
}

// randomInput makes a provider with random hours, rules, appointments,
// busy events and time off over a 10-day window that, in turn, straddles
// the March and October/November DST changes.
func randomInput(t testing.TB, rng *rand.Rand, zone string) Input {
	t.Helper()
	loc := mustLoad(t, zone)
	start := []time.Time{
		time.Date(2024, 3, 5, 0, 0, 0, 0, loc),
		time.Date(2024, 3, 26, 0, 0, 0, 0, loc),
		time.Date(2024, 9, 30, 0, 0, 0, 0, loc),
		time.Date(2024, 10, 25, 0, 0, 0, 0, loc),
	}[rng.IntN(4)].Add(time.Duration(rng.IntN(24*60)) * time.Minute)
	end := start.Add(10 * 24 * time.Hour)

	var week Week
	modes := []Mode{Office, Telehealth, Both}
	for d := range week {
		h := rng.IntN(6)
		for h < 22 && rng.IntN(4) > 0 {
			l := 1 + rng.IntN(5)
			rg := Range{Start: time.Duration(h)*time.Hour +
				time.Duration(rng.IntN(4)*15)*time.Minute,
				End:  time.Duration(min(h+l, 24)) * time.Hour,
				Mode: modes[rng.IntN(3)]}
			if rg.Mode != Telehealth {
				rg.OfficeID = "o1"
			}
			week[d] = append(week[d], rg)
			h += l + rng.IntN(2)
		}
	}
	in := Input{
		Location: loc, Week: week, From: start, To: end,
		Now: start.Add(time.Duration(rng.IntN(48)-24) * time.Hour),
		Rules: Rules{
			Increment: []time.Duration{15 * time.Minute,
				30 * time.Minute, time.Hour}[rng.IntN(3)],
			MinNotice:    time.Duration(rng.IntN(30)) * time.Hour,
			Horizon:      time.Duration(rng.IntN(3)) * 96 * time.Hour,
			BufferBefore: time.Duration(rng.IntN(3)) * 10 * time.Minute,
			BufferAfter:  time.Duration(rng.IntN(3)) * 15 * time.Minute,
			DailyMax:     rng.IntN(5),
		},
		Duration: time.Duration(1+rng.IntN(8)) * 15 * time.Minute,
	}
	if rng.IntN(2) == 0 {
		d := DateOf(start.In(loc)).AddDays(rng.IntN(10))
		in.Overrides = []Override{{Date: d, Ranges: []Range{
			{Start: 8 * time.Hour, End: 12 * time.Hour, Mode: Telehealth}}}}
	}
	randomSpans := func(n int, maxLen time.Duration) []Interval {
		var out []Interval
		for range n {
			s := start.Add(time.Duration(rng.IntN(12*24*60)-24*60) *
				time.Minute)
			out = append(out, Interval{s,
				s.Add(time.Duration(1+rng.IntN(int(maxLen/time.Minute))) *
					time.Minute)})
		}
		return out
	}
	in.Appointments = randomSpans(rng.IntN(40), 2*time.Hour)
	slices.SortFunc(in.Appointments, byStart)
	in.Busy = randomSpans(rng.IntN(20), 5*time.Hour) // left unsorted
	for _, iv := range randomSpans(rng.IntN(3), 30*time.Hour) {
		in.TimeOff = append(in.TimeOff, TimeOff{Start: iv.Start, End: iv.End})
	}
	return in
}
