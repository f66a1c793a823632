package clock

import (
	"testing"
	"time"
)

func TestFrozenClock(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("EST", -5*3600))
	c := NewFrozen(start)
	if got := c.Now(); !got.Equal(start) || got.Location() != time.UTC {
		t.Fatalf("Now() = %v, want %v in UTC", got, start)
	}
	tests := []struct {
		name string
		move func() time.Time
		want time.Time
	}{
		{"advance", func() time.Time { return c.Advance(72 * time.Hour) }, start.Add(72 * time.Hour)},
		{"negative advance ignored", func() time.Time { return c.Advance(-time.Hour) }, start.Add(72 * time.Hour)},
		{"set forward", func() time.Time { return c.Set(start.Add(100 * time.Hour)) }, start.Add(100 * time.Hour)},
		{"set backward ignored", func() time.Time { return c.Set(start) }, start.Add(100 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.move(); !got.Equal(tt.want) || !c.Now().Equal(tt.want) {
				t.Errorf("clock = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunningTestClockMoves(t *testing.T) {
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	wall := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	c := newTest(start, func() time.Time { return wall })
	wall = wall.Add(time.Minute)
	if got, want := c.Now(), start.Add(time.Minute); !got.Equal(want) {
		t.Errorf("Now() = %v, want %v: a running test clock keeps wall speed", got, want)
	}
}
