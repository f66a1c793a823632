package recurrence

import (
	"fmt"
	"strconv"
	"strings"
)

// Validate checks the combinations RFC 5545 §3.3.10 forbids or that can
// never produce an instance. Parse calls it; code that assembles a Rule
// by hand should too.
func (r Rule) Validate() error {
	if freqNames[r.Freq] == "" {
		return fmt.Errorf("%w: FREQ is required", ErrInvalid)
	}
	if r.Interval < 1 {
		return fmt.Errorf("%w: INTERVAL must be 1 or more", ErrInvalid)
	}
	if r.Count < 0 {
		return fmt.Errorf("%w: COUNT must be 1 or more", ErrInvalid)
	}
	if r.Count > 0 && r.HasUntil() {
		return fmt.Errorf("%w: COUNT and UNTIL cannot both be given",
			ErrInvalid)
	}
	if r.Freq == FreqWeekly && len(r.ByMonthDay) > 0 {
		return fmt.Errorf("%w: BYMONTHDAY cannot be used with FREQ=WEEKLY",
			ErrInvalid)
	}
	for _, d := range r.ByDay {
		if d.N == 0 {
			continue
		}
		switch {
		case r.Freq != FreqMonthly && r.Freq != FreqYearly:
			return fmt.Errorf("%w: BYDAY ordinals such as %s need "+
				"FREQ=MONTHLY or YEARLY", ErrInvalid, d)
		case r.Freq == FreqMonthly && (d.N > 5 || d.N < -5):
			return fmt.Errorf("%w: BYDAY %s: a month has at most five of "+
				"each weekday", ErrInvalid, d)
		}
	}
	if len(r.BySetPos) > 0 {
		if len(r.ByDay) == 0 && len(r.ByMonthDay) == 0 {
			return fmt.Errorf("%w: BYSETPOS needs BYDAY or BYMONTHDAY",
				ErrInvalid)
		}
		// A position beyond the largest possible set never matches, and a
		// rule that never matches would make expansion search forever.
		limit := map[Frequency]int{FreqDaily: 1, FreqWeekly: 7, FreqMonthly: 31,
			FreqYearly: 366}[r.Freq]
		for _, p := range r.BySetPos {
			if p > limit || p < -limit {
				return fmt.Errorf("%w: BYSETPOS %d can never match with "+
					"FREQ=%s", ErrInvalid, p, r.Freq)
			}
		}
	}
	return nil
}

// String returns the rule in RFC 5545 form, parts in a fixed order, for
// storage and export.
func (r Rule) String() string {
	var b strings.Builder
	b.WriteString("FREQ=" + r.Freq.String())
	if r.Interval > 1 {
		b.WriteString(";INTERVAL=" + strconv.Itoa(r.Interval))
	}
	if r.Count > 0 {
		b.WriteString(";COUNT=" + strconv.Itoa(r.Count))
	}
	if r.HasUntil() {
		b.WriteString(";UNTIL=" + r.untilString())
	}
	if len(r.ByDay) > 0 {
		parts := make([]string, len(r.ByDay))
		for i, d := range r.ByDay {
			parts[i] = d.String()
		}
		b.WriteString(";BYDAY=" + strings.Join(parts, ","))
	}
	if len(r.ByMonthDay) > 0 {
		b.WriteString(";BYMONTHDAY=" + joinInts(r.ByMonthDay))
	}
	if len(r.BySetPos) > 0 {
		b.WriteString(";BYSETPOS=" + joinInts(r.BySetPos))
	}
	if r.WeekStart != 1 {
		b.WriteString(";WKST=" + dayNames[r.WeekStart])
	}
	return b.String()
}

func (r Rule) untilString() string {
	switch r.UntilForm {
	case UntilLocal:
		return r.Until.Format("20060102T150405")
	case UntilDate:
		return r.Until.Format("20060102")
	default:
		return r.Until.UTC().Format("20060102T150405Z")
	}
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}
