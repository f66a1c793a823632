package recurrence

import (
	"errors"
	"testing"
	"time"
)

func TestBuild(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	// Tuesday 12 March 2024 is the second Tuesday; 26 March the last.
	second := time.Date(2024, 3, 12, 10, 0, 0, 0, ny)
	fourth := time.Date(2024, 3, 26, 10, 0, 0, 0, ny)
	fifth := time.Date(2024, 4, 30, 10, 0, 0, 0, ny)
	until := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		plan  Plan
		start time.Time
		want  string
	}{
		{"once", Plan{Pattern: Once}, second, ""},
		{"weekly count", Plan{Pattern: Weekly, Count: 10}, second,
			"FREQ=WEEKLY;COUNT=10"},
		{"every 2 weeks", Plan{Pattern: Biweekly, Count: 6}, second,
			"FREQ=WEEKLY;INTERVAL=2;COUNT=6"},
		{"every 4 weeks until", Plan{Pattern: Every4Weeks, Until: until},
			second, "FREQ=WEEKLY;INTERVAL=4;UNTIL=20240701T035959Z"},
		{"second tuesday", Plan{Pattern: Monthly, Count: 6}, second,
			"FREQ=MONTHLY;COUNT=6;BYDAY=2TU"},
		{"fourth tuesday", Plan{Pattern: Monthly, Count: 6}, fourth,
			"FREQ=MONTHLY;COUNT=6;BYDAY=4TU"},
		{"last tuesday on request", Plan{Pattern: Monthly, Count: 6,
			Last: true}, fourth, "FREQ=MONTHLY;COUNT=6;BYDAY=-1TU"},
		{"fifth tuesday becomes last", Plan{Pattern: Monthly, Count: 3},
			fifth, "FREQ=MONTHLY;COUNT=3;BYDAY=-1TU"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Build(tt.plan, tt.start, ny)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if got != tt.want {
				t.Errorf("Build = %q, want %q", got, tt.want)
			}
			if got == "" {
				return
			}
			// The first instance is the start itself (rule synchronised).
			seq, err := Occurrences(Series{RRule: got, Start: tt.start,
				Location: ny})
			if err != nil {
				t.Fatal(err)
			}
			var n int
			var last time.Time
			for o := range seq {
				if n == 0 && !o.Start.Equal(tt.start) {
					t.Errorf("first occurrence %v", o.Start)
				}
				if o.LocalStart.Hour() != 10 {
					t.Errorf("occurrence at %v, want 10:00 local", o.LocalStart)
				}
				last = o.LocalStart
				n++
			}
			if tt.plan.Count > 0 && n != tt.plan.Count {
				t.Errorf("%d occurrences, want %d", n, tt.plan.Count)
			}
			// Every 4 weeks from 12 March: the last before 1 July is 4 June.
			if !tt.plan.Until.IsZero() &&
				last.Format(time.DateOnly) != "2024-06-04" {
				t.Errorf("last occurrence %v, want 2024-06-04", last)
			}
		})
	}
}

func TestBuildRejects(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	second := time.Date(2024, 3, 12, 10, 0, 0, 0, ny)
	tests := []struct {
		name  string
		plan  Plan
		start time.Time
	}{
		{"unknown pattern", Plan{Pattern: "daily", Count: 2}, second},
		{"no end", Plan{Pattern: Weekly}, second},
		{"count and until", Plan{Pattern: Weekly, Count: 2,
			Until: second.AddDate(0, 1, 0)}, second},
		{"count too large", Plan{Pattern: Weekly, Count: MaxCount + 1}, second},
		{"until before start", Plan{Pattern: Weekly,
			Until: second.AddDate(0, 0, -1)}, second},
		{"until too far", Plan{Pattern: Weekly,
			Until: second.AddDate(6, 0, 0)}, second},
		{"last not in last week", Plan{Pattern: Monthly, Count: 2,
			Last: true}, second},
		{"last on weekly", Plan{Pattern: Weekly, Count: 2, Last: true}, second},
		{"once with count", Plan{Pattern: Once, Count: 3}, second},
		{"no start", Plan{Pattern: Weekly, Count: 2}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Build(tt.plan, tt.start, ny); !errors.Is(err, ErrInvalid) {
				t.Errorf("Build error %v, want ErrInvalid", err)
			}
		})
	}
}
