package calsync

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
	"github.com/tend-portal/tend/internal/store"
)

// exportAppt is what the feed shows of one appointment.
type exportAppt struct {
	id         string
	start, end time.Time
	status     string
	kind       string
	location   string
	sequence   int
	initials   string
}

// exportRows reads the provider's appointments overlapping [from, to).
// It reads the appointments table directly (columns of migrations 00004
// and 00007) with the client's name only to reduce it to initials here.
func (s *Service) exportRows(ctx context.Context, providerID string, from, to time.Time) ([]exportAppt, error) {
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT a.id, a.starts_at, a.ends_at,
		a.status, a.kind, a.location, a.sequence,
		c.first_name, c.preferred_name, c.last_name
		FROM appointments a JOIN clients c ON c.id = a.client_id
		WHERE a.provider_id = $1 AND a.starts_at < $2 AND a.ends_at > $3
		ORDER BY a.starts_at, a.id`, providerID, to.UTC(), from.UTC())
	if err != nil {
		return nil, store.Translate(err)
	}
	defer rows.Close()
	var out []exportAppt
	for rows.Next() {
		var a exportAppt
		var first, preferred, last string
		if err := rows.Scan(&a.id, &a.start, &a.end, &a.status, &a.kind, &a.location,
			&a.sequence, &first, &preferred, &last); err != nil {
			return nil, store.Translate(err)
		}
		if strings.TrimSpace(preferred) != "" {
			first = preferred
		}
		a.initials = initials(first, last)
		out = append(out, a)
	}
	return out, store.Translate(rows.Err())
}

// initials returns the first letter of each name, upper-cased ("JD"), or
// "?" when neither has a letter.
func initials(first, last string) string {
	var b strings.Builder
	for _, name := range []string{first, last} {
		for _, r := range name {
			if unicode.IsLetter(r) {
				b.WriteRune(unicode.ToUpper(r))
				break
			}
		}
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}

// feedData is everything one feed shows.
type feedData struct {
	loc           *time.Location
	now, from, to time.Time
	appts         []exportAppt
}

// writeFeed writes the VCALENDAR.
func writeFeed(out io.Writer, d feedData) error {
	w := newICSWriter(out)
	w.line("BEGIN", "", "VCALENDAR")
	w.line("VERSION", "", "2.0")
	w.line("PRODID", "", "-//Tend//Tend calendar feed//EN")
	w.line("CALSCALE", "", "GREGORIAN")
	w.line("METHOD", "", "PUBLISH")
	w.line("X-WR-CALNAME", "", "Tend")
	w.line("X-WR-TIMEZONE", "", escapeText(d.loc.String()))
	w.line("X-PUBLISHED-TTL", "", "PT15M")
	w.line("REFRESH-INTERVAL", "VALUE=DURATION", "PT15M")
	writeVTimezone(w, d.loc, d.from, d.to)
	stamp := d.now.UTC().Format("20060102T150405Z")
	tzid := "TZID=" + paramValue(d.loc.String())
	for _, a := range d.appts {
		w.line("BEGIN", "", "VEVENT")
		w.line("UID", "", escapeText(a.id+"@tend"))
		w.line("DTSTAMP", "", stamp)
		params, value := dateTime(a.start, d.loc, tzid)
		w.line("DTSTART", params, value)
		params, value = dateTime(a.end, d.loc, tzid)
		w.line("DTEND", params, value)
		w.line("SEQUENCE", "", strconv.Itoa(a.sequence))
		w.line("SUMMARY", "", escapeText(a.initials+" – "+kindLabel(a.kind)))
		w.line("LOCATION", "", locationLabel(a.location))
		w.line("STATUS", "", feedStatus(a.status))
		w.line("TRANSP", "", "OPAQUE")
		w.line("CLASS", "", "PRIVATE")
		w.line("END", "", "VEVENT")
	}
	w.line("END", "", "VCALENDAR")
	if err := w.flush(); err != nil {
		return fmt.Errorf("calsync: write feed: %w", err)
	}
	return nil
}

// dateTime returns the parameters and value of a DATE-TIME property for
// t: local time with TZID, so calendars show the provider's wall clock,
// except where the local reading is ambiguous (the repeated hour when
// clocks go back). RFC 5545 §3.3.5 reads such a time as its first
// occurrence, so an appointment in the second one could not be written
// in local time at all; it is written in UTC ("Z") instead, which every
// reader places exactly.
func dateTime(t time.Time, loc *time.Location, tzid string) (string, string) {
	local := t.In(loc)
	if at, kind := wallclock.Resolve(loc, wallclock.Of(local)); kind == wallclock.Ambiguous || !at.Equal(t) {
		return "", t.UTC().Format("20060102T150405Z")
	}
	return tzid, local.Format("20060102T150405")
}

func kindLabel(kind string) string {
	if kind == "intake" {
		return "intake"
	}
	return "follow-up"
}

func locationLabel(loc string) string {
	if loc == "telehealth" {
		return "Telehealth"
	}
	return "Office"
}

// feedStatus maps an appointment status: canceled ones are CANCELLED so
// subscribed calendars drop them; everything else happened or will.
func feedStatus(status string) string {
	switch status {
	case "canceled", "late_canceled":
		return "CANCELLED"
	}
	return "CONFIRMED"
}

// paramValue quotes a parameter value when it holds characters that
// would end it (RFC 5545 §3.2).
func paramValue(v string) string {
	if strings.ContainsAny(v, ";:,") {
		return `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return v
}
