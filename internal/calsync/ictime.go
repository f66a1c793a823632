package calsync

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/tend-portal/tend/internal/scheduling/wallclock"
)

// icalTime is one DATE or DATE-TIME value as written in a feed.
type icalTime struct {
	wall wallclock.Time
	date bool           // a DATE (all-day) value
	utc  bool           // ends in Z
	loc  *time.Location // from TZID; nil when floating or UTC
}

// errValue marks a malformed date, time or duration.
var errValue = errors.New("malformed date or time")

// parseICalTime reads "20060102", "20060102T150405" or
// "20060102T150405Z". Years outside 1900..2200 are refused: no busy
// interval of interest lies there and far-off anchors only cost time.
func parseICalTime(v string, loc *time.Location) (icalTime, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	var t icalTime
	switch len(v) {
	case 8:
		t.date = true
	case 15:
	case 16:
		if v[15] != 'Z' {
			return t, errValue
		}
		t.utc = true
		v = v[:15]
	default:
		return t, errValue
	}
	nums := []int{}
	for _, span := range [][2]int{{0, 4}, {4, 6}, {6, 8}, {9, 11}, {11, 13}, {13, 15}} {
		if span[1] > len(v) {
			break
		}
		n, err := strconv.Atoi(v[span[0]:span[1]])
		if err != nil || n < 0 {
			return t, errValue
		}
		nums = append(nums, n)
	}
	if !t.date && v[8] != 'T' {
		return t, errValue
	}
	for len(nums) < 6 {
		nums = append(nums, 0)
	}
	t.wall = wallclock.Time{Year: nums[0], Month: time.Month(nums[1]), Day: nums[2],
		Hour: nums[3], Minute: nums[4], Second: nums[5]}
	w := t.wall
	if w.Year < 1900 || w.Year > 2200 || w.Month < 1 || w.Month > 12 || w.Day < 1 ||
		w.Day > 31 || w.Hour > 24 || w.Minute > 59 || w.Second > 60 {
		return t, errValue
	}
	// Normalise 24:00:00 and leap seconds the way time.Date does.
	t.wall = wallclock.Of(w.Floating())
	if !t.utc && !t.date {
		t.loc = loc
	}
	return t, nil
}

// parseOffset reads a UTC offset such as "-0500" or "+053000" in seconds.
func parseOffset(v string) (int, error) {
	v = strings.TrimSpace(v)
	if len(v) != 5 && len(v) != 7 {
		return 0, errValue
	}
	sign := 1
	switch v[0] {
	case '-':
		sign = -1
	case '+':
	default:
		return 0, errValue
	}
	h, err1 := strconv.Atoi(v[1:3])
	m, err2 := strconv.Atoi(v[3:5])
	s := 0
	var err3 error
	if len(v) == 7 {
		s, err3 = strconv.Atoi(v[5:7])
	}
	if err1 != nil || err2 != nil || err3 != nil || h > 23 || m > 59 || s > 59 {
		return 0, errValue
	}
	return sign * (h*3600 + m*60 + s), nil
}

// duration is an RFC 5545 DURATION: days and weeks are nominal (they
// move the wall clock), the rest is exact.
type duration struct {
	days  int
	exact time.Duration
}

// parseDuration reads values like "PT1H30M", "P1D", "P2W" or "-PT15M".
func parseDuration(v string) (duration, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	var d duration
	sign := 1
	if strings.HasPrefix(v, "-") {
		sign, v = -1, v[1:]
	}
	v = strings.TrimPrefix(v, "+")
	if !strings.HasPrefix(v, "P") || len(v) < 3 {
		return d, errValue
	}
	v = v[1:]
	inTime := false
	num := ""
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			num += string(r)
			if len(num) > 6 {
				return d, errValue
			}
			continue
		case r == 'T' && !inTime && num == "":
			inTime = true
			continue
		}
		if num == "" {
			return d, errValue
		}
		n, _ := strconv.Atoi(num)
		num = ""
		switch {
		case r == 'W' && !inTime:
			d.days += 7 * n
		case r == 'D' && !inTime:
			d.days += n
		case r == 'H' && inTime:
			d.exact += time.Duration(n) * time.Hour
		case r == 'M' && inTime:
			d.exact += time.Duration(n) * time.Minute
		case r == 'S' && inTime:
			d.exact += time.Duration(n) * time.Second
		default:
			return d, errValue
		}
	}
	if num != "" {
		return d, errValue
	}
	d.days *= sign
	d.exact *= time.Duration(sign)
	return d, nil
}

// param returns a property parameter's first value, upper-cased.
func param(p *ics.IANAProperty, name string) string {
	vs := p.ICalParameters[name]
	if len(vs) == 0 {
		return ""
	}
	return strings.ToUpper(strings.Trim(vs[0], `"`))
}

// tzidParam returns the TZID parameter as written.
func tzidParam(p *ics.IANAProperty) string {
	vs := p.ICalParameters["TZID"]
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(strings.Trim(vs[0], `"`))
}

// propTimes reads a property holding one or more DATE or DATE-TIME
// values (DTSTART, EXDATE, RDATE, RECURRENCE-ID), resolving TZID through
// zones. PERIOD values keep their start and report their end.
func (p *parser) propTimes(prop *ics.IANAProperty) ([]icalTime, []*icalTime, error) {
	var loc *time.Location
	if tz := tzidParam(prop); tz != "" {
		loc = p.zones.lookup(tz)
	}
	var starts []icalTime
	var ends []*icalTime
	for _, v := range strings.Split(prop.Value, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		first, rest, period := strings.Cut(v, "/")
		t, err := parseICalTime(first, loc)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %q: %w", prop.IANAToken, v, err)
		}
		var end *icalTime
		if period {
			if e, err := parseICalTime(rest, loc); err == nil {
				end = &e
			} else if d, err := parseDuration(rest); err == nil {
				e := p.addDuration(t, d)
				end = &e
			} else {
				return nil, nil, fmt.Errorf("%s %q: %w", prop.IANAToken, v, errValue)
			}
		}
		starts = append(starts, t)
		ends = append(ends, end)
	}
	return starts, ends, nil
}

// addDuration moves t by d: whole days on the wall clock, the rest in
// elapsed time.
func (p *parser) addDuration(t icalTime, d duration) icalTime {
	w := t.wall
	w = wallclock.Of(w.Floating().AddDate(0, 0, d.days))
	out := t
	out.wall = w
	if d.exact != 0 {
		at := p.instant(out).Add(d.exact)
		out.utc, out.loc, out.date = true, nil, false
		out.wall = wallclock.Of(at.UTC())
	}
	return out
}

// location is the zone an event's wall clock is read in.
func (p *parser) location(t icalTime) *time.Location {
	switch {
	case t.date:
		return p.allDay
	case t.utc:
		return time.UTC
	case t.loc != nil:
		return t.loc
	default:
		return p.floating
	}
}

// instant maps a value onto real time (RFC 5545 §3.3.5 for gaps and
// overlaps, via wallclock.Resolve).
func (p *parser) instant(t icalTime) time.Time {
	if t.utc {
		return t.wall.Floating()
	}
	at, _ := wallclock.Resolve(p.location(t), t.wall)
	return at.UTC()
}
