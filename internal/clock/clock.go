// Package clock provides the time source that all domain code reads.
//
// Nothing outside this package calls time.Now for a business decision:
// the server hands a Clock to every area, so tests and demo mode can pin
// or move time and see reminders, expiring invoices and payouts happen.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current instant.
type Clock interface {
	Now() time.Time
}

// System is the wall clock.
type System struct{}

// Now returns the current wall-clock time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Test is a clock that starts at a chosen instant and then keeps running
// at wall-clock speed, so a demo started "on Monday morning" behaves like
// a real Monday morning. Advance jumps it forward.
type Test struct {
	mu     sync.Mutex
	offset time.Duration
	wall   func() time.Time
}

// NewTest returns a test clock that reads start now.
func NewTest(start time.Time) *Test {
	return newTest(start, time.Now)
}

// NewFrozen returns a test clock that does not move on its own: it
// reads start until Advance or Set moves it. Tests use it.
func NewFrozen(start time.Time) *Test {
	return newTest(start, func() time.Time { return start })
}

func newTest(start time.Time, wall func() time.Time) *Test {
	return &Test{offset: start.Sub(wall()), wall: wall}
}

// Now returns the clock's current instant in UTC.
func (c *Test) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall().Add(c.offset).UTC()
}

// Advance moves the clock forward by d. Negative durations are ignored:
// time on a test clock never runs backwards, as jobs and audit entries
// already written depend on it.
func (c *Test) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.offset += d
	}
	return c.wall().Add(c.offset).UTC()
}

// Set moves the clock to t if t is later than the current reading.
func (c *Test) Set(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := c.wall().Add(c.offset); t.After(now) {
		c.offset += t.Sub(now)
	}
	return c.wall().Add(c.offset).UTC()
}
