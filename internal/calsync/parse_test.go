package calsync

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readTestdata reads one of the project's copies of an outside export.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return data
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04Z", s)
	if err != nil {
		panic(err)
	}
	return t
}

// span is a compact expected interval: start and end in UTC.
type want struct{ start, end string }

func TestParseRealExports(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		file     string
		from, to string
		loc      *time.Location
		want     []want
		allDay   bool
		transp   bool
	}{
		{
			// Google Calendar: UTC times.
			file: "x_wr_timezone_simple_events_issue_59.ics", from: "2021-12-01T00:00Z", to: "2022-01-01T00:00Z",
			want: []want{{"2021-12-22T17:00Z", "2021-12-22T18:00Z"}, {"2021-12-23T02:00Z", "2021-12-23T03:00Z"}},
		},
		{
			// Nextcloud/SabreDAV: weekly in Europe/Berlin, COUNT=8, one
			// EXDATE given in UTC; the series crosses the March DST change.
			file: "each_week_but_one_deleted.ics", from: "2019-03-01T00:00Z", to: "2019-05-01T00:00Z",
			want: []want{
				{"2019-03-03T23:30Z", "2019-03-04T00:00Z"},
				{"2019-03-17T23:30Z", "2019-03-18T00:00Z"},
				{"2019-03-24T23:30Z", "2019-03-25T00:00Z"},
				{"2019-03-31T22:30Z", "2019-03-31T23:00Z"}, // CEST from 31 March
				{"2019-04-07T22:30Z", "2019-04-07T23:00Z"},
				{"2019-04-14T22:30Z", "2019-04-14T23:00Z"},
				{"2019-04-21T22:30Z", "2019-04-21T23:00Z"},
			},
		},
		{
			// Thunderbird: RECURRENCE-ID overrides, one moved an hour
			// earlier, one of zero length (takes no time), one later.
			file: "recurring_events_moved.ics", from: "2019-03-01T00:00Z", to: "2019-04-01T00:00Z",
			want: []want{
				{"2019-03-07T01:00Z", "2019-03-07T02:00Z"},
				{"2019-03-08T00:00Z", "2019-03-08T01:00Z"}, // moved to 01:00 local
				{"2019-03-09T02:00Z", "2019-03-09T03:00Z"}, // moved to 03:00 local
				{"2019-03-10T01:00Z", "2019-03-10T02:00Z"}, // UNTIL is inclusive
				{"2019-03-18T03:00Z", "2019-03-18T04:00Z"},
				{"2019-03-19T03:00Z", "2019-03-19T04:00Z"}, // the edited one
				{"2019-03-20T03:00Z", "2019-03-20T04:00Z"},
			},
		},
		{
			// Exchange with a Windows zone name as TZID.
			file: "issue_836_do_not_quote_tzid.ics", from: "2024-10-01T00:00Z", to: "2024-11-01T00:00Z",
			want: []want{{"2024-10-28T21:00Z", "2024-10-28T22:00Z"}},
		},
		{
			// Exchange all-day, two alternating fortnightly series marked
			// free, one occurrence moved from Thursday 3 to Friday 4
			// September by a RECURRENCE-ID written as London midnight; UTC
			// UNTILs that mean "through the 17th/24th" in London. Whole
			// days in the provider's zone, returned as transparent.
			file: "issue_28_rrule_with_UTC_endinginZ.ics", from: "2020-09-01T00:00Z", to: "2020-09-30T00:00Z",
			loc: ny, allDay: true, transp: true,
			want: []want{
				{"2020-09-04T04:00Z", "2020-09-05T04:00Z"},
				{"2020-09-10T04:00Z", "2020-09-11T04:00Z"},
				{"2020-09-17T04:00Z", "2020-09-18T04:00Z"},
				{"2020-09-24T04:00Z", "2020-09-25T04:00Z"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := Parse(readTestdata(t, tc.file), ParseOptions{From: utc(tc.from), To: utc(tc.to), Location: tc.loc})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d intervals, want %d: %v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				g := got[i]
				if !g.Start.Equal(utc(w.start)) || !g.End.Equal(utc(w.end)) {
					t.Errorf("interval %d = %s..%s, want %s..%s", i, g.Start.Format(time.RFC3339),
						g.End.Format(time.RFC3339), w.start, w.end)
				}
				if g.AllDay != tc.allDay || g.Transparent != tc.transp {
					t.Errorf("interval %d all_day=%v transparent=%v, want %v %v", i, g.AllDay, g.Transparent, tc.allDay, tc.transp)
				}
			}
		})
	}
}

func TestParseCustomVTimezone(t *testing.T) {
	// tzurl.org's Fiji definition under a TZID Go does not know, so the
	// zone is built from the VTIMEZONE itself; checked against Go's own
	// Pacific/Fiji on both sides of the 2014/15 summer time.
	data := string(readTestdata(t, "pacific_fiji.ics"))
	begin, end := strings.Index(data, "BEGIN:VTIMEZONE"), strings.Index(data, "END:VTIMEZONE")
	if begin < 0 || end < 0 {
		t.Fatal("no VTIMEZONE in pacific_fiji.ics")
	}
	vtz := strings.TrimSpace(data[begin : end+len("END:VTIMEZONE")])
	fiji := mustZone(t, "Pacific/Fiji")
	for _, local := range []string{"20140829T080000", "20141215T080000", "20150301T080000"} {
		body := cal(vtz, "BEGIN:VEVENT", "UID:f", "DTSTART;TZID=custom_Pacific/Fiji:"+local, "DURATION:PT1H", "END:VEVENT")
		got, err := Parse(body, ParseOptions{From: utc("2014-01-01T00:00Z"), To: utc("2016-01-01T00:00Z")})
		if err != nil || len(got) != 1 {
			t.Fatalf("%s: Parse = %v, %v", local, got, err)
		}
		w, _ := time.ParseInLocation("20060102T150405", local, fiji)
		if !got[0].Start.Equal(w) {
			t.Errorf("%s Fiji = %s, want %s", local, got[0].Start, w.UTC())
		}
	}
}

func TestParseExdateInUTC(t *testing.T) {
	// DAVx5: weekly on Tuesdays 16:15 Berlin with EXDATEs given in UTC.
	got, err := Parse(readTestdata(t, "issue_20_exdate_ignored.ics"),
		ParseOptions{From: utc("2019-10-01T00:00Z"), To: utc("2019-12-01T00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range got {
		for _, ex := range []string{"2019-10-15T14:15Z", "2019-10-22T14:15Z", "2019-11-05T15:15Z", "2019-11-19T15:15Z"} {
			if iv.Start.Equal(utc(ex)) {
				t.Errorf("excluded occurrence %s is present", ex)
			}
		}
		if d := iv.End.Sub(iv.Start); d != 90*time.Minute {
			t.Errorf("occurrence %s lasts %v, want 1h30m (DURATION)", iv.Start, d)
		}
	}
	if len(got) != 2 { // Oct 29, Nov 12 (Nov 26 is excluded on a folded line)
		t.Fatalf("got %d occurrences, want 3: %v", len(got), got)
	}
	if !got[0].Start.Equal(utc("2019-10-29T15:15Z")) {
		t.Errorf("first = %s, want 2019-10-29T15:15Z (CET after the change)", got[0].Start)
	}
}

func TestParseBrokenFiles(t *testing.T) {
	for _, name := range []string{"broken_ical.ics", "big_bad_calendar.ics", "issue_104_broken_calendar.ics",
		"issue_350.ics"} {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(readTestdata(t, name), ParseOptions{From: utc("1990-01-01T00:00Z"), To: utc("2030-01-01T00:00Z")})
			if err == nil && len(got) > 0 {
				t.Logf("parsed leniently: %d intervals", len(got))
			}
		})
	}
	bad := map[string]string{
		"html":     "<html><body>Sign in</body></html>",
		"empty":    "",
		"json":     `{"events": []}`,
		"deep":     "BEGIN:VCALENDAR\r\n" + strings.Repeat("BEGIN:X\r\n", 100000),
		"no end":   "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240101T100000Z\r\n",
		"bad time": "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:2024-01-01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	}
	for name, body := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(body), ParseOptions{From: utc("2023-01-01T00:00Z"), To: utc("2025-01-01T00:00Z")})
			if !errors.Is(err, ErrNotCalendar) {
				t.Fatalf("Parse = %v, want ErrNotCalendar", err)
			}
		})
	}
}

// cal wraps VEVENT lines into a calendar.
func cal(lines ...string) []byte {
	return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n" + strings.Join(lines, "\r\n") +
		"\r\nEND:VCALENDAR\r\n")
}

func TestParseRules(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	window := ParseOptions{From: utc("2024-01-01T00:00Z"), To: utc("2024-12-31T00:00Z"), Location: ny}
	tests := []struct {
		name string
		body []byte
		want []want
	}{
		{"cancelled and transparent do not count", cal(
			"BEGIN:VEVENT", "UID:a", "DTSTART:20240105T150000Z", "DTEND:20240105T160000Z", "STATUS:CANCELLED", "END:VEVENT",
			"BEGIN:VEVENT", "UID:b", "DTSTART:20240106T150000Z", "DTEND:20240106T160000Z", "END:VEVENT",
		), []want{{"2024-01-06T15:00Z", "2024-01-06T16:00Z"}}},
		{"yearly BYMONTH (beyond the recurrence package) across DST", cal(
			"BEGIN:VEVENT", "UID:c", "DTSTART;TZID=America/New_York:20240301T090000", "DURATION:PT1H",
			"RRULE:FREQ=YEARLY;BYMONTH=3,4;BYMONTHDAY=1", "END:VEVENT",
		), []want{{"2024-03-01T14:00Z", "2024-03-01T15:00Z"}, {"2024-04-01T13:00Z", "2024-04-01T14:00Z"}}},
		{"floating time read in X-WR-TIMEZONE", []byte("BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:Europe/London\r\n" +
			"BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20240701T090000\r\nDTEND:20240701T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
			[]want{{"2024-07-01T08:00Z", "2024-07-01T09:00Z"}}},
		{"cancelled override removes one occurrence", cal(
			"BEGIN:VEVENT", "UID:e", "DTSTART;TZID=America/New_York:20240102T100000", "DTEND;TZID=America/New_York:20240102T110000",
			"RRULE:FREQ=DAILY;COUNT=3", "END:VEVENT",
			"BEGIN:VEVENT", "UID:e", "RECURRENCE-ID;TZID=America/New_York:20240103T100000",
			"DTSTART;TZID=America/New_York:20240103T100000", "DTEND;TZID=America/New_York:20240103T110000", "STATUS:CANCELLED", "END:VEVENT",
		), []want{{"2024-01-02T15:00Z", "2024-01-02T16:00Z"}, {"2024-01-04T15:00Z", "2024-01-04T16:00Z"}}},
		{"all-day with RDATE and EXDATE as dates", cal(
			"BEGIN:VEVENT", "UID:f", "DTSTART;VALUE=DATE:20240610", "DTEND;VALUE=DATE:20240611",
			"RRULE:FREQ=WEEKLY;COUNT=2", "EXDATE;VALUE=DATE:20240617", "RDATE;VALUE=DATE:20240620", "END:VEVENT",
		), []want{{"2024-06-10T04:00Z", "2024-06-11T04:00Z"}, {"2024-06-20T04:00Z", "2024-06-21T04:00Z"}}},
		{"spring-forward gap resolved per RFC 5545", cal(
			"BEGIN:VEVENT", "UID:g", "DTSTART;TZID=America/New_York:20240310T023000", "DURATION:PT30M", "END:VEVENT",
		), []want{{"2024-03-10T07:30Z", "2024-03-10T08:00Z"}}},
		{"never-matching rule stops at the window", cal(
			"BEGIN:VEVENT", "UID:h", "DTSTART:20240101T100000Z", "DURATION:PT1H",
			"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5", "END:VEVENT",
		), []want{{"2024-01-01T10:00Z", "2024-01-01T11:00Z"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.body, window)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i, w := range tc.want {
				if !got[i].Start.Equal(utc(w.start)) || !got[i].End.Equal(utc(w.end)) {
					t.Errorf("interval %d = %s..%s, want %s..%s", i, got[i].Start, got[i].End, w.start, w.end)
				}
			}
		})
	}
}

func TestParseBudget(t *testing.T) {
	var lines []string
	for i := range 50 {
		lines = append(lines, "BEGIN:VEVENT", fmt.Sprintf("UID:%d", i), "DTSTART:20240101T100000Z", "DURATION:PT1H",
			"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "END:VEVENT")
	}
	_, err := Parse(cal(lines...), ParseOptions{From: utc("2024-01-01T00:00Z"), To: utc("2024-12-31T00:00Z"),
		Budget: time.Millisecond})
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("Parse = %v, want ErrTooComplex", err)
	}
}

func TestParseLenient(t *testing.T) {
	// Confluence export with a broken line fold inside ORGANIZER: the bad
	// line is dropped, the all-day free event still read.
	got, err := Parse(readTestdata(t, "issue_61_time_zone_error.ics"),
		ParseOptions{From: utc("2021-12-01T00:00Z"), To: utc("2022-01-01T00:00Z")})
	if err != nil || len(got) != 1 {
		t.Fatalf("Parse = %v, %v; want one interval", got, err)
	}
	if !got[0].AllDay || !got[0].Transparent || !got[0].Start.Equal(utc("2021-12-15T00:00Z")) {
		t.Errorf("interval = %+v", got[0])
	}
}

func TestParseCap(t *testing.T) {
	body := cal("BEGIN:VEVENT", "UID:x", "DTSTART:20240101T100000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY", "END:VEVENT")
	_, err := Parse(body, ParseOptions{From: utc("2024-01-01T00:00Z"), To: utc("2024-12-31T00:00Z"), Max: 100})
	if !errors.Is(err, ErrTooMany) {
		t.Fatalf("Parse = %v, want ErrTooMany", err)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.ics"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err == nil {
			f.Add(data)
		}
	}
	ny, _ := time.LoadLocation("America/New_York")
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := ParseOptions{From: utc("2019-01-01T00:00Z"), To: utc("2021-01-01T00:00Z"), Location: ny,
			Max: 5000, Budget: time.Second}
		got, err := Parse(data, opts)
		if err != nil {
			return
		}
		for _, iv := range got {
			if !iv.End.After(iv.Start) || !iv.End.After(opts.From) || !iv.Start.Before(opts.To) {
				t.Fatalf("interval %v..%v outside the window or empty", iv.Start, iv.End)
			}
		}
	})
}
