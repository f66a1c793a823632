package wallclock

import (
	"testing"
	"time"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// TestResolve pins RFC 5545 §3.3.5 on both sides of daylight-saving
// changes in both hemispheres and in a zone without them.
func TestResolve(t *testing.T) {
	tests := []struct {
		name string
		zone string
		wall Time
		want string // instant, RFC 3339 in UTC
		kind Kind
	}{
		{"new york before spring gap", "America/New_York",
			Time{2024, 3, 10, 1, 30, 0}, "2024-03-10T06:30:00Z", Normal},
		{"new york in spring gap uses offset before", "America/New_York",
			Time{2024, 3, 10, 2, 30, 0}, "2024-03-10T07:30:00Z", Gap},
		{"new york gap start", "America/New_York",
			Time{2024, 3, 10, 2, 0, 0}, "2024-03-10T07:00:00Z", Gap},
		{"new york after spring gap", "America/New_York",
			Time{2024, 3, 10, 3, 0, 0}, "2024-03-10T07:00:00Z", Normal},
		{"new york fall-back takes first", "America/New_York",
			Time{2024, 11, 3, 1, 30, 0}, "2024-11-03T05:30:00Z", Ambiguous},
		{"new york after fall-back", "America/New_York",
			Time{2024, 11, 3, 2, 0, 0}, "2024-11-03T07:00:00Z", Normal},
		{"london in spring gap", "Europe/London",
			Time{2024, 3, 31, 1, 30, 0}, "2024-03-31T01:30:00Z", Gap},
		{"london fall-back takes first", "Europe/London",
			Time{2024, 10, 27, 1, 30, 0}, "2024-10-27T00:30:00Z", Ambiguous},
		{"sydney in spring gap (october)", "Australia/Sydney",
			Time{2024, 10, 6, 2, 30, 0}, "2024-10-05T16:30:00Z", Gap},
		{"sydney fall-back takes first (april)", "Australia/Sydney",
			Time{2024, 4, 7, 2, 30, 0}, "2024-04-06T15:30:00Z", Ambiguous},
		{"sydney winter", "Australia/Sydney",
			Time{2024, 7, 1, 9, 0, 0}, "2024-06-30T23:00:00Z", Normal},
		{"kolkata has no changes", "Asia/Kolkata",
			Time{2024, 3, 10, 2, 30, 0}, "2024-03-09T21:00:00Z", Normal},
		{"lord howe half-hour gap", "Australia/Lord_Howe",
			Time{2024, 10, 6, 2, 15, 0}, "2024-10-05T15:45:00Z", Gap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			got, kind := Resolve(loc, tt.wall)
			if g := got.UTC().Format(time.RFC3339); g != tt.want ||
				kind != tt.kind {
				t.Errorf("Resolve(%v) = %s %v, want %s %v", tt.wall, g, kind,
					tt.want, tt.kind)
			}
			if kind == Normal || kind == Ambiguous {
				if back := Of(got.In(loc)); back != tt.wall {
					t.Errorf("round trip: %v, want %v", back, tt.wall)
				}
			}
		})
	}
}

func TestInAndFloating(t *testing.T) {
	loc := mustLoad(t, "Europe/London")
	w := Time{2024, 6, 1, 9, 15, 30}
	got := In(loc, w)
	if got.Location() != loc || Of(got) != w {
		t.Errorf("In = %v, want wall %v in London", got, w)
	}
	if f := w.Floating(); f.Location() != time.UTC || Of(f) != w {
		t.Errorf("Floating = %v", f)
	}
	for k, want := range map[Kind]string{Normal: "normal", Gap: "gap",
		Ambiguous: "ambiguous"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q", k, k.String())
		}
	}
}
