package notify

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

// parsed is an invitation read back with an independent parser.
type parsed struct {
	Method string
	Events []*ics.VEvent
}

// parseInvitation reads data with golang-ical, failing the test if it
// does not parse.
func parseInvitation(t testing.TB, data []byte) parsed {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse invitation: %v\n%s", err, data)
	}
	var p parsed
	for _, prop := range cal.CalendarProperties {
		if prop.IANAToken == string(ics.PropertyMethod) {
			p.Method = prop.Value
		}
	}
	p.Events = cal.Events()
	return p
}

// prop returns the value of one property of e, or "".
func prop(e *ics.VEvent, name ics.ComponentProperty) string {
	if p := e.GetProperty(name); p != nil {
		return p.Value
	}
	return ""
}

func TestInvitationParsesBack(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2026, 3, 10, 10, 0, 0, 0, ny) // 14:00 UTC, after the DST change
	long := strings.Repeat("Appointment with Zoë Ångström-Ó'Brien, LCSW; ", 4)
	tests := []struct {
		name    string
		method  string
		event   Event
		summary string
		status  string
	}{
		{"request", MethodRequest, Event{UID: "0190-abc@tend", Sequence: 3, Start: start,
			End: start.Add(time.Hour), Summary: "Appointment with Ada Park",
			Location:  "Telehealth",
			Organizer: Person{Name: "Ada Park", Email: "ada@example.test"},
			Attendee:  Person{Email: "sam@example.test"}},
			"Appointment with Ada Park", "CONFIRMED"},
		{"cancel", MethodCancel, Event{UID: "0190-abc@tend", Sequence: 4, Start: start,
			End: start.Add(time.Hour), Summary: "S.L. – session", Canceled: true,
			Organizer: Person{Email: "ada@example.test"}},
			"S.L. – session", "CANCELLED"},
		{"long unicode summary is folded", MethodRequest, Event{UID: "x@tend", Start: start,
			End: start.Add(time.Hour), Summary: long,
			Organizer: Person{Name: `Ada "the" Park`, Email: "ada@example.test"}},
			long, "CONFIRMED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := Invitation(tt.method, now, []Event{tt.event})
			for _, line := range strings.Split(string(data), "\r\n") {
				if len(line) > 75 {
					t.Errorf("line longer than 75 octets: %q", line)
				}
			}
			if !strings.HasSuffix(string(data), "END:VCALENDAR\r\n") {
				t.Errorf("invitation does not end with END:VCALENDAR CRLF")
			}
			p := parseInvitation(t, data)
			if p.Method != tt.method || len(p.Events) != 1 {
				t.Fatalf("METHOD = %q with %d events, want %s with 1", p.Method, len(p.Events), tt.method)
			}
			e := p.Events[0]
			if e.Id() != tt.event.UID {
				t.Errorf("UID = %q, want %q", e.Id(), tt.event.UID)
			}
			if got := prop(e, ics.ComponentPropertySequence); got != strconv.Itoa(tt.event.Sequence) {
				t.Errorf("SEQUENCE = %q, want %d", got, tt.event.Sequence)
			}
			if got, err := e.GetStartAt(); err != nil || !got.Equal(tt.event.Start) {
				t.Errorf("DTSTART = %v (%v), want %v", got, err, tt.event.Start)
			}
			if raw := prop(e, ics.ComponentPropertyDtStart); raw != "20260310T140000Z" {
				t.Errorf("DTSTART raw = %q, want UTC 20260310T140000Z", raw)
			}
			if got, err := e.GetEndAt(); err != nil || !got.Equal(tt.event.End) {
				t.Errorf("DTEND = %v (%v), want %v", got, err, tt.event.End)
			}
			if got := unescape(prop(e, ics.ComponentPropertySummary)); got != tt.summary {
				t.Errorf("SUMMARY = %q, want %q", got, tt.summary)
			}
			if got := prop(e, ics.ComponentPropertyStatus); got != tt.status {
				t.Errorf("STATUS = %q, want %q", got, tt.status)
			}
			if got := prop(e, ics.ComponentPropertyOrganizer); got != "mailto:"+tt.event.Organizer.Email {
				t.Errorf("ORGANIZER = %q", got)
			}
			att := prop(e, ics.ComponentPropertyAttendee)
			if want := tt.event.Attendee.Email; (want == "" && att != "") || (want != "" && att != "mailto:"+want) {
				t.Errorf("ATTENDEE = %q, want %q", att, want)
			}
		})
	}
}

// unescape reverses RFC 5545 TEXT escaping, in case the parser keeps it.
func unescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n").Replace(s)
}
