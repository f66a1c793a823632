package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/recurrence"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/web/ui"
)

// overrideRanges is how many ranges of hours a date override offers.
const overrideRanges = 3

// byDayCodes are the RFC 5545 weekday codes, Sunday first.
var byDayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// weekdayOptions lists the weekdays Monday first, valued 0 (Sunday) to 6.
func weekdayOptions() []ui.Option {
	out := make([]ui.Option, 0, len(weekdayOrder))
	for _, wd := range weekdayOrder {
		out = append(out, ui.Option{Value: strconv.Itoa(int(wd)), Label: wd.String()})
	}
	return out
}

// kindOptions are the kinds an appointment type can be.
var kindOptions = []ui.Option{
	{Value: scheduling.KindFollowUp, Label: "Follow-up"},
	{Value: scheduling.KindIntake, Label: "Intake"},
}

// zoneOf loads the provider's zone, UTC when it cannot be loaded.
func zoneOf(a scheduling.Availability) *time.Location {
	loc, err := a.Location()
	if err != nil {
		return time.UTC
	}
	return loc
}

// readClock reads an "HH:MM" form field as an offset from midnight; a
// problem goes on the form under the field's name.
func readClock(r *http.Request, f *ui.Form, name, msg string) (time.Duration, bool) {
	d, err := scheduling.ParseClock(formValue(r, name))
	if err != nil {
		f.SetError(name, msg)
		return 0, false
	}
	return d, true
}

// readDay reads a "2006-01-02" form field as a date.
func readDay(r *http.Request, f *ui.Form, name, msg string) (slots.Date, bool) {
	d, err := slots.ParseDate(formValue(r, name))
	if err != nil {
		f.SetError(name, msg)
		return slots.Date{}, false
	}
	return d, true
}

// atClock is the instant of the wall-clock offset on date d in loc.
func atClock(d slots.Date, off time.Duration, loc *time.Location) time.Time {
	m := int(off / time.Minute)
	return time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, loc)
}

// readSpan reads a start and end time of day under prefix; the end
// must come after the start.
func readSpan(r *http.Request, f *ui.Form, prefix string) (from, to time.Duration, ok bool) {
	from, ok1 := readClock(r, f, prefix+"_start", "Enter the start time, like 09:00.")
	to, ok2 := readClock(r, f, prefix+"_end", "Enter the end time, like 12:00.")
	if ok1 && ok2 && to <= from {
		f.SetError(prefix+"_end", "The end time must be after the start time.")
		return 0, 0, false
	}
	return from, to, ok1 && ok2
}

// readPartDay reads part-day time off: one date with start and end.
func readPartDay(r *http.Request, f *ui.Form, loc *time.Location) (scheduling.TimeOffEntry, bool) {
	d, ok := readDay(r, f, "tp_date", "Enter the date, like 2026-03-20.")
	from, to, ok2 := readSpan(r, f, "tp")
	if !ok || !ok2 {
		return scheduling.TimeOffEntry{}, false
	}
	return scheduling.TimeOffEntry{ID: store.NewID(), Start: atClock(d, from, loc).UTC(),
		End: atClock(d, to, loc).UTC(), Note: formValue(r, "tp_note")}, true
}

// readWeekly reads recurring time off: a weekday with start and end,
// from the next such day on, until an optional last date.
func readWeekly(r *http.Request, f *ui.Form, loc *time.Location, now time.Time) (scheduling.TimeOffEntry, bool) {
	wd, err := strconv.Atoi(formValue(r, "tw_day"))
	if err != nil || wd < 0 || wd > 6 {
		f.SetError("tw_day", "Choose the weekday.")
	}
	from, to, ok := readSpan(r, f, "tw")
	var until slots.Date
	if formValue(r, "tw_until") != "" {
		u, ok2 := readDay(r, f, "tw_until", "Enter the last date, like 2026-06-30, or leave it empty.")
		until, ok = u, ok && ok2
	}
	if !ok || f.Error("tw_day") != "" {
		return scheduling.TimeOffEntry{}, false
	}
	first := slots.DateOf(now.In(loc))
	for int(first.Weekday()) != wd {
		first = first.AddDays(1)
	}
	rule := "FREQ=WEEKLY;BYDAY=" + byDayCodes[wd]
	if until != (slots.Date{}) {
		if until.Before(first) {
			f.SetError("tw_until", "The last date must be on or after "+first.String()+", the first "+
				time.Weekday(wd).String()+".")
			return scheduling.TimeOffEntry{}, false
		}
		end := time.Date(until.Year, until.Month, until.Day, 23, 59, 59, 0, loc)
		rule += ";UNTIL=" + end.UTC().Format("20060102T150405Z")
	}
	return scheduling.TimeOffEntry{ID: store.NewID(), Start: atClock(first, from, loc).UTC(),
		End: atClock(first, to, loc).UTC(), RRule: rule, Note: formValue(r, "tw_note")}, true
}

// overridePrefix is the input name prefix of an override's range i:
// "ov" for the first, "ov1", "ov2" for the others.
func overridePrefix(i int) string {
	if i == 0 {
		return "ov"
	}
	return "ov" + strconv.Itoa(i)
}

// readOverride reads a date override: a date with up to three ranges
// of hours, or none for a day off.
func readOverride(r *http.Request, f *ui.Form) (slots.Override, bool) {
	d, ok := readDay(r, f, "date", "Enter the date, like 2026-03-20.")
	o := slots.Override{Date: d}
	for i := range overrideRanges {
		p := overridePrefix(i)
		if formValue(r, p+"_start") == "" && formValue(r, p+"_end") == "" {
			continue
		}
		from, e1 := scheduling.ParseClock(formValue(r, p+"_start"))
		to, e2 := scheduling.ParseClock(formValue(r, p+"_end"))
		if e1 != nil || e2 != nil || to <= from {
			f.SetError(p+"_start", "Enter both times, the second after the first, or neither.")
			ok = false
			continue
		}
		mode, err := slots.ParseMode(formValue(r, p+"_mode"))
		if err != nil {
			mode = slots.Telehealth
		}
		office := formValue(r, p+"_office")
		if mode == slots.Telehealth {
			office = ""
		} else if office == "" {
			f.SetError(p+"_start", "Choose the office for in-person hours, or choose telehealth only.")
			ok = false
			continue
		}
		o.Ranges = append(o.Ranges, slots.Range{Start: from, End: to, Mode: mode, OfficeID: office})
	}
	if ok {
		if err := (slots.Week{o.Ranges}).Validate(); err != nil {
			f.SetError("ov_start", "The ranges of this date overlap; make them separate.")
			ok = false
		}
	}
	return o, ok
}

// readNewType reads a new appointment type; its key comes from its name
// and differs from every key in have.
func readNewType(r *http.Request, f *ui.Form, have []scheduling.AppointmentType) (scheduling.AppointmentType, bool) {
	t := scheduling.AppointmentType{Name: strings.TrimSpace(formValue(r, "nt_name")),
		CPT: formValue(r, "nt_cpt"), Kind: formValue(r, "nt_kind")}
	base := strings.ReplaceAll(scheduling.Slugify(t.Name), "-", "_")
	if len(base) > 34 {
		base = strings.TrimRight(base[:34], "_")
	}
	if t.Name == "" || len(t.Name) > 80 || base == "" {
		f.SetError("nt_name", "Give the type a name of up to 80 characters, with letters or digits.")
	}
	m, err := strconv.Atoi(formValue(r, "nt_minutes"))
	if err != nil || m < 5 || m > 480 {
		f.SetError("nt_minutes", "Enter the length in minutes, 5 to 480.")
	}
	t.Minutes = m
	if len(t.CPT) != 5 || strings.Trim(t.CPT, "0123456789") != "" {
		f.SetError("nt_cpt", "A CPT code is five digits, such as 90834.")
	}
	if t.Kind != scheduling.KindIntake && t.Kind != scheduling.KindFollowUp {
		f.SetError("nt_kind", "Choose intake or follow-up.")
	}
	if f.HasErrors() {
		return t, false
	}
	taken := func(k string) bool {
		return slices.ContainsFunc(have, func(x scheduling.AppointmentType) bool { return x.Key == k })
	}
	t.Key = base
	for n := 2; taken(t.Key); n++ {
		t.Key = base + "_" + strconv.Itoa(n)
	}
	return t, true
}

// extraSection fills p for the sections that add part-day or recurring
// time off and appointment types. handled is false for other sections;
// ok is false when the form has problems.
func (s *server) extraSection(r *http.Request, a scheduling.Availability, f *ui.Form,
	p *scheduling.AvailabilityPatch) (handled, ok bool) {
	loc := zoneOf(a)
	switch formValue(r, "section") {
	case "timeoff_part":
		e, ok := readPartDay(r, f, loc)
		list := append(slices.Clone(a.TimeOff), e)
		p.TimeOff = &list
		return true, ok
	case "timeoff_weekly":
		e, ok := readWeekly(r, f, loc, s.Clock.Now())
		list := append(slices.Clone(a.TimeOff), e)
		p.TimeOff = &list
		return true, ok
	case "type_add":
		t, ok := readNewType(r, f, a.Types)
		list := append(slices.Clone(a.Types), t)
		p.Types = &list
		return true, ok
	}
	return false, false
}

// sectionField is the form field that shows the area's problems for a
// section's list-wide fields ("time_off", "overrides", "types").
func sectionField(section, field string) string {
	switch {
	case strings.HasPrefix(field, "time_off"):
		switch section {
		case "timeoff_part":
			return "tp_end"
		case "timeoff_weekly":
			return "tw_end"
		}
		return "from"
	case strings.HasPrefix(field, "overrides"):
		return "ov_start"
	case section == "type_add" && strings.HasPrefix(field, "types"):
		return "nt_name"
	}
	return field
}

// timeOffText describes an entry of time off in the provider's zone:
// "Every Friday 13:00–17:00", "Mar 5, 09:00–12:00", "Mar 9–13 (all day)".
// The year shows when it is not the current one.
func timeOffText(t scheduling.TimeOffEntry, loc *time.Location, now time.Time) string {
	s, e := t.Start.In(loc), t.End.In(loc)
	year := now.In(loc).Year()
	day := func(x time.Time) string {
		if x.Year() != year {
			return x.Format("Jan 2, 2006")
		}
		return x.Format("Jan 2")
	}
	span := s.Format("15:04") + "–" + e.Format("15:04")
	if t.RRule != "" {
		return recurringText(t.RRule, s, loc, span, day)
	}
	if t.AllDay {
		switch {
		case slots.DateOf(s) == slots.DateOf(e):
			return day(s) + " (all day)"
		case s.Year() == e.Year() && s.Month() == e.Month() && s.Year() == year:
			return s.Format("Jan 2") + "–" + e.Format("2") + " (all day)"
		}
		return day(s) + " – " + day(e) + " (all day)"
	}
	if slots.DateOf(s) == slots.DateOf(e) {
		return day(s) + ", " + span
	}
	return day(s) + ", " + s.Format("15:04") + " – " + day(e) + ", " + e.Format("15:04")
}

// recurringText describes recurring time off starting at s.
func recurringText(rrule string, s time.Time, loc *time.Location, span string, day func(time.Time) string) string {
	rule, err := recurrence.Parse(rrule)
	if err != nil {
		return "Repeating (" + rrule + ") " + span
	}
	text := "Repeats " + strings.ToLower(rule.Freq.String()) + " from " + day(s) + ", " + span
	if rule.Freq == recurrence.FreqWeekly && rule.Interval <= 1 && rule.Count == 0 && len(rule.ByDay) <= 1 {
		wd := s.Weekday()
		if len(rule.ByDay) == 1 {
			wd = rule.ByDay[0].Weekday
		}
		text = "Every " + wd.String() + " " + span
	}
	if rule.HasUntil() {
		u := rule.Until
		if rule.UntilForm == recurrence.UntilUTC {
			u = u.In(loc)
		}
		text += fmt.Sprintf(" until %s", day(u))
	}
	return text
}

// overrideRangeFields names the inputs of the override form's ranges.
func overrideRangeFields() []ui.RangeField {
	out := make([]ui.RangeField, 0, overrideRanges)
	for i := range overrideRanges {
		p := overridePrefix(i)
		out = append(out, ui.RangeField{Name: p, ID: strings.ReplaceAll(p, "_", "-"),
			Label: "Range " + strconv.Itoa(i+1)})
	}
	return out
}
