package calsync

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Interval is one busy (or, when Transparent, free) span from a feed.
type Interval struct {
	Start, End  time.Time // UTC
	AllDay      bool
	Transparent bool
}

// ParseOptions frame one parse.
type ParseOptions struct {
	// From and To bound the intervals returned (those overlapping
	// [From, To) are kept).
	From, To time.Time
	// Location is the provider's zone: all-day (DATE) events cover whole
	// local days in it, and floating times are read in it unless the feed
	// names an X-WR-TIMEZONE. Nil means UTC.
	Location *time.Location
	// Max caps the intervals; 0 means MaxIntervals.
	Max int
	// Budget bounds the processor time one parse may take; 0 means
	// DefaultParseBudget.
	Budget time.Duration
}

// DefaultParseBudget bounds one parse. The recurrence engine (rrule-go)
// checks UNTIL only on instances it finds, so a rule that never matches
// again (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) runs on to the year 9999:
// about a second per such event. The budget stops a hostile feed of many
// of them; it is a resource limit measured on the process's own clock,
// not calendar time.
const DefaultParseBudget = 10 * time.Second

// maxDepth bounds component nesting (VCALENDAR > VEVENT > VALARM is 3).
const maxDepth = 8

// maxSteps bounds recurrence iterations over a whole feed.
const maxSteps = 2_000_000

// ErrTooMany means a feed expands to more intervals than allowed.
var ErrTooMany = errors.New("calsync: the calendar has too many events in the window")

// parser holds one parse's state.
type parser struct {
	opts     ParseOptions
	zones    *zoneSet
	floating *time.Location // for times without TZID or Z
	allDay   *time.Location // for DATE values
	// calendarZone is the zone the feed itself works in (X-WR-TIMEZONE,
	// or its only VTIMEZONE), or nil when it does not say.
	calendarZone *time.Location
	steps        int
	deadline     time.Time
	out          []Interval
}

// Parse reads an iCalendar document and returns the intervals of its
// events that overlap [opts.From, opts.To), sorted by start. Canceled
// events and occurrences are left out; events marked TRANSP:TRANSPARENT
// are returned with Transparent set. A document that is not iCalendar
// is an error wrapping ErrNotCalendar; single events that cannot be read
// are skipped.
func Parse(data []byte, opts ParseOptions) (out []Interval, err error) {
	defer func() {
		// The third-party parser is not ours to trust with hostile input.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: the parser gave up", ErrNotCalendar)
		}
	}()
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Max <= 0 {
		opts.Max = MaxIntervals
	}
	if opts.Budget <= 0 {
		opts.Budget = DefaultParseBudget
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := checkShape(data); err != nil {
		return nil, err
	}
	cal, err := ics.ParseCalendarWithOptions(bytes.NewReader(dropBadLines(data)),
		ics.WithUnknownPropertyHandler(ics.AcceptUnknownPropertyHandler))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotCalendar, err)
	}
	p := &parser{opts: opts, floating: opts.Location, allDay: opts.Location,
		deadline: time.Now().Add(opts.Budget)}
	for _, prop := range cal.CalendarProperties {
		if strings.EqualFold(prop.IANAToken, "X-WR-TIMEZONE") {
			if loc := knownZone(prop.Value); loc != nil {
				p.floating, p.calendarZone = loc, loc
			}
		}
	}
	p.zones = newZoneSet(cal, p.floating)
	if p.calendarZone == nil && len(p.zones.defs) == 1 {
		for tzid := range p.zones.defs {
			p.calendarZone = p.zones.lookup(tzid)
		}
	}
	if err := p.events(cal); err != nil {
		return nil, err
	}
	sort.Slice(p.out, func(i, j int) bool {
		if !p.out[i].Start.Equal(p.out[j].Start) {
			return p.out[i].Start.Before(p.out[j].Start)
		}
		return p.out[i].End.Before(p.out[j].End)
	})
	return p.out, nil
}

// checkShape refuses what is plainly not a calendar, and nesting deep
// enough to exhaust the recursive component parser.
func checkShape(data []byte) error {
	head := bytes.TrimLeft(data, " \t\r\n")
	if len(head) < 15 || !strings.EqualFold(string(head[:15]), "BEGIN:VCALENDAR") {
		return ErrNotCalendar
	}
	depth := 0
	for line := range bytes.Lines(data) {
		switch {
		case hasPrefixFold(line, "BEGIN:"):
			depth++
			if depth > maxDepth {
				return fmt.Errorf("%w: components nested too deeply", ErrNotCalendar)
			}
		case hasPrefixFold(line, "END:"):
			depth--
		}
	}
	return nil
}

// dropBadLines unfolds the content lines and leaves out those the
// third-party parser cannot read (a broken fold, a stray word), which
// would otherwise make it refuse the whole calendar. BEGIN and END lines
// always parse, so the structure is untouched.
func dropBadLines(data []byte) []byte {
	out := make([]byte, 0, len(data))
	var logical []byte
	flush := func() {
		if len(logical) == 0 {
			return
		}
		if p, err := ics.ParseProperty(ics.ContentLine(logical)); err == nil && p != nil {
			out = append(append(out, logical...), '\r', '\n')
		}
		logical = logical[:0]
	}
	for line := range bytes.Lines(data) {
		line = bytes.TrimRight(line, "\r\n")
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			logical = append(logical, line[1:]...)
			continue
		}
		flush()
		logical = append(logical, line...)
	}
	flush()
	return out
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

// emit keeps an interval that overlaps the window.
func (p *parser) emit(iv Interval) error {
	if !iv.End.After(iv.Start) || !iv.End.After(p.opts.From) || !iv.Start.Before(p.opts.To) {
		return nil
	}
	if len(p.out) >= p.opts.Max {
		return ErrTooMany
	}
	p.out = append(p.out, iv)
	return nil
}
