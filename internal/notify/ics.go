package notify

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// iCalendar methods (RFC 5546): an invitation or update, and a
// cancellation.
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
)

// Event is one appointment as a calendar invitation shows it. Times are
// written in UTC, so the invitation needs no VTIMEZONE.
type Event struct {
	UID        string // "<appointment id>@tend"
	Sequence   int
	Start, End time.Time
	Summary    string
	Location   string
	Organizer  Person
	Attendee   Person // Email "" leaves the attendee out
	Canceled   bool
}

// Person is an organizer or attendee. Name may be empty.
type Person struct {
	Name, Email string
}

// Invitation writes an iCalendar object (RFC 5545) with method and one
// VEVENT per event, stamped at now. Lines end in CRLF and are folded at
// 75 octets; text values are escaped.
func Invitation(method string, now time.Time, events []Event) []byte {
	var w icsWriter
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//Tend//Tend practice portal//EN")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:" + method)
	for _, e := range events {
		w.line("BEGIN:VEVENT")
		w.line("UID:" + escapeText(e.UID))
		w.line("SEQUENCE:" + strconv.Itoa(e.Sequence))
		w.line("DTSTAMP:" + utcStamp(now))
		w.line("DTSTART:" + utcStamp(e.Start))
		w.line("DTEND:" + utcStamp(e.End))
		w.line("SUMMARY:" + escapeText(e.Summary))
		if e.Location != "" {
			w.line("LOCATION:" + escapeText(e.Location))
		}
		if e.Organizer.Email != "" {
			w.line("ORGANIZER" + cnParam(e.Organizer.Name) + ":mailto:" + e.Organizer.Email)
		}
		if e.Attendee.Email != "" {
			w.line("ATTENDEE" + cnParam(e.Attendee.Name) +
				";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + e.Attendee.Email)
		}
		if e.Canceled {
			w.line("STATUS:CANCELLED")
		} else {
			w.line("STATUS:CONFIRMED")
		}
		w.line("TRANSP:OPAQUE")
		w.line("END:VEVENT")
	}
	w.line("END:VCALENDAR")
	return []byte(w.b.String())
}

// utcStamp writes t as an iCalendar UTC date-time, e.g. 20260310T140000Z.
func utcStamp(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// cnParam returns ";CN=<name>" with the name quoted, or "" for no name.
// A parameter value cannot hold a double quote or a control character,
// so those are dropped.
func cnParam(name string) string {
	clean := strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if clean == "" {
		return ""
	}
	return `;CN="` + clean + `"`
}

// icsWriter collects content lines, folding each at 75 octets without
// splitting a UTF-8 character.
type icsWriter struct{ b strings.Builder }

func (w *icsWriter) line(s string) {
	const limit = 75
	first := true
	for len(s) > 0 {
		max := limit
		if !first {
			max = limit - 1 // the leading space counts
		}
		cut := len(s)
		if cut > max {
			cut = max
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		if !first {
			w.b.WriteByte(' ')
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n")
		s = s[cut:]
		first = false
	}
}
