package jobs

import (
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/clock"
)

func TestRescueAfterCoversClockBehindWall(t *testing.T) {
	tests := []struct {
		name    string
		offset  time.Duration // clock minus wall clock
		atLeast time.Duration
		atMost  time.Duration
	}{
		{"clock ahead", 72 * time.Hour, time.Hour, time.Hour},
		{"clock on time", 0, time.Hour, time.Hour + time.Minute},
		{"clock a week behind", -7 * 24 * time.Hour, 7*24*time.Hour + time.Hour, 7*24*time.Hour + time.Hour + time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rescueAfter(clock.NewFrozen(time.Now().Add(tt.offset)))
			if got < tt.atLeast || got > tt.atMost {
				t.Errorf("rescueAfter = %v, want between %v and %v", got, tt.atLeast, tt.atMost)
			}
		})
	}
}

func TestNoCatchUpSkipsMissedRuns(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clk := clock.NewFrozen(start)
	s := noCatchUp{inner: hourly{}, clk: clk}
	if got := s.Next(start); !got.Equal(start.Add(time.Hour)) {
		t.Errorf("Next before a jump = %v, want %v", got, start.Add(time.Hour))
	}
	clk.Advance(72 * time.Hour)
	if got, want := s.Next(start), start.Add(73*time.Hour); !got.Equal(want) {
		t.Errorf("Next after a jump = %v, want %v", got, want)
	}
}

type hourly struct{}

func (hourly) Next(t time.Time) time.Time { return t.Add(time.Hour) }
