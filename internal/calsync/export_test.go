package calsync

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// tokenOf cuts the token out of a feed URL.
func tokenOf(t *testing.T, url string) string {
	t.Helper()
	const prefix = "https://tend.example/calendar/"
	if !strings.HasPrefix(url, prefix) || !strings.HasSuffix(url, ".ics") {
		t.Fatalf("feed url %q has the wrong shape", url)
	}
	return strings.TrimSuffix(strings.TrimPrefix(url, prefix), ".ics")
}

func TestExportTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, Options{})
		first, err := e.svc.ExportURL(ctx, e.actor)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.svc.ExportURL(ctx, e.actor)
		if err != nil || again != first {
			t.Fatalf("second ExportURL = %q, %v; want the same %q", again, err, first)
		}
		var buf bytes.Buffer
		if err := e.svc.Feed(ctx, tokenOf(t, first), &buf); err != nil {
			t.Fatalf("Feed with a live token: %v", err)
		}
		// Only a keyed hash is stored.
		var stored string
		if err := db.Reader().QueryRow(`SELECT token_hash FROM calendar_export_tokens`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, tokenOf(t, first)) {
			t.Fatal("the token itself is stored")
		}

		rotated, err := e.svc.RotateExport(ctx, e.actor)
		if err != nil || rotated == first {
			t.Fatalf("RotateExport = %q, %v; want a new url", rotated, err)
		}
		if err := e.svc.Feed(ctx, tokenOf(t, first), &buf); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Feed with a revoked token = %v, want ErrNotFound", err)
		}
		if err := e.svc.Feed(ctx, tokenOf(t, rotated), &buf); err != nil {
			t.Fatalf("Feed with the new token: %v", err)
		}
		for _, bad := range []string{"", "x", strings.Repeat("A", 43), "../../etc/passwd"} {
			if err := e.svc.Feed(ctx, bad, &buf); !errors.Is(err, ErrNotFound) {
				t.Errorf("Feed(%q) = %v, want ErrNotFound", bad, err)
			}
		}
		client := access.Actor{UserID: "u", Role: access.RoleClient, ClientID: store.NewID()}
		if _, err := e.svc.ExportURL(ctx, client); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("client ExportURL = %v, want ErrForbidden", err)
		}
		// Another provider gets their own feed, not this one's.
		other := e.provider(t, "Europe/London")
		theirs, err := e.svc.ExportURL(ctx, other)
		if err != nil || theirs == rotated {
			t.Fatalf("other provider's url = %q, %v", theirs, err)
		}
	})
}

func TestExportFeedContent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, Options{})
		pid := e.actor.ProviderID
		jane := e.client(t, pid, "Jane", "", "Doe")
		bob := e.client(t, pid, "Robert", "Bob", "Smithfield")
		ny := mustZone(t, "America/New_York")
		at := func(s string) time.Time {
			v, _ := time.ParseInLocation("2006-01-02 15:04", s, ny)
			return v
		}
		intake := e.appt(t, pid, apptRow{clientID: jane, kind: "intake", start: at("2024-03-08 10:00"), minutes: 60})
		moved := e.appt(t, pid, apptRow{clientID: bob, kind: "follow_up", location: "telehealth",
			start: at("2024-03-15 10:00"), minutes: 50, sequence: 2})
		gone := e.appt(t, pid, apptRow{clientID: jane, kind: "follow_up", status: "canceled",
			start: at("2024-03-22 10:00"), minutes: 50, sequence: 1})
		e.appt(t, pid, apptRow{clientID: jane, kind: "follow_up", start: at("2023-01-05 10:00"), minutes: 50}) // too old
		// Someone else's appointment never shows.
		other := e.provider(t, "America/New_York")
		e.appt(t, other.ProviderID, apptRow{clientID: e.client(t, other.ProviderID, "Zed", "", "Other"),
			kind: "intake", start: at("2024-03-09 10:00"), minutes: 60})

		url, err := e.svc.ExportURL(ctx, e.actor)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := e.svc.Feed(ctx, tokenOf(t, url), &buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, name := range []string{"Jane", "Doe", "Robert", "Bob", "Smithfield", "Zed"} {
			if strings.Contains(out, name) {
				t.Errorf("feed contains the name %q", name)
			}
		}
		for _, line := range strings.SplitAfter(out, "\r\n") {
			if len(strings.TrimSuffix(line, "\r\n")) > 75 {
				t.Errorf("line longer than 75 octets: %q", line)
			}
		}
		if !strings.HasSuffix(out, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
			t.Error("feed lines must end in CRLF")
		}

		cal, err := ics.ParseCalendar(strings.NewReader(out))
		if err != nil {
			t.Fatalf("golang-ical cannot read the feed: %v", err)
		}
		events := map[string]*ics.VEvent{}
		for _, ev := range cal.Events() {
			events[ev.Id()] = ev
		}
		if len(events) != 3 {
			t.Fatalf("feed has %d events, want 3: %v", len(events), out)
		}
		check := func(id, summary, location, status, seq string, start time.Time) {
			t.Helper()
			ev := events[id+"@tend"]
			if ev == nil {
				t.Fatalf("no event %s@tend", id)
			}
			props := map[ics.ComponentProperty]string{
				ics.ComponentPropertySummary: summary, ics.ComponentPropertyLocation: location,
				ics.ComponentPropertyStatus: status, ics.ComponentPropertySequence: seq,
			}
			for p, want := range props {
				if got := ev.GetProperty(p); got == nil || got.Value != want {
					t.Errorf("%s %s = %v, want %q", id, p, got, want)
				}
			}
			dt := ev.GetProperty(ics.ComponentPropertyDtStart)
			if dt.ICalParameters["TZID"][0] != "America/New_York" {
				t.Errorf("DTSTART TZID = %v", dt.ICalParameters)
			}
			if got, err := ev.GetStartAt(); err != nil || !got.Equal(start) {
				t.Errorf("%s start = %v (%v), want %v", id, got, err, start)
			}
		}
		check(intake, "JD – intake", "Office", "CONFIRMED", "0", at("2024-03-08 10:00"))
		check(moved, "BS – follow-up", "Telehealth", "CONFIRMED", "2", at("2024-03-15 10:00"))
		check(gone, "JD – follow-up", "Office", "CANCELLED", "1", at("2024-03-22 10:00"))
		for _, want := range []string{"METHOD:PUBLISH", "X-WR-CALNAME:Tend", "CALSCALE:GREGORIAN",
			"BEGIN:VTIMEZONE", "TZID:America/New_York"} {
			if !strings.Contains(out, want+"\r\n") {
				t.Errorf("feed lacks %q", want)
			}
		}
	})
}

func TestICSFolding(t *testing.T) {
	var buf bytes.Buffer
	w := newICSWriter(&buf)
	long := strings.Repeat("é", 60) + "; a, b\\c\nnext"
	w.line("SUMMARY", "", escapeText(long))
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets", len(line))
		}
		if !strings.HasPrefix(line, "SUMMARY") && !strings.HasPrefix(line, " ") {
			t.Errorf("continuation %q does not start with a space", line)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + buf.String() +
		"END:VEVENT\r\nEND:VCALENDAR\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value
	if got != long {
		t.Errorf("round trip = %q, want %q", got, long)
	}
}

func TestDateTimeAmbiguousHourInUTC(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		at            string
		params, value string
	}{
		{"2024-11-03T05:30Z", "", "20241103T053000Z"}, // 01:30 EDT, first of two
		{"2024-11-03T06:30Z", "", "20241103T063000Z"}, // 01:30 EST, second of two
		{"2024-11-03T07:30Z", "TZID=America/New_York", "20241103T023000"},
		{"2024-03-10T07:30Z", "TZID=America/New_York", "20240310T033000"}, // just after the gap
	}
	for _, tc := range tests {
		p, v := dateTime(utc(tc.at), ny, "TZID=America/New_York")
		if p != tc.params || v != tc.value {
			t.Errorf("dateTime(%s) = %q %q, want %q %q", tc.at, p, v, tc.params, tc.value)
		}
	}
}
