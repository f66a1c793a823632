package calsync

import (
	"fmt"
	"time"
)

// zonePeriod is a span during which a zone keeps one offset.
type zonePeriod struct {
	start  time.Time // zero for "since forever"
	offset int
	prev   int // offset before start
	name   string
	dst    bool
}

// zonePeriods lists the periods of loc that touch [from, to], from Go's
// time zone database (Location.ZoneBounds).
func zonePeriods(loc *time.Location, from, to time.Time) []zonePeriod {
	var out []zonePeriod
	t := from
	for i := 0; i < 1000; i++ {
		start, end := t.In(loc).ZoneBounds()
		name, offset := t.In(loc).Zone()
		p := zonePeriod{start: start, offset: offset, prev: offset, name: name, dst: t.In(loc).IsDST()}
		if !start.IsZero() {
			_, p.prev = start.Add(-time.Second).In(loc).Zone()
		}
		out = append(out, p)
		if end.IsZero() || end.After(to) {
			break
		}
		t = end
	}
	return out
}

// writeVTimezone writes a VTIMEZONE for loc valid over [from, to]: one
// STANDARD or DAYLIGHT block per offset period, each starting (DTSTART,
// in local time before the change, as RFC 5545 §3.6.5 wants) at the
// transition that opens it. A zone without transitions in the range
// gets a single block from 1970.
func writeVTimezone(w *icsWriter, loc *time.Location, from, to time.Time) {
	w.line("BEGIN", "", "VTIMEZONE")
	w.line("TZID", "", escapeText(loc.String()))
	for _, p := range zonePeriods(loc, from, to) {
		kind := "STANDARD"
		if p.dst {
			kind = "DAYLIGHT"
		}
		w.line("BEGIN", "", kind)
		start := "19700101T000000"
		if !p.start.IsZero() && p.start.Year() >= 1970 {
			local := p.start.In(time.FixedZone("", p.prev))
			start = local.Format("20060102T150405")
		}
		w.line("DTSTART", "", start)
		w.line("TZOFFSETFROM", "", formatOffset(p.prev))
		w.line("TZOFFSETTO", "", formatOffset(p.offset))
		if p.name != "" {
			w.line("TZNAME", "", escapeText(p.name))
		}
		w.line("END", "", kind)
	}
	w.line("END", "", "VTIMEZONE")
}

// formatOffset writes seconds east of UTC as "+HHMM" or "+HHMMSS".
func formatOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m, s := sec/3600, sec%3600/60, sec%60
	if s != 0 {
		return fmt.Sprintf("%s%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%s%02d%02d", sign, h, m)
}
