package recurrence

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// starts returns every occurrence start of the given series, merged and
// sorted, as RFC 3339 strings.
func starts(t testing.TB, ss ...Series) []string {
	t.Helper()
	var out []string
	for _, s := range ss {
		out = append(out, utcStarts(t, s)...)
	}
	slices.Sort(out)
	return out
}

func editSeries(t testing.TB) Series {
	t.Helper()
	ny := mustLoad(t, "America/New_York")
	return Series{RRule: "FREQ=WEEKLY;COUNT=12",
		Start:    time.Date(2024, 2, 20, 10, 0, 0, 0, ny),
		Location: ny, Duration: 50 * time.Minute}
}

// TestSplitKeepsEveryOccurrence splits a series at each occurrence, with
// COUNT and with UNTIL rules, and checks that the two halves together
// produce exactly the original occurrences.
func TestSplitKeepsEveryOccurrence(t *testing.T) {
	base := editSeries(t)
	withUntil := base
	withUntil.RRule = "FREQ=WEEKLY;UNTIL=20240507T140000Z"
	withEx := base
	withEx.ExDates = []time.Time{base.Start.AddDate(0, 0, 14).UTC(),
		base.Start.AddDate(0, 0, 49).UTC()}
	for _, tt := range []struct {
		name string
		s    Series
	}{{"count", base}, {"until", withUntil}, {"count with exdates", withEx}} {
		t.Run(tt.name, func(t *testing.T) {
			want := starts(t, tt.s)
			seq, _ := Occurrences(tt.s)
			for o := range seq {
				if o.Index == 0 {
					continue
				}
				head, tail, err := Split(tt.s, o.Start)
				if err != nil {
					t.Fatalf("Split at %d: %v", o.Index, err)
				}
				got := starts(t, head, tail)
				if !slices.Equal(got, want) {
					t.Fatalf("split at %d:\n got %v\nwant %v", o.Index, got,
						want)
				}
				if !tail.Start.Equal(o.Start) {
					t.Errorf("tail starts %v, want %v", tail.Start, o.Start)
				}
				if h := starts(t, head); h[len(h)-1] >= o.Start.Format(time.RFC3339) {
					t.Errorf("head reaches %s", h[len(h)-1])
				}
			}
		})
	}
}

func TestSplitRemainingCount(t *testing.T) {
	s := editSeries(t)
	at := s.Start.AddDate(0, 0, 7*4) // index 4 (fifth session)
	head, tail, err := Split(s, at)
	if err != nil {
		t.Fatal(err)
	}
	if tail.RRule != "FREQ=WEEKLY;COUNT=8" {
		t.Errorf("tail rule %q, want COUNT=8", tail.RRule)
	}
	if head.RRule != "FREQ=WEEKLY;UNTIL=20240319T135959Z" {
		t.Errorf("head rule %q", head.RRule)
	}
}

func TestEditErrors(t *testing.T) {
	s := editSeries(t)
	s.ExDates = []time.Time{s.Start.AddDate(0, 0, 7).UTC()}
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"split at first", func() error {
			_, _, err := Split(s, s.Start)
			return err
		}, ErrSeries},
		{"split off the rule", func() error {
			_, _, err := Split(s, s.Start.Add(time.Hour))
			return err
		}, ErrNoOccurrence},
		{"split at excluded", func() error {
			_, _, err := Split(s, s.ExDates[0])
			return err
		}, ErrNoOccurrence},
		{"detach excluded", func() error {
			_, _, err := Detach(s, s.ExDates[0])
			return err
		}, ErrNoOccurrence},
		{"move onto a sibling", func() error {
			_, _, err := Move(s, s.Start.AddDate(0, 0, 14),
				s.Start.AddDate(0, 0, 21).Add(30*time.Minute))
			return err
		}, ErrCollides},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

// TestMoveOneNeverDuplicatesOrLoses moves each occurrence in turn (to
// the next day, and across a DST change) and checks that the series plus
// the moved occurrence hold the same number of sessions, all distinct,
// with only the moved one changed.
func TestMoveOneNeverDuplicatesOrLoses(t *testing.T) {
	s := editSeries(t)
	orig := starts(t, s)
	seq, _ := Occurrences(s)
	for o := range seq {
		for _, shift := range []time.Duration{24 * time.Hour, -2 * time.Hour,
			3 * 24 * time.Hour} {
			rest, moved, err := Move(s, o.Start, o.Start.Add(shift))
			if err != nil {
				t.Fatalf("Move %d by %v: %v", o.Index, shift, err)
			}
			got := starts(t, rest)
			if len(got) != len(orig)-1 || slices.Contains(got,
				o.Start.Format(time.RFC3339)) {
				t.Fatalf("move %d: rest %v", o.Index, got)
			}
			all := append(got, moved.Start.Format(time.RFC3339))
			slices.Sort(all)
			if len(slices.Compact(all)) != len(orig) {
				t.Fatalf("move %d: duplicates in %v", o.Index, all)
			}
			if moved.Index != o.Index || moved.End.Sub(moved.Start) != s.Duration {
				t.Errorf("moved %+v", moved)
			}
			// Moving a second occurrence of the already edited series
			// keeps the first exclusion.
			if o.Index > 0 {
				rest2, _, err := Move(rest, s.Start, s.Start.Add(shift))
				if err != nil {
					t.Fatalf("second move: %v", err)
				}
				if n := len(starts(t, rest2)); n != len(orig)-2 {
					t.Fatalf("after two moves %d remain", n)
				}
			}
		}
	}
}

func TestDetachLeavesOthers(t *testing.T) {
	s := editSeries(t)
	at := s.Start.AddDate(0, 0, 21)
	rest, o, err := Detach(s, at)
	if err != nil {
		t.Fatal(err)
	}
	if !o.Start.Equal(at) || o.Index != 3 {
		t.Errorf("detached %+v", o)
	}
	if len(s.ExDates) != 0 {
		t.Error("Detach changed the caller's ExDates")
	}
	want := slices.DeleteFunc(starts(t, s), func(v string) bool {
		return v == at.UTC().Format(time.RFC3339)
	})
	if got := starts(t, rest); !slices.Equal(got, want) {
		t.Errorf("rest %v, want %v", got, want)
	}
}
