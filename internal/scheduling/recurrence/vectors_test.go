package recurrence

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// vectorFile is the shape of the published RFC 5545 vectors copied into
// testdata (see testdata/LICENSE.md).
type vectorFile struct {
	Source string   `json:"source"`
	Cases  []vector `json:"cases"`
}

type vector struct {
	Test     string            `json:"test"`
	Desc     string            `json:"description"`
	RRule    string            `json:"rrule"`
	TZID     *string           `json:"tzid"`
	DTStart  json.RawMessage   `json:"dtstart"`
	StartAt  string            `json:"start_at"`
	Expected []json.RawMessage `json:"expected"`
}

// zoned is the form dateutil's vectors use for times with a TZID.
type zoned struct {
	Local  string `json:"local"`
	Offset int    `json:"utc_offset_s"`
	UTC    string `json:"utc"`
}

// skipped lists the in-subset vectors this package does not follow, and
// why. Each is a point where engines disagree, not a bug here.
var skipped = map[string]string{
	"FREQ=YEARLY;BYMONTHDAY=29;COUNT=3 20240229": "libical takes the " +
		"month of a YEARLY;BYMONTHDAY rule from DTSTART; the RFC 5545 " +
		"§3.3.10 table expands BYMONTHDAY over the whole year, as dateutil " +
		"and rrule-go do (see dateutil's testYearlyByMonthDay)",
	"FREQ=YEARLY;BYMONTHDAY=-29,-1;COUNT=4 20240201": "same libical " +
		"reading of YEARLY;BYMONTHDAY as month-of-DTSTART",
	"FREQ=YEARLY;UNTIL=19990101T000000 19970101T000000/19970101T050000Z": "" +
		"the vector's rrule is dateutil's str(), which dropped the Z of " +
		"the test's UNTIL=19990101T000000Z; with a floating UNTIL, " +
		"1999-01-01 00:00 is an instance per RFC 5545. The UTC form is " +
		"checked in TestUntilForms",
}

// unsupported lists rule parts outside the product's subset.
var unsupported = []string{"BYHOUR", "BYMINUTE", "BYSECOND", "BYWEEKNO",
	"BYYEARDAY", "BYMONTH", "RSCALE", "SKIP", "BYEASTER", "FREQ=HOURLY",
	"FREQ=MINUTELY", "FREQ=SECONDLY"}

func inSubset(rule string) bool {
	for _, u := range unsupported {
		if strings.Contains(rule, u+"=") || strings.Contains(rule, u+";") ||
			strings.HasSuffix(rule, u) {
			return false
		}
	}
	return true
}

type tally struct{ passed, adjusted, rejected, rfcRejected, skipped int }

func TestVectors(t *testing.T) {
	for _, name := range []string{"libical-icalrecur-cases.json",
		"dateutil-2.8.2-rrule-cases.json"} {
		t.Run(name, func(t *testing.T) {
			f := loadVectors(t, name)
			var n tally
			for i, c := range f.Cases {
				runVector(t, i, c, &n)
			}
			t.Logf("%s: %d cases: %d passed (%d of them with DTSTART "+
				"added as first instance), %d outside the subset and "+
				"rejected, %d rejected as invalid RFC 5545, %d skipped",
				name, len(f.Cases), n.passed, n.adjusted, n.rejected,
				n.rfcRejected, n.skipped)
		})
	}
}

func loadVectors(t testing.TB, name string) vectorFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

func runVector(t *testing.T, i int, c vector, n *tally) {
	t.Helper()
	loc, start, layout := vectorStart(t, c)
	key := c.RRule + " " + vectorString(t, c.DTStart)
	label := c.Test + c.Desc + " " + key

	_, err := Parse(c.RRule)
	switch {
	case !inSubset(c.RRule):
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d %s: Parse accepted a rule outside the "+
				"subset", i, label)
		}
		n.rejected++
		return
	case err != nil && strings.Contains(c.RRule, "FREQ=WEEKLY") &&
		strings.Contains(c.RRule, "BYMONTHDAY"):
		// RFC 5545 §3.3.10: BYMONTHDAY MUST NOT be used with WEEKLY.
		n.rfcRejected++
		return
	case err != nil:
		t.Errorf("case %d %s: Parse: %v", i, label, err)
		return
	case skipped[key] != "":
		n.skipped++
		return
	}

	s := Series{RRule: c.RRule, Start: start, Location: loc}
	want := make([]string, len(c.Expected))
	for j, e := range c.Expected {
		want[j] = vectorString(t, e)
	}
	got := firstN(t, s, len(want)+1, layout)

	// dateutil leaves out a DTSTART its rule does not produce; RFC 5545
	// §3.3.10 makes it the first instance, counted by COUNT.
	startStr := formatOcc(Occurrence{Start: start.UTC(),
		LocalStart: start.In(loc)}, layout)
	adjusted := len(want) > 0 && want[0] != startStr
	if adjusted {
		if len(got) == 0 || got[0] != startStr {
			t.Errorf("case %d %s: first instance %v, want DTSTART %s", i,
				label, got, startStr)
			return
		}
		got = got[1:]
		if len(got) < len(want) {
			want = want[:len(got)]
		}
	}
	if !bounded(c.RRule) && len(got) > len(want) {
		got = got[:len(want)]
	}
	if !slices.Equal(got, want) {
		t.Errorf("case %d %s:\n got %v\nwant %v", i, label, got, want)
		return
	}
	if c.StartAt != "" {
		checkStartAt(t, s, c, want, layout)
	}
	n.passed++
	if adjusted {
		n.adjusted++
	}
}

// checkStartAt expands from the case's start_at and expects the suffix of
// the full list from there on.
func checkStartAt(t *testing.T, s Series, c vector, want []string,
	layout string) {
	t.Helper()
	from, err := time.ParseInLocation("20060102T150405", c.StartAt, s.Location)
	if err != nil {
		t.Fatal(err)
	}
	occs, err := Expand(s, from, from.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range occs {
		got = append(got, formatOcc(o, layout))
	}
	var suffix []string
	for _, w := range want {
		if w >= c.StartAt {
			suffix = append(suffix, w)
		}
	}
	if !slices.Equal(got, suffix) {
		t.Errorf("%s from %s: got %v, want %v", c.RRule, c.StartAt, got,
			suffix)
	}
}

func bounded(rule string) bool {
	return strings.Contains(rule, "COUNT=") || strings.Contains(rule, "UNTIL=")
}

func firstN(t *testing.T, s Series, n int, layout string) []string {
	t.Helper()
	seq, err := Occurrences(s)
	if err != nil {
		t.Fatalf("Occurrences(%q): %v", s.RRule, err)
	}
	var out []string
	for o := range seq {
		out = append(out, formatOcc(o, layout))
		if len(out) == n {
			break
		}
	}
	return out
}

// Layouts for the three ways vectors write times; "zoned" prints local
// time and UTC together like dateutil's objects.
const (
	layoutFloating = "20060102T150405"
	layoutUTC      = "20060102T150405Z"
	layoutDate     = "20060102"
	layoutZoned    = "zoned"
)

func formatOcc(o Occurrence, layout string) string {
	switch layout {
	case layoutUTC:
		return o.Start.UTC().Format(layoutUTC)
	case layoutZoned:
		return o.LocalStart.Format(layoutFloating) + "/" +
			o.Start.UTC().Format(layoutUTC)
	default:
		return o.LocalStart.Format(layout)
	}
}

func vectorString(t testing.TB, raw json.RawMessage) string {
	t.Helper()
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var z zoned
	if err := json.Unmarshal(raw, &z); err != nil {
		t.Fatalf("bad expected value %s", raw)
	}
	return z.Local + "/" + z.UTC
}

// vectorStart returns the case's time zone, DTSTART and output layout.
// Floating times run in UTC, where wall clock and instant agree.
func vectorStart(t testing.TB, c vector) (*time.Location, time.Time, string) {
	t.Helper()
	var s string
	if json.Unmarshal(c.DTStart, &s) == nil {
		layout := layoutFloating
		switch {
		case strings.HasSuffix(s, "Z"):
			layout = layoutUTC
		case len(s) == 8:
			layout = layoutDate
		}
		start, err := time.Parse(layout, s)
		if err != nil {
			t.Fatalf("dtstart %q: %v", s, err)
		}
		return time.UTC, start, layout
	}
	var z zoned
	if err := json.Unmarshal(c.DTStart, &z); err != nil {
		t.Fatalf("dtstart %s: %v", c.DTStart, err)
	}
	loc := time.FixedZone("vector", z.Offset)
	if c.TZID != nil && !strings.Contains(*c.TZID, "(") {
		var err error
		if loc, err = time.LoadLocation(*c.TZID); err != nil {
			t.Fatal(err)
		}
	}
	start, err := time.ParseInLocation(layoutFloating, z.Local, loc)
	if err != nil {
		t.Fatal(err)
	}
	return loc, start, layoutZoned
}
