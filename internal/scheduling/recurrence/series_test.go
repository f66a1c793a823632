package recurrence

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// utcStarts expands s fully and returns the starts in UTC, RFC 3339.
func utcStarts(t testing.TB, s Series) []string {
	t.Helper()
	seq, err := Occurrences(s)
	if err != nil {
		t.Fatalf("Occurrences: %v", err)
	}
	var out []string
	for o := range seq {
		out = append(out, o.Start.Format(time.RFC3339))
		if len(out) > 1000 {
			t.Fatal("series does not end")
		}
	}
	return out
}

// TestDST checks that a series keeps its local wall-clock time across
// daylight-saving changes, and that times in a gap or an overlap follow
// RFC 5545 §3.3.5, in both hemispheres and in a zone without DST.
func TestDST(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		start [5]int // year, month, day, hour, minute (local)
		rule  string
		want  []string
		kinds []wallclock.Kind // optional, per occurrence
	}{
		{"new york weekly 10:00 across spring forward", "America/New_York",
			[5]int{2024, 3, 5, 10, 0}, "FREQ=WEEKLY;COUNT=2",
			[]string{"2024-03-05T15:00:00Z", "2024-03-12T14:00:00Z"}, nil},
		{"new york weekly 10:00 across fall back", "America/New_York",
			[5]int{2024, 10, 29, 10, 0}, "FREQ=WEEKLY;COUNT=2",
			[]string{"2024-10-29T14:00:00Z", "2024-11-05T15:00:00Z"}, nil},
		{"new york daily 02:30 through the gap", "America/New_York",
			[5]int{2024, 3, 9, 2, 30}, "FREQ=DAILY;COUNT=3",
			[]string{"2024-03-09T07:30:00Z", "2024-03-10T07:30:00Z",
				"2024-03-11T06:30:00Z"},
			[]wallclock.Kind{wallclock.Normal, wallclock.Gap,
				wallclock.Normal}},
		{"new york daily 01:30 through the overlap", "America/New_York",
			[5]int{2024, 11, 2, 1, 30}, "FREQ=DAILY;COUNT=3",
			[]string{"2024-11-02T05:30:00Z", "2024-11-03T05:30:00Z",
				"2024-11-04T06:30:00Z"},
			[]wallclock.Kind{wallclock.Normal, wallclock.Ambiguous,
				wallclock.Normal}},
		{"london weekly sunday 10:00 across spring", "Europe/London",
			[5]int{2024, 3, 24, 10, 0}, "FREQ=WEEKLY;COUNT=2",
			[]string{"2024-03-24T10:00:00Z", "2024-03-31T09:00:00Z"}, nil},
		{"london weekly across autumn", "Europe/London",
			[5]int{2024, 10, 20, 10, 0}, "FREQ=WEEKLY;COUNT=2",
			[]string{"2024-10-20T09:00:00Z", "2024-10-27T10:00:00Z"}, nil},
		{"london daily 01:30 into the gap", "Europe/London",
			[5]int{2024, 3, 30, 1, 30}, "FREQ=DAILY;COUNT=2",
			[]string{"2024-03-30T01:30:00Z", "2024-03-31T01:30:00Z"},
			[]wallclock.Kind{wallclock.Normal, wallclock.Gap}},
		{"sydney weekly across april fall back", "Australia/Sydney",
			[5]int{2024, 4, 1, 10, 0}, "FREQ=WEEKLY;COUNT=2",
			[]string{"2024-03-31T23:00:00Z", "2024-04-08T00:00:00Z"}, nil},
		{"sydney weekly across october spring", "Australia/Sydney",
			[5]int{2024, 9, 30, 10, 0}, "FREQ=WEEKLY;COUNT=2",
			[]string{"2024-09-30T00:00:00Z", "2024-10-06T23:00:00Z"}, nil},
		{"sydney daily 02:30 into the october gap", "Australia/Sydney",
			[5]int{2024, 10, 5, 2, 30}, "FREQ=DAILY;COUNT=2",
			[]string{"2024-10-04T16:30:00Z", "2024-10-05T16:30:00Z"},
			[]wallclock.Kind{wallclock.Normal, wallclock.Gap}},
		{"sydney april 02:30 takes first", "Australia/Sydney",
			[5]int{2024, 4, 6, 2, 30}, "FREQ=DAILY;COUNT=2",
			[]string{"2024-04-05T15:30:00Z", "2024-04-06T15:30:00Z"},
			[]wallclock.Kind{wallclock.Normal, wallclock.Ambiguous}},
		{"kolkata weekly never moves", "Asia/Kolkata",
			[5]int{2024, 3, 5, 10, 0}, "FREQ=WEEKLY;COUNT=3",
			[]string{"2024-03-05T04:30:00Z", "2024-03-12T04:30:00Z",
				"2024-03-19T04:30:00Z"}, nil},
		{"new york second tuesday across spring", "America/New_York",
			[5]int{2024, 2, 13, 9, 0}, "FREQ=MONTHLY;BYDAY=2TU;COUNT=2",
			[]string{"2024-02-13T14:00:00Z", "2024-03-12T13:00:00Z"}, nil},
		{"new york until utc stops on the instant", "America/New_York",
			[5]int{2024, 3, 5, 10, 0},
			"FREQ=WEEKLY;UNTIL=20240312T140000Z",
			[]string{"2024-03-05T15:00:00Z", "2024-03-12T14:00:00Z"}, nil},
		{"one-off", "Europe/London", [5]int{2024, 6, 3, 9, 0}, "",
			[]string{"2024-06-03T08:00:00Z"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			st := time.Date(tt.start[0], time.Month(tt.start[1]),
				tt.start[2], tt.start[3], tt.start[4], 0, 0, loc)
			s := Series{RRule: tt.rule, Start: st, Location: loc,
				Duration: 50 * time.Minute}
			if got := utcStarts(t, s); !slices.Equal(got, tt.want) {
				t.Fatalf("starts\n got %v\nwant %v", got, tt.want)
			}
			occs, err := Expand(s, st.Add(-time.Hour), st.AddDate(1, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range occs {
				if o.End.Sub(o.Start) != 50*time.Minute {
					t.Errorf("occurrence %d lasts %v", i, o.End.Sub(o.Start))
				}
				if o.LocalStart.Location() != loc || !o.LocalStart.Equal(o.Start) {
					t.Errorf("occurrence %d local start %v", i, o.LocalStart)
				}
				if tt.kinds != nil && o.Kind != tt.kinds[i] {
					t.Errorf("occurrence %d kind %v, want %v", i, o.Kind,
						tt.kinds[i])
				}
				if tt.kinds == nil && o.LocalStart.Hour() != tt.start[3] {
					t.Errorf("occurrence %d at %v, want hour %d", i,
						o.LocalStart, tt.start[3])
				}
			}
		})
	}
}

func TestUntilForms(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	start := time.Date(1997, 1, 1, 0, 0, 0, 0, ny)
	tests := []struct {
		name, rule string
		want       int
	}{
		// dateutil's testStrUntilWithTZ, with its original UTC UNTIL.
		{"utc until before local midnight", "FREQ=YEARLY;UNTIL=19990101T000000Z", 2},
		{"floating until is local and inclusive", "FREQ=YEARLY;UNTIL=19990101T000000", 3},
		{"date until includes that day", "FREQ=YEARLY;UNTIL=19990101", 3},
		{"date until before the day", "FREQ=YEARLY;UNTIL=19981231", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Series{RRule: tt.rule, Start: start, Location: ny}
			if got := utcStarts(t, s); len(got) != tt.want {
				t.Errorf("got %v, want %d occurrences", got, tt.want)
			}
		})
	}
}

func TestExpandWindowAndExDates(t *testing.T) {
	loc := mustLoad(t, "Europe/London")
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, loc)
	s := Series{RRule: "FREQ=DAILY;COUNT=10", Start: start, Location: loc,
		Duration: time.Hour,
		ExDates:  []time.Time{start.AddDate(0, 0, 3).UTC()}}
	tests := []struct {
		name     string
		from, to time.Time
		want     []int // indexes
	}{
		{"all", start, start.AddDate(0, 1, 0), []int{0, 1, 2, 4, 5, 6, 7, 8, 9}},
		{"overlapping start counts", start.Add(30 * time.Minute),
			start.AddDate(0, 0, 1).Add(time.Minute), []int{0, 1}},
		{"end is exclusive", start.Add(time.Hour), start.AddDate(0, 0, 1),
			nil},
		{"excluded day", start.AddDate(0, 0, 3), start.AddDate(0, 0, 4), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			occs, err := Expand(s, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, o := range occs {
				got = append(got, o.Index)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("indexes %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSeriesErrors(t *testing.T) {
	loc := mustLoad(t, "Europe/London")
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, loc)
	tests := []struct {
		name string
		s    Series
		want error
	}{
		{"no zone", Series{Start: start}, ErrSeries},
		{"no start", Series{Location: loc}, ErrSeries},
		{"negative duration", Series{Start: start, Location: loc,
			Duration: -time.Minute}, ErrSeries},
		{"bad rule", Series{RRule: "FREQ=HOURLY", Start: start,
			Location: loc}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Expand(tt.s, start, start.AddDate(0, 1, 0)); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}
