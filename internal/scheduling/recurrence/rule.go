// Package recurrence parses, builds, expands and edits recurring series of
// appointments stored as RFC 5545 RRULEs in the provider's time zone.
//
// Only the subset recurring sessions need is accepted: FREQ=DAILY, WEEKLY,
// MONTHLY or YEARLY, with INTERVAL, BYDAY (with ordinals), BYMONTHDAY,
// BYSETPOS, WKST, COUNT and UNTIL. Anything else is refused with a clear
// error rather than half-understood. Candidate dates come from
// github.com/teambition/rrule-go run on floating wall-clock times; this
// package adds what that engine does not do for us: strict validation,
// DTSTART as the first instance (RFC 5545 §3.3.10), COUNT and UNTIL,
// EXDATEs, and the mapping of wall-clock times onto instants around
// daylight-saving changes (RFC 5545 §3.3.5, in package wallclock).
package recurrence

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every error about a malformed or unsupported
// rule, so callers can answer "bad input" without parsing messages.
var ErrInvalid = errors.New("invalid recurrence rule")

// Frequency is the FREQ rule part.
type Frequency int

// The supported frequencies.
const (
	FreqDaily Frequency = iota + 1
	FreqWeekly
	FreqMonthly
	FreqYearly
)

var freqNames = map[Frequency]string{
	FreqDaily: "DAILY", FreqWeekly: "WEEKLY", FreqMonthly: "MONTHLY", FreqYearly: "YEARLY",
}

// String returns the RFC 5545 name of the frequency.
func (f Frequency) String() string { return freqNames[f] }

// Day is one BYDAY entry: a weekday with an optional ordinal. N is 0 for
// "every such weekday", 2 for "the second", -1 for "the last".
type Day struct {
	N       int
	Weekday time.Weekday
}

var dayNames = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// String returns the RFC 5545 form, such as "TU" or "-1TU".
func (d Day) String() string {
	if d.N == 0 {
		return dayNames[d.Weekday]
	}
	return strconv.Itoa(d.N) + dayNames[d.Weekday]
}

// UntilForm records how UNTIL was written, so a rule prints back as it
// was given.
type UntilForm int

const (
	// UntilUTC is a UTC date-time ("20240630T235959Z"), the form RFC 5545
	// requires when DTSTART carries a time zone. Until is an instant.
	UntilUTC UntilForm = iota
	// UntilLocal is a floating date-time ("20240630T235959"), read in the
	// series' time zone. Until holds the wall clock in UTC fields.
	UntilLocal
	// UntilDate is a date ("20240630"): occurrences on that local date or
	// earlier are included. Until holds the date at midnight UTC.
	UntilDate
)

// Rule is a parsed recurrence rule. The zero value is not valid; use
// Parse or Build.
type Rule struct {
	Freq       Frequency
	Interval   int // 1 or more
	Count      int // 0 when the rule has no COUNT
	Until      time.Time
	UntilForm  UntilForm // meaningful only when Until is set
	ByDay      []Day
	ByMonthDay []int
	BySetPos   []int
	WeekStart  time.Weekday // WKST, Monday unless given
}

// HasUntil reports whether the rule ends at a date rather than a count
// or never.
func (r Rule) HasUntil() bool { return !r.Until.IsZero() }

// Parse reads an RRULE value such as "FREQ=MONTHLY;BYDAY=2TU;COUNT=6".
// A leading "RRULE:" is accepted. Rule parts outside the supported subset
// are refused with an error wrapping ErrInvalid.
func Parse(s string) (Rule, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "RRULE:")
	if s == "" {
		return Rule{}, fmt.Errorf("%w: empty rule", ErrInvalid)
	}
	r := Rule{Interval: 1, WeekStart: time.Monday}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		if part == "" {
			continue // tolerate a trailing semicolon
		}
		key, value, ok := strings.Cut(part, "=")
		key = strings.ToUpper(strings.TrimSpace(key))
		if !ok || value == "" {
			return Rule{}, fmt.Errorf("%w: %q is not NAME=VALUE", ErrInvalid,
				part)
		}
		if seen[key] {
			return Rule{}, fmt.Errorf("%w: %s given twice", ErrInvalid, key)
		}
		seen[key] = true
		if err := r.set(key, strings.ToUpper(value)); err != nil {
			return Rule{}, err
		}
	}
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// set applies one rule part.
func (r *Rule) set(key, value string) error {
	var err error
	switch key {
	case "FREQ":
		r.Freq, err = parseFreq(value)
	case "INTERVAL":
		r.Interval, err = parsePositive(key, value)
	case "COUNT":
		r.Count, err = parsePositive(key, value)
	case "UNTIL":
		r.Until, r.UntilForm, err = parseUntil(value)
	case "BYDAY":
		r.ByDay, err = parseDays(value)
	case "BYMONTHDAY":
		r.ByMonthDay, err = parseInts(key, value, 31)
	case "BYSETPOS":
		r.BySetPos, err = parseInts(key, value, 366)
	case "WKST":
		var d Day
		d, err = parseDay(value)
		if err == nil && d.N != 0 {
			err = fmt.Errorf("%w: WKST takes a weekday without ordinal",
				ErrInvalid)
		}
		r.WeekStart = d.Weekday
	case "BYSECOND", "BYMINUTE", "BYHOUR", "BYYEARDAY", "BYWEEKNO",
		"BYMONTH", "RSCALE", "SKIP", "BYEASTER":
		err = fmt.Errorf("%w: %s is not supported", ErrInvalid, key)
	default:
		err = fmt.Errorf("%w: unknown rule part %s", ErrInvalid, key)
	}
	return err
}

func parseFreq(v string) (Frequency, error) {
	for f, name := range freqNames {
		if name == v {
			return f, nil
		}
	}
	switch v {
	case "SECONDLY", "MINUTELY", "HOURLY":
		return 0, fmt.Errorf("%w: FREQ=%s is not supported", ErrInvalid, v)
	}
	return 0, fmt.Errorf("%w: unknown FREQ %q", ErrInvalid, v)
}

func parsePositive(key, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w: %s must be a positive whole number",
			ErrInvalid, key)
	}
	return n, nil
}

// parseInts reads a list of non-zero integers within ±limit.
func parseInts(key, v string, limit int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimPrefix(f, "+"))
		if err != nil || n == 0 || n > limit || n < -limit {
			return nil, fmt.Errorf("%w: %s value %q is not between 1 and "+
				"%d or -1 and -%d", ErrInvalid, key, f, limit, limit)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseDays(v string) ([]Day, error) {
	var out []Day
	for _, f := range strings.Split(v, ",") {
		d, err := parseDay(f)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func parseDay(v string) (Day, error) {
	if len(v) < 2 {
		return Day{}, fmt.Errorf("%w: bad weekday %q", ErrInvalid, v)
	}
	name, num := v[len(v)-2:], v[:len(v)-2]
	d := Day{Weekday: -1}
	for i, n := range dayNames {
		if n == name {
			d.Weekday = time.Weekday(i)
		}
	}
	if d.Weekday < 0 {
		return Day{}, fmt.Errorf("%w: bad weekday %q", ErrInvalid, v)
	}
	if num != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(num, "+"))
		if err != nil || n == 0 || n > 53 || n < -53 {
			return Day{}, fmt.Errorf("%w: bad weekday ordinal in %q",
				ErrInvalid, v)
		}
		d.N = n
	}
	return d, nil
}

func parseUntil(v string) (time.Time, UntilForm, error) {
	layouts := []struct {
		layout string
		form   UntilForm
	}{
		{"20060102T150405Z", UntilUTC},
		{"20060102T150405", UntilLocal},
		{"20060102", UntilDate},
	}
	for _, l := range layouts {
		if t, err := time.Parse(l.layout, v); err == nil {
			return t, l.form, nil
		}
	}
	return time.Time{}, 0, fmt.Errorf("%w: UNTIL %q is not an iCalendar "+
		"date or date-time", ErrInvalid, v)
}
