package calsync

import (
	"errors"
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/teambition/rrule-go"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

// ErrTooComplex means a feed's recurrences would take too long to expand.
var ErrTooComplex = errors.New("calsync: the calendar's recurring events are too complex")

// event is one VEVENT as far as busy time is concerned.
type event struct {
	uid         string
	start       icalTime
	end         *icalTime
	dur         *duration
	recurID     *icalTime
	rrule       string
	rdates      []icalTime
	rdateEnds   []*icalTime
	exdates     []icalTime
	cancelled   bool
	transparent bool
}

// events expands every VEVENT of cal into p.out.
func (p *parser) events(cal *ics.Calendar) error {
	var masters []event
	overrides := map[string][]event{}
	read, skipped := 0, 0
	for _, c := range cal.Components {
		ve, ok := c.(*ics.VEvent)
		if !ok {
			continue
		}
		ev, err := p.readEvent(ve)
		if err != nil {
			skipped++
			continue
		}
		read++
		if ev.recurID != nil {
			overrides[ev.uid] = append(overrides[ev.uid], ev)
		} else {
			masters = append(masters, ev)
		}
	}
	if read == 0 && skipped > 0 {
		return fmt.Errorf("%w: no event could be read", ErrNotCalendar)
	}
	for _, list := range overrides {
		for _, ev := range list {
			if ev.cancelled {
				continue
			}
			ev.rrule, ev.rdates, ev.exdates = "", nil, nil
			if err := p.expand(ev, nil); err != nil {
				return err
			}
		}
	}
	for _, ev := range masters {
		if ev.cancelled {
			continue
		}
		moved := map[string]bool{}
		for _, o := range overrides[ev.uid] {
			moved[p.occurrenceKey(ev, *o.recurID)] = true
		}
		if err := p.expand(ev, moved); err != nil {
			return err
		}
	}
	return nil
}

// readEvent pulls the properties that shape busy time out of a VEVENT.
func (p *parser) readEvent(ve *ics.VEvent) (event, error) {
	var ev event
	if u := ve.GetProperty(ics.ComponentPropertyUniqueId); u != nil {
		ev.uid = u.Value
	}
	sp := ve.GetProperty(ics.ComponentPropertyDtStart)
	if sp == nil {
		return ev, errors.New("no DTSTART")
	}
	starts, _, err := p.propTimes(sp)
	if err != nil || len(starts) != 1 {
		return ev, errValue
	}
	ev.start = starts[0]
	if param(sp, "VALUE") == "DATE" {
		ev.start.date, ev.start.loc = true, nil
	}
	if ep := ve.GetProperty(ics.ComponentPropertyDtEnd); ep != nil {
		ends, _, err := p.propTimes(ep)
		if err != nil || len(ends) != 1 {
			return ev, errValue
		}
		ev.end = &ends[0]
	} else if dp := ve.GetProperty(ics.ComponentPropertyDuration); dp != nil {
		d, err := parseDuration(dp.Value)
		if err != nil {
			return ev, err
		}
		ev.dur = &d
	}
	if rp := ve.GetProperty(ics.ComponentPropertyRecurrenceId); rp != nil {
		ids, _, err := p.propTimes(rp)
		if err != nil || len(ids) != 1 {
			return ev, errValue
		}
		ev.recurID = &ids[0]
	}
	if rp := ve.GetProperty(ics.ComponentPropertyRrule); rp != nil {
		ev.rrule = rp.Value
	}
	for _, rp := range ve.GetProperties(ics.ComponentPropertyRdate) {
		if ts, ends, err := p.propTimes(rp); err == nil {
			ev.rdates = append(ev.rdates, ts...)
			ev.rdateEnds = append(ev.rdateEnds, ends...)
		}
	}
	for _, xp := range ve.GetProperties(ics.ComponentPropertyExdate) {
		if ts, _, err := p.propTimes(xp); err == nil {
			ev.exdates = append(ev.exdates, ts...)
		}
	}
	if sp := ve.GetProperty(ics.ComponentPropertyStatus); sp != nil {
		ev.cancelled = strings.EqualFold(strings.TrimSpace(sp.Value), "CANCELLED")
	}
	if tp := ve.GetProperty(ics.ComponentPropertyTransp); tp != nil {
		ev.transparent = strings.EqualFold(strings.TrimSpace(tp.Value), "TRANSPARENT")
	}
	if bp := ve.GetProperty(ics.ComponentProperty("X-MICROSOFT-CDO-BUSYSTATUS")); bp != nil {
		ev.transparent = ev.transparent || strings.EqualFold(strings.TrimSpace(bp.Value), "FREE")
	}
	return ev, nil
}

// span is how long each occurrence of an event lasts: whole local days
// for all-day events, elapsed time otherwise.
type span struct {
	days  int
	exact time.Duration
}

func (p *parser) spanOf(ev event) (span, bool) {
	if ev.start.date {
		days := 1
		switch {
		case ev.end != nil:
			days = int(ev.end.wall.Floating().Sub(ev.start.wall.Floating()).Hours() / 24)
		case ev.dur != nil:
			days = ev.dur.days
			if ev.dur.exact > 0 {
				days += int((ev.dur.exact + 24*time.Hour - 1) / (24 * time.Hour))
			}
		}
		return span{days: days}, days > 0
	}
	start := p.instant(ev.start)
	var end time.Time
	switch {
	case ev.end != nil:
		end = p.instant(*ev.end)
	case ev.dur != nil:
		end = p.instant(p.addDuration(ev.start, *ev.dur))
	default:
		return span{}, false // RFC 5545: a DATE-TIME start alone takes no time
	}
	return span{exact: end.Sub(start)}, end.After(start)
}

// occurrenceKey names the occurrence of master that a RECURRENCE-ID
// value t points at: its date for an all-day master (Exchange writes
// those as local midnight with a TZID), its instant otherwise.
func (p *parser) occurrenceKey(master event, t icalTime) string {
	if master.start.date {
		return dateKey(t.wall)
	}
	return fmt.Sprint(p.instant(t).Unix())
}

// expand emits every occurrence of ev, leaving out EXDATEs and the
// occurrences in moved (keys from occurrenceKey: those a RECURRENCE-ID
// override replaces).
func (p *parser) expand(ev event, moved map[string]bool) error {
	sp, ok := p.spanOf(ev)
	if !ok {
		return nil
	}
	loc := p.location(ev.start)
	exact := map[int64]bool{}
	dates := map[string]bool{}
	for _, x := range ev.exdates {
		if x.date && !ev.start.date {
			dates[dateKey(x.wall)] = true
			continue
		}
		exact[p.instant(x).Unix()] = true
	}
	seen := map[int64]bool{}
	occur := func(start time.Time, end *time.Time) error {
		key := start.Unix()
		day := dateKey(wallclock.Of(start.In(loc)))
		occKey := fmt.Sprint(key)
		if ev.start.date {
			occKey = day
		}
		if exact[key] || moved[occKey] || seen[key] || dates[day] {
			return nil
		}
		iv := Interval{Start: start.UTC(), AllDay: ev.start.date, Transparent: ev.transparent}
		switch {
		case end != nil:
			iv.End = end.UTC()
		case sp.days > 0:
			local := wallclock.Of(start.In(loc)).Floating().AddDate(0, 0, sp.days)
			e, _ := wallclock.Resolve(loc, wallclock.Of(local))
			iv.End = e.UTC()
		default:
			iv.End = start.Add(sp.exact).UTC()
		}
		if iv.Start.Before(p.opts.To) && iv.End.After(p.opts.From) {
			seen[key] = true
		}
		return p.emit(iv)
	}

	first := p.instant(ev.start)
	if err := occur(first, nil); err != nil {
		return err
	}
	if ev.rrule != "" {
		if err := p.ruleStarts(ev, loc, func(s time.Time) error { return occur(s, nil) }); err != nil {
			return err
		}
	}
	for i, rd := range ev.rdates {
		if ev.start.date && !rd.date {
			rd.date, rd.utc, rd.loc = true, false, nil
		}
		var end *time.Time
		if e := ev.rdateEnds[i]; e != nil {
			at := p.instant(*e)
			end = &at
		}
		if err := occur(p.instant(rd), end); err != nil {
			return err
		}
	}
	return nil
}

func dateKey(w wallclock.Time) string {
	return fmt.Sprintf("%04d%02d%02d", w.Year, w.Month, w.Day)
}

// ruleStarts calls fn with the start of every instance of ev's RRULE
// after DTSTART that begins before the window ends.
//
// The rule runs on floating wall-clock times in rrule-go (the engine the
// recurrence package uses too), and each wall-clock time is placed with
// wallclock.Resolve (RFC 5545 §3.3.5). Unlike the recurrence package,
// which accepts only what Tend's own series need, an imported calendar
// may use any rule part (BYMONTH, BYYEARDAY, BYHOUR…); and COUNT and
// UNTIL are applied here, while the engine itself stops at the end of
// the window, so a rule that never matches cannot spin to the year 9999.
// Rules finer than daily are not expanded (only DTSTART counts).
func (p *parser) ruleStarts(ev event, loc *time.Location, fn func(time.Time) error) error {
	rule := strings.TrimSpace(ev.rrule)
	rule = strings.TrimPrefix(strings.TrimPrefix(rule, "RRULE:"), "rrule:")
	var kept []string
	count := 0
	var until time.Time
	for _, part := range strings.Split(rule, ";") {
		key, value, _ := strings.Cut(part, "=")
		switch strings.ToUpper(strings.TrimSpace(key)) {
		case "COUNT":
			n := 0
			if _, err := fmt.Sscanf(value, "%d", &n); err != nil || n < 1 {
				return nil
			}
			count = n
		case "UNTIL":
			u, err := parseICalTime(value, loc)
			if err != nil {
				return nil
			}
			until = p.untilWall(u, loc)
		case "":
		default:
			kept = append(kept, part)
		}
	}
	opt, err := rrule.StrToROptionInLocation(strings.Join(kept, ";"), time.UTC)
	if err != nil || opt.Freq > rrule.DAILY || len(opt.Byminute) > 1 || len(opt.Bysecond) > 1 {
		return nil
	}
	anchor := ev.start.wall.Floating()
	opt.Dtstart = anchor
	if opt.Freq == rrule.WEEKLY && len(opt.Byweekday) > 0 {
		// Start at the top of DTSTART's week so BYSETPOS counts whole
		// weeks (as libical does); earlier instances are dropped below.
		back := (int(anchor.Weekday()) - (opt.Wkst.Day()+1)%7 + 7) % 7
		opt.Dtstart = anchor.AddDate(0, 0, -back)
	}
	stop := wallclock.Of(p.opts.To.In(loc)).Floating().Add(48 * time.Hour)
	if !until.IsZero() && until.Before(stop) {
		stop = until
	}
	opt.Until, opt.Count = stop, 0
	if time.Now().After(p.deadline) {
		return ErrTooComplex
	}
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil
	}
	next := r.Iterator()
	for n := 1; count == 0 || n < count; {
		f, ok := next()
		if !ok {
			return nil
		}
		if p.steps++; p.steps > maxSteps {
			return ErrTooComplex
		}
		if !f.After(anchor) {
			continue
		}
		if !until.IsZero() && f.After(until) {
			return nil
		}
		n++
		s, _ := wallclock.Resolve(loc, wallclock.Of(f))
		if !s.Before(p.opts.To) {
			return nil
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

// untilWall turns an UNTIL value into the floating wall-clock time of the
// last instant it allows: a UTC value read in loc, a date as its last
// second.
func (p *parser) untilWall(u icalTime, loc *time.Location) time.Time {
	switch {
	case u.date:
		return u.wall.Floating().Add(24*time.Hour - time.Second)
	case u.utc:
		if loc == p.allDay && p.calendarZone != nil {
			// An all-day rule with a UTC UNTIL (Exchange) was computed
			// from the calendar's own zone, not the provider's.
			loc = p.calendarZone
		}
		return wallclock.Of(u.wall.Floating().In(loc)).Floating()
	default:
		return u.wall.Floating()
	}
}
