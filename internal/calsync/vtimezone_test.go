package calsync

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

// TestVTimezoneMatchesGo writes the VTIMEZONE of each zone over a feed's
// range, reads it back as an independent definition (TZif built from the
// STANDARD/DAYLIGHT blocks alone, not from the zone's name) and checks
// the UTC offset of every hour of the range against Go's database.
func TestVTimezoneMatchesGo(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	from, to := now.Add(-ExportBack), now.Add(ExportAhead)
	tests := []struct {
		zone                string
		daylight, standards int // blocks expected
	}{
		// 2 Dec 2023 .. 1 Mar 2025: winter, summer 2024, winter again.
		{"America/New_York", 1, 2},
		{"Europe/London", 1, 2},
		// Southern summer, winter 2024, summer again.
		{"Australia/Sydney", 2, 1},
		{"Asia/Kolkata", 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.zone, func(t *testing.T) {
			loc := mustZone(t, tc.zone)
			var buf bytes.Buffer
			w := newICSWriter(&buf)
			w.line("BEGIN", "", "VCALENDAR")
			writeVTimezone(w, loc, from, to)
			w.line("END", "", "VCALENDAR")
			if err := w.flush(); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if d := strings.Count(out, "BEGIN:DAYLIGHT"); d != tc.daylight {
				t.Errorf("%d DAYLIGHT blocks, want %d:\n%s", d, tc.daylight, out)
			}
			if s := strings.Count(out, "BEGIN:STANDARD"); s != tc.standards {
				t.Errorf("%d STANDARD blocks, want %d:\n%s", s, tc.standards, out)
			}
			cal, err := ics.ParseCalendar(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			vt := cal.Timezones()[0]
			built := synthesize("test/"+tc.zone, vt)
			if built == nil {
				t.Fatal("VTIMEZONE could not be read back")
			}
			for at := from; at.Before(to); at = at.Add(time.Hour) {
				_, want := at.In(loc).Zone()
				if _, got := at.In(built).Zone(); got != want {
					t.Fatalf("at %s the VTIMEZONE gives offset %d, Go's %s gives %d", at, got, tc.zone, want)
				}
			}
		})
	}
}

func TestVTimezoneTransitionLines(t *testing.T) {
	// New York's spring change of 2024: 02:00 EST becomes 03:00 EDT, so
	// DTSTART is written in the offset before the change.
	ny := mustZone(t, "America/New_York")
	var buf bytes.Buffer
	w := newICSWriter(&buf)
	writeVTimezone(w, ny, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
	_ = w.flush()
	want := "BEGIN:DAYLIGHT\r\nDTSTART:20240310T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT\r\n"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("VTIMEZONE lacks\n%s\ngot\n%s", want, buf.String())
	}
}
