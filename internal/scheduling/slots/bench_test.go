package slots

import (
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/recurrence"
)

// benchInput is one New York provider over 14 days with 2,000 existing
// appointments and 500 busy events. spread places the appointments over
// two years around the window (a realistic history and future) and the
// busy events over 90 days; otherwise all of them fall inside the 14
// days, the worst case for the sweep.
func benchInput(b *testing.B, spread bool) Input {
	b.Helper()
	ny := mustLoad(b, "America/New_York")
	rng := rand.New(rand.NewPCG(1, 2))
	var week Week
	for d := time.Monday; d <= time.Saturday; d++ {
		week[d] = []Range{
			{Start: 8 * time.Hour, End: 12 * time.Hour, Mode: Both,
				OfficeID: "main"},
			{Start: 13 * time.Hour, End: 19 * time.Hour, Mode: Telehealth},
		}
	}
	from := time.Date(2024, 3, 1, 0, 0, 0, 0, ny) // spans the March change
	to := from.AddDate(0, 0, 14)
	apptSpan, busySpan := to.Sub(from), to.Sub(from)
	apptFrom, busyFrom := from, from
	dailyMax := 0 // the dense case would fill every day's maximum at once
	if spread {
		dailyMax = 12
		apptFrom, apptSpan = from.AddDate(-1, 0, 0), 2*365*24*time.Hour
		busyFrom, busySpan = from.AddDate(0, 0, -45), 90*24*time.Hour
	}
	spans := func(n int, at time.Time, span time.Duration) []Interval {
		out := make([]Interval, n)
		for i := range out {
			s := at.Add(time.Duration(rng.Int64N(int64(span/time.Minute))) *
				time.Minute).Truncate(15 * time.Minute)
			out[i] = Interval{s, s.Add(time.Duration(30+rng.IntN(60)) *
				time.Minute)}
		}
		slices.SortFunc(out, byStart)
		return out
	}
	return Input{
		Location: ny, Week: week,
		Overrides: []Override{{Date: Date{2024, 3, 8},
			Ranges: []Range{{Start: 10 * time.Hour, End: 14 * time.Hour,
				Mode: Telehealth}}}},
		TimeOff: []TimeOff{
			{Start: from.AddDate(0, 0, 3), End: from.AddDate(0, 0, 3).
				Add(5 * time.Hour)},
			{Series: &recurrence.Series{RRule: "FREQ=WEEKLY;BYDAY=TU,TH",
				Start: time.Date(2024, 1, 2, 12, 0, 0, 0, ny), Location: ny,
				Duration: time.Hour}},
		},
		Appointments: spans(2000, apptFrom, apptSpan),
		Busy:         spans(500, busyFrom, busySpan),
		Rules: Rules{Increment: 15 * time.Minute, MinNotice: 12 * time.Hour,
			Horizon: 60 * 24 * time.Hour, BufferBefore: 10 * time.Minute,
			BufferAfter: 10 * time.Minute, DailyMax: dailyMax},
		Duration: 50 * time.Minute,
		From:     from, To: to,
		Now: from.Add(-time.Hour),
	}
}

// BenchmarkSlots measures one provider's 14-day slot computation; the
// issue's budget is 1 ms of CPU.
func BenchmarkSlots(b *testing.B) {
	for _, bc := range []struct {
		name   string
		spread bool
	}{{"spread", true}, {"all_in_window", false}} {
		b.Run(bc.name, func(b *testing.B) {
			in := benchInput(b, bc.spread)
			slots, err := Compute(in)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu0 := processCPU(b)
			for b.Loop() {
				if _, err := Compute(in); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time of the whole process (GC included) per call: on a
			// shared machine wall-clock ns/op also counts time spent
			// waiting for a core.
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N),
				"cpu-ns/op")
			b.ReportMetric(float64(len(slots)), "slots")
		})
	}
}

// processCPU returns the user plus system CPU time this process has used.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
