package jobs

import (
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/clock"
)

// riverTime hands Tend's clock to River, both for its own timing and for
// the timestamps it writes, so jobs fall due by Tend's time.
type riverTime struct{ clk clock.Clock }

// Now returns Tend's current time.
func (t riverTime) Now() time.Time { return t.clk.Now() }

// NowOrNil returns Tend's current time; River then passes it to its
// queries instead of letting the database read its own clock.
func (t riverTime) NowOrNil() *time.Time {
	now := t.clk.Now()
	return &now
}

// rescueAfter works around River's job rescuer, which (unlike the rest
// of River) judges a running job stuck by the wall clock while the job
// carries Tend's time. With a demo clock behind the wall clock, River's
// default of one hour would "rescue" every running job and run it twice,
// so the limit grows by how far behind the clock is. Advancing the clock
// only shrinks that gap, so the limit stays safe.
func rescueAfter(clk clock.Clock) time.Duration {
	const normal = time.Hour
	behind := time.Since(clk.Now()) // the wall clock on purpose: see above
	return max(normal, behind+normal)
}

// noCatchUp keeps a periodic job from running once per missed slot
// after the demo clock jumps ahead: the next run after a jump counts
// from now, not from the last run.
type noCatchUp struct {
	inner river.PeriodicSchedule
	clk   clock.Clock
}

// Next returns the next run after t, or after now if that is later.
func (s noCatchUp) Next(t time.Time) time.Time {
	next := s.inner.Next(t)
	if now := s.clk.Now(); next.Before(now) {
		return s.inner.Next(now)
	}
	return next
}
