package jobs

import (
	"context"
	"log/slog"
)

// River has one time source for everything it does (Config.Test.Time),
// so with Tend's movable demo clock it also judges its own housekeeping
// by that clock, and two of its checks then misfire whenever the clock
// jumps. Neither affects jobs, and River (v0.51) offers no way to give
// those checks the wall clock while jobs use Tend's time:
//
//   - The leader elector measures how long its lease can be trusted with
//     the same clock. After a jump the lease looks expired, so the leader
//     steps down with a WARN and is at once elected again (it is the only
//     client), restarting River's maintenance services.
//   - The queue cleaner deletes queues whose updated_at (written by Tend's
//     clock) is older than a day by the wall clock. With a demo clock
//     started more than a day in the past it deletes the "default" queue
//     row, and until the producer writes the row again on its next status
//     report, its settings poll logs an ERROR "not found". The row only
//     holds pause/resume settings, which Tend does not use.
//
// quietHandler lowers exactly those records to DEBUG, so an operator of a
// demo sees no warnings or errors for normal use, while any other River
// record, including the same producer error with another cause, keeps its
// level. It is used only with a clock other than clock.System.
type quietHandler struct {
	inner slog.Handler
}

// Known-harmless River messages under a movable clock; see quietHandler.
const (
	msgLeaderDeadline = "leadership.Elector: Current leader stepping down because the reelection deadline elapsed"
	msgQueueSettings  = "producer: Error fetching queue settings"
	msgQueueRowGone   = "producer: Queue row not found when polling for setting changes"
)

// Enabled reports whether the inner handler takes records at level.
func (h quietHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

// Handle passes r on, at DEBUG if it is one of the known-harmless ones.
func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level > slog.LevelDebug && harmless(r) {
		if !h.inner.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		lowered := slog.NewRecord(r.Time, slog.LevelDebug, r.Message, r.PC)
		r.Attrs(func(a slog.Attr) bool {
			lowered.AddAttrs(a)
			return true
		})
		r = lowered
	}
	return h.inner.Handle(ctx, r)
}

// WithAttrs returns a quietHandler over the inner handler with attrs.
func (h quietHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietHandler{inner: h.inner.WithAttrs(attrs)}
}

// WithGroup returns a quietHandler over the inner handler with a group.
func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{inner: h.inner.WithGroup(name)}
}

// harmless reports whether r is one of the records quietHandler lowers.
func harmless(r slog.Record) bool {
	switch r.Message {
	case msgLeaderDeadline, msgQueueRowGone:
		return true
	case msgQueueSettings:
		notFound := false
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "err" {
				notFound = a.Value.String() == "not found"
				return false
			}
			return true
		})
		return notFound
	}
	return false
}
