package slots

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/recurrence"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func hours(from, to int, mode Mode) Range {
	r := Range{Start: time.Duration(from) * time.Hour,
		End: time.Duration(to) * time.Hour, Mode: mode}
	if mode != Telehealth {
		r.OfficeID = "main"
	}
	return r
}

// baseInput is a New York provider working 09:00–17:00 in the office on
// weekdays, booking hour-long sessions on the hour, asked for Monday
// 4 March 2024, with "now" a week earlier.
func baseInput(t testing.TB) Input {
	t.Helper()
	ny := mustLoad(t, "America/New_York")
	var week Week
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []Range{hours(9, 17, Office)}
	}
	day := time.Date(2024, 3, 4, 0, 0, 0, 0, ny)
	return Input{
		Location: ny, Week: week,
		Rules:    Rules{Increment: time.Hour},
		Duration: time.Hour,
		From:     day, To: day.AddDate(0, 0, 1),
		Now: day.AddDate(0, 0, -7),
	}
}

// at returns 4 March 2024 (or another March day) at h:m New York time.
func at(in Input, day, h, m int) time.Time {
	return time.Date(2024, 3, day, h, m, 0, 0, in.Location)
}

// localStarts renders slots as local "15:04" (prefixed with the day when
// the slots span several days).
func localStarts(slots []Slot, withDay bool) []string {
	var out []string
	for _, s := range slots {
		layout := "15:04"
		if withDay {
			layout = "02 15:04"
		}
		out = append(out, s.LocalStart.Format(layout))
	}
	return out
}

func seq(from, to, stepMin int) []string {
	var out []string
	for m := from * 60; m <= to*60; m += stepMin {
		out = append(out, time.Date(0, 1, 1, 0, m, 0, 0, time.UTC).
			Format("15:04"))
	}
	return out
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name   string
		modify func(in *Input)
		want   []string
	}{
		{"plain day", func(in *Input) {}, seq(9, 16, 60)},
		{"half-hour increment", func(in *Input) {
			in.Rules.Increment = 30 * time.Minute
		}, seq(9, 16, 30)},
		{"starts align to the local clock", func(in *Input) {
			in.Week[time.Monday] = []Range{{Start: 9*time.Hour + 10*time.Minute,
				End: 12 * time.Hour, Mode: Telehealth}}
			in.Rules.Increment = 30 * time.Minute
			in.Duration = 30 * time.Minute
		}, []string{"09:30", "10:00", "10:30", "11:00", "11:30"}},
		{"appointment leaves adjacent slots", func(in *Input) {
			in.Appointments = []Interval{{at(*in, 4, 11, 0), at(*in, 4, 12, 0)}}
		}, []string{"09:00", "10:00", "12:00", "13:00", "14:00", "15:00",
			"16:00"}},
		{"buffers on both sides", func(in *Input) {
			in.Rules.Increment = 30 * time.Minute
			in.Rules.BufferBefore = 15 * time.Minute
			in.Rules.BufferAfter = 15 * time.Minute
			in.Appointments = []Interval{{at(*in, 4, 11, 0), at(*in, 4, 12, 0)}}
		}, append([]string{"09:00", "09:30"}, seq(12, 16, 30)[1:]...)},
		{"busy event", func(in *Input) {
			in.Busy = []Interval{{at(*in, 4, 13, 0), at(*in, 4, 13, 30)}}
		}, []string{"09:00", "10:00", "11:00", "12:00", "14:00", "15:00",
			"16:00"}},
		{"busy events unsorted and overlapping", func(in *Input) {
			in.Busy = []Interval{{at(*in, 4, 15, 0), at(*in, 4, 16, 0)},
				{at(*in, 4, 9, 30), at(*in, 4, 10, 30)},
				{at(*in, 4, 10, 0), at(*in, 4, 11, 0)}}
		}, []string{"11:00", "12:00", "13:00", "14:00", "16:00"}},
		{"minimum notice", func(in *Input) {
			in.Now = at(*in, 4, 8, 0)
			in.Rules.MinNotice = 2 * time.Hour
		}, seq(10, 16, 60)},
		{"notice reaching into a slot skips it", func(in *Input) {
			in.Now = at(*in, 4, 8, 1)
			in.Rules.MinNotice = 2 * time.Hour
		}, seq(11, 16, 60)},
		{"horizon", func(in *Input) {
			in.Now = at(*in, 4, 8, 0)
			in.Rules.Horizon = 4 * time.Hour
		}, []string{"09:00", "10:00", "11:00"}},
		{"daily maximum reached", func(in *Input) {
			in.Rules.DailyMax = 2
			in.Appointments = []Interval{
				{at(*in, 4, 9, 0), at(*in, 4, 10, 0)},
				{at(*in, 4, 14, 0), at(*in, 4, 15, 0)}}
		}, nil},
		{"daily maximum not reached", func(in *Input) {
			in.Rules.DailyMax = 3
			in.Appointments = []Interval{
				{at(*in, 3, 23, 0), at(*in, 4, 0, 0)}, // Sunday
				{at(*in, 4, 9, 0), at(*in, 4, 10, 0)},
				{at(*in, 4, 14, 0), at(*in, 4, 15, 0)}}
		}, []string{"10:00", "11:00", "12:00", "13:00", "15:00", "16:00"}},
		{"override replaces hours", func(in *Input) {
			in.Overrides = []Override{{Date: Date{2024, 3, 4},
				Ranges: []Range{hours(13, 15, Telehealth)}}}
		}, []string{"13:00", "14:00"}},
		{"override closes the day", func(in *Input) {
			in.Overrides = []Override{{Date: Date{2024, 3, 4}}}
		}, nil},
		{"override opens a sunday", func(in *Input) {
			in.From, in.To = at(*in, 3, 0, 0), at(*in, 4, 0, 0)
			in.Overrides = []Override{{Date: Date{2024, 3, 3},
				Ranges: []Range{hours(10, 12, Both)}}}
		}, []string{"10:00", "11:00"}},
		{"one-off time off", func(in *Input) {
			in.TimeOff = []TimeOff{{Start: at(*in, 4, 12, 0),
				End: at(*in, 4, 14, 0)}}
		}, []string{"09:00", "10:00", "11:00", "14:00", "15:00", "16:00"}},
		{"all-day time off", func(in *Input) {
			in.TimeOff = []TimeOff{{Start: time.Date(2024, 3, 4, 0, 0, 0, 0,
				time.UTC), End: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC),
				AllDay: true}}
		}, nil},
		{"multi-day time off ends before the day", func(in *Input) {
			in.TimeOff = []TimeOff{{Start: at(*in, 1, 9, 0),
				End: at(*in, 4, 10, 0)}}
		}, seq(10, 16, 60)},
		{"recurring lunch off", func(in *Input) {
			in.TimeOff = []TimeOff{{Series: &recurrence.Series{
				RRule: "FREQ=WEEKLY;BYDAY=MO,WE", Start: at(*in, 1, 12, 0),
				Location: in.Location, Duration: time.Hour}}}
		}, []string{"09:00", "10:00", "11:00", "13:00", "14:00", "15:00",
			"16:00"}},
		{"recurring all-day off on mondays", func(in *Input) {
			in.TimeOff = []TimeOff{{AllDay: true, Series: &recurrence.Series{
				RRule: "FREQ=WEEKLY", Start: at(*in, 4, 0, 0).AddDate(0, 0, -28),
				Location: in.Location, Duration: 24 * time.Hour}}}
		}, nil},
		{"ranges that touch join", func(in *Input) {
			in.Week[time.Monday] = []Range{hours(12, 14, Office),
				hours(9, 12, Office)}
			in.Duration = 2 * time.Hour
		}, []string{"09:00", "10:00", "11:00", "12:00"}},
		{"ranges of different modes do not join", func(in *Input) {
			in.Week[time.Monday] = []Range{hours(9, 11, Office),
				hours(11, 13, Telehealth)}
			in.Duration = 2 * time.Hour
		}, []string{"09:00", "11:00"}},
		{"window in the past of notice", func(in *Input) {
			in.Now = at(*in, 5, 0, 0)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput(t)
			tt.modify(&in)
			got, err := Compute(in)
			if err != nil {
				t.Fatalf("Compute: %v", err)
			}
			if g := localStarts(got, false); !slices.Equal(g, tt.want) {
				t.Errorf("slots\n got %v\nwant %v", g, tt.want)
			}
			checkSlots(t, in, got)
		})
	}
}

func TestSlotFields(t *testing.T) {
	in := baseInput(t)
	in.Week[time.Monday] = []Range{hours(9, 10, Both),
		hours(10, 11, Telehealth)}
	got, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Slot{
		{Start: time.Date(2024, 3, 4, 14, 0, 0, 0, time.UTC),
			End:  time.Date(2024, 3, 4, 15, 0, 0, 0, time.UTC),
			Mode: Both, OfficeID: "main"},
		{Start: time.Date(2024, 3, 4, 15, 0, 0, 0, time.UTC),
			End:  time.Date(2024, 3, 4, 16, 0, 0, 0, time.UTC),
			Mode: Telehealth},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d slots", len(got))
	}
	for i := range want {
		g := got[i]
		if !g.Start.Equal(want[i].Start) || !g.End.Equal(want[i].End) ||
			g.Start.Location() != time.UTC || g.Mode != want[i].Mode ||
			g.OfficeID != want[i].OfficeID ||
			g.LocalStart.Location() != in.Location ||
			!g.LocalEnd.Equal(g.End) {
			t.Errorf("slot %d = %+v", i, g)
		}
	}
}

// TestComputeDST checks working hours on both sides of daylight-saving
// changes: the local time holds and the UTC instant moves.
func TestComputeDST(t *testing.T) {
	tests := []struct {
		name       string
		zone       string
		day        Date
		from, to   int // working hours
		inc, dur   time.Duration
		wantLocal  []string
		wantFirstZ string
	}{
		{"new york day before spring", "America/New_York", Date{2024, 3, 9},
			9, 11, time.Hour, time.Hour, []string{"09:00", "10:00"},
			"2024-03-09T14:00:00Z"},
		{"new york spring-forward day", "America/New_York", Date{2024, 3, 10},
			9, 11, time.Hour, time.Hour, []string{"09:00", "10:00"},
			"2024-03-10T13:00:00Z"},
		{"new york gap hours are skipped", "America/New_York",
			Date{2024, 3, 10}, 1, 4, 30 * time.Minute, 30 * time.Minute,
			[]string{"01:00", "01:30", "03:00", "03:30"},
			"2024-03-10T06:00:00Z"},
		{"new york fall-back repeated hour once", "America/New_York",
			Date{2024, 11, 3}, 0, 3, time.Hour, time.Hour,
			[]string{"00:00", "01:00", "02:00"}, "2024-11-03T04:00:00Z"},
		{"new york day after fall back", "America/New_York",
			Date{2024, 11, 4}, 9, 10, time.Hour, time.Hour,
			[]string{"09:00"}, "2024-11-04T14:00:00Z"},
		{"london spring-forward day", "Europe/London", Date{2024, 3, 31},
			9, 10, time.Hour, time.Hour, []string{"09:00"},
			"2024-03-31T08:00:00Z"},
		{"london autumn day", "Europe/London", Date{2024, 10, 27},
			9, 10, time.Hour, time.Hour, []string{"09:00"},
			"2024-10-27T09:00:00Z"},
		{"sydney october spring-forward", "Australia/Sydney",
			Date{2024, 10, 6}, 1, 4, time.Hour, time.Hour,
			[]string{"01:00", "03:00"}, "2024-10-05T15:00:00Z"},
		{"sydney april fall-back", "Australia/Sydney", Date{2024, 4, 7},
			9, 10, time.Hour, time.Hour, []string{"09:00"},
			"2024-04-06T23:00:00Z"},
		{"kolkata", "Asia/Kolkata", Date{2024, 3, 10}, 9, 10,
			30 * time.Minute, time.Hour, []string{"09:00"},
			"2024-03-10T03:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			var week Week
			for d := range week {
				week[d] = []Range{hours(tt.from, tt.to, Telehealth)}
			}
			start := midnight(loc, tt.day)
			in := Input{Location: loc, Week: week,
				Rules:    Rules{Increment: tt.inc},
				Duration: tt.dur, From: start,
				To:  midnight(loc, tt.day.AddDays(1)),
				Now: start.AddDate(0, 0, -1)}
			got, err := Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			if g := localStarts(got, false); !slices.Equal(g, tt.wantLocal) {
				t.Fatalf("slots %v, want %v", g, tt.wantLocal)
			}
			if z := got[0].Start.Format(time.RFC3339); z != tt.wantFirstZ {
				t.Errorf("first slot %s, want %s", z, tt.wantFirstZ)
			}
			checkSlots(t, in, got)
		})
	}
}

func TestComputeRejects(t *testing.T) {
	tests := []struct {
		name   string
		modify func(in *Input)
		want   string
	}{
		{"no zone", func(in *Input) { in.Location = nil }, "time zone"},
		{"zero duration", func(in *Input) { in.Duration = 0 }, "duration"},
		{"nine hours", func(in *Input) { in.Duration = 9 * time.Hour },
			"duration"},
		{"odd increment", func(in *Input) {
			in.Rules.Increment = 20 * time.Minute
		}, "increment"},
		{"negative notice", func(in *Input) {
			in.Rules.MinNotice = -time.Hour
		}, "negative"},
		{"huge buffer", func(in *Input) {
			in.Rules.BufferAfter = 5 * time.Hour
		}, "buffers"},
		{"reversed window", func(in *Input) { in.To = in.From }, "window"},
		{"window too long", func(in *Input) {
			in.To = in.From.AddDate(0, 4, 0)
		}, "window"},
		{"no now", func(in *Input) { in.Now = time.Time{} }, "current time"},
		{"overlapping hours", func(in *Input) {
			in.Week[time.Tuesday] = []Range{hours(9, 12, Office),
				hours(11, 13, Telehealth)}
		}, "overlap"},
		{"hours past midnight", func(in *Input) {
			in.Week[time.Tuesday] = []Range{hours(20, 25, Office)}
		}, "within one day"},
		{"office without office", func(in *Input) {
			in.Week[time.Tuesday] = []Range{{Start: time.Hour,
				End: 2 * time.Hour, Mode: Office}}
		}, "need an office"},
		{"telehealth with office", func(in *Input) {
			in.Week[time.Tuesday] = []Range{{Start: time.Hour,
				End: 2 * time.Hour, Mode: Telehealth, OfficeID: "x"}}
		}, "no office"},
		{"no mode", func(in *Input) {
			in.Week[time.Tuesday] = []Range{{Start: time.Hour,
				End: 2 * time.Hour}}
		}, "location mode"},
		{"seconds", func(in *Input) {
			in.Week[time.Tuesday] = []Range{{Start: time.Second,
				End: 2 * time.Hour, Mode: Telehealth}}
		}, "whole minutes"},
		{"bad override", func(in *Input) {
			in.Overrides = []Override{{Date: Date{2024, 3, 4},
				Ranges: []Range{hours(12, 9, Telehealth)}}}
		}, "override 2024-03-04"},
		{"reversed time off", func(in *Input) {
			in.TimeOff = []TimeOff{{Start: in.To, End: in.From}}
		}, "time off 0"},
		{"bad recurring time off", func(in *Input) {
			in.TimeOff = []TimeOff{{Series: &recurrence.Series{
				RRule: "FREQ=HOURLY", Start: in.From,
				Location: in.Location}}}
		}, "time off 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput(t)
			tt.modify(&in)
			_, err := Compute(in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want mention of %q", err, tt.want)
			}
			if tt.name != "bad recurring time off" &&
				!errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestModeNames(t *testing.T) {
	for _, m := range []Mode{Office, Telehealth, Both} {
		got, err := ParseMode(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseMode("phone"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseMode(phone) error %v", err)
	}
}

func TestOverlaps(t *testing.T) {
	base := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	iv := func(fromMin, toMin int) Interval {
		return Interval{base.Add(time.Duration(fromMin) * time.Minute),
			base.Add(time.Duration(toMin) * time.Minute)}
	}
	list := []Interval{iv(120, 180), iv(0, 60)} // unsorted on purpose
	tests := []struct {
		name string
		c    Interval
		want bool
	}{
		{"adjacent after", iv(60, 120), false},
		{"adjacent before", iv(-60, 0), false},
		{"inside", iv(10, 20), true},
		{"covering", iv(-10, 200), true},
		{"overlapping end", iv(170, 240), true},
		{"overlapping start", iv(-30, 1), true},
		{"in the gap", iv(61, 119), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Overlaps(list, tt.c); got != tt.want {
				t.Errorf("Overlaps = %v, want %v", got, tt.want)
			}
		})
	}
	if Overlaps(nil, iv(0, 10)) {
		t.Error("nothing overlaps an empty list")
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2024-02-28")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AddDays(2).String(); got != "2024-03-01" {
		t.Errorf("AddDays = %s", got)
	}
	if d.Weekday() != time.Wednesday || !d.Before(d.AddDays(1)) ||
		d.AddDays(1).Before(d) || d.Before(d) {
		t.Errorf("Weekday/Before wrong for %s", d)
	}
	if _, err := ParseDate("2024-02-30"); err == nil {
		t.Error("ParseDate accepted 30 February")
	}
}
