package jobs

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/clock"
)

// captured records every log record at every level.
type captured struct {
	mu      sync.Mutex
	records []slog.Record
}

func (c *captured) Enabled(context.Context, slog.Level) bool { return true }

func (c *captured) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records = append(c.records, r.Clone())
	return nil
}

func (c *captured) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *captured) WithGroup(string) slog.Handler      { return c }

func (c *captured) all() []slog.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]slog.Record(nil), c.records...)
}

func TestQuietHandlerLowersOnlyKnownRecords(t *testing.T) {
	tests := []struct {
		name  string
		level slog.Level
		msg   string
		attrs []any
		want  slog.Level
	}{
		{"leader deadline", slog.LevelWarn, msgLeaderDeadline, []any{"client_id", "c1"}, slog.LevelDebug},
		{"queue settings not found", slog.LevelError, msgQueueSettings, []any{"err", "not found"}, slog.LevelDebug},
		{"queue row gone", slog.LevelError, msgQueueRowGone, []any{"queue", "default"}, slog.LevelDebug},
		{"queue settings other error", slog.LevelError, msgQueueSettings,
			[]any{"err", "connection refused"}, slog.LevelError},
		{"leader deadline after error", slog.LevelWarn,
			msgLeaderDeadline + " after an error", nil, slog.LevelWarn},
		{"other warning", slog.LevelWarn, "jobexecutor.JobExecutor: Job errored", nil, slog.LevelWarn},
		{"info", slog.LevelInfo, "River client started", nil, slog.LevelInfo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &captured{}
			slog.New(quietHandler{inner: c}).Log(context.Background(), tt.level, tt.msg, tt.attrs...)
			got := c.all()
			if len(got) != 1 {
				t.Fatalf("got %d records, want 1", len(got))
			}
			if got[0].Level != tt.want || got[0].Message != tt.msg || got[0].NumAttrs() != len(tt.attrs)/2 {
				t.Errorf("record = %v %q (%d attrs), want %v %q (%d attrs)", got[0].Level,
					got[0].Message, got[0].NumAttrs(), tt.want, tt.msg, len(tt.attrs)/2)
			}
		})
	}
}

func TestQuietHandlerDropsLoweredBelowInnerLevel(t *testing.T) {
	c := &captured{}
	inner := slog.NewTextHandler(discard{c}, &slog.HandlerOptions{Level: slog.LevelInfo})
	slog.New(quietHandler{inner: inner}).Warn(msgLeaderDeadline)
	if len(c.all()) != 0 {
		t.Error("a lowered record reached a handler that drops DEBUG")
	}
}

// discard counts writes as records so a test can see that none came.
type discard struct{ c *captured }

func (d discard) Write(p []byte) (int, error) {
	d.c.mu.Lock()
	defer d.c.mu.Unlock()
	d.c.records = append(d.c.records, slog.Record{Message: string(p)})
	return len(p), nil
}

func TestRiverConfig(t *testing.T) {
	workers := river.NewWorkers()
	tests := []struct {
		name  string
		clk   clock.Clock
		quiet bool
	}{
		{"system clock", clock.System{}, false},
		{"demo clock", clock.NewFrozen(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger := slog.New(slog.DiscardHandler)
			rc := riverConfig(Config{Clock: tt.clk, Logger: logger, Workers: workers})
			if rc.CompletedJobRetentionPeriod != time.Hour {
				t.Errorf("CompletedJobRetentionPeriod = %v, want 1h", rc.CompletedJobRetentionPeriod)
			}
			_, quiet := rc.Logger.Handler().(quietHandler)
			if quiet != tt.quiet {
				t.Errorf("River logger quiet = %v, want %v", quiet, tt.quiet)
			}
		})
	}
}
