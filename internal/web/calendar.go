package web

import (
	"fmt"
	"net/url"
	"sort"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/web/ui"
)

// Calendar views.
const (
	viewList     = "list"
	viewDay      = "day"
	viewWeek     = "week"
	viewWorkWeek = "workweek"
	viewMonth    = "month"
)

// calendarViews are the view switch's entries in order.
var calendarViews = []struct{ key, label string }{
	{viewList, "List"}, {viewDay, "Day"}, {viewWeek, "Week"}, {viewWorkWeek, "Work week"}, {viewMonth, "Month"},
}

// The hours the day and week views show unless a block lies outside.
const (
	defaultFirstHour = 7
	defaultLastHour  = 20
	stepMinutes      = 15
	maxLanes         = 4
)

// day is one local calendar day in the provider's zone.
type day struct {
	start, end time.Time // local midnight to the next local midnight
}

// dayOf returns the local day holding the date y-m-d in loc.
func dayOf(y int, m time.Month, d int, loc *time.Location) day {
	return day{start: time.Date(y, m, d, 0, 0, 0, 0, loc), end: time.Date(y, m, d+1, 0, 0, 0, 0, loc)}
}

// date is the day's YYYY-MM-DD.
func (d day) date() string { return d.start.Format("2006-01-02") }

// viewDays lists the days a view shows around the anchor date: the day,
// the Monday-to-Sunday week, Monday to Friday, or the whole weeks that
// cover the month.
func viewDays(view string, anchor time.Time, loc *time.Location) []day {
	y, m, d := anchor.Date()
	monday := func(y int, m time.Month, d int) time.Time {
		t := time.Date(y, m, d, 12, 0, 0, 0, loc)
		off := (int(t.Weekday()) + 6) % 7
		return t.AddDate(0, 0, -off)
	}
	var first time.Time
	n := 1
	switch view {
	case viewWeek:
		first, n = monday(y, m, d), 7
	case viewWorkWeek:
		first, n = monday(y, m, d), 5
	case viewMonth:
		first = monday(y, m, 1)
		last := time.Date(y, m+1, 0, 12, 0, 0, 0, loc)
		n = int(last.Sub(first).Hours()/24+0.5) + 1
		n = (n + 6) / 7 * 7
	default:
		first = time.Date(y, m, d, 12, 0, 0, 0, loc)
	}
	out := make([]day, 0, n)
	for i := range n {
		t := first.AddDate(0, 0, i)
		out = append(out, dayOf(t.Year(), t.Month(), t.Day(), loc))
	}
	return out
}

// shiftAnchor moves the anchor date one view-length back (dir -1) or on.
func shiftAnchor(view string, anchor time.Time, dir int) time.Time {
	switch view {
	case viewWeek, viewWorkWeek:
		return anchor.AddDate(0, 0, 7*dir)
	case viewMonth:
		y, m, _ := anchor.Date()
		return time.Date(y, m+time.Month(dir), 1, 12, 0, 0, 0, anchor.Location())
	}
	return anchor.AddDate(0, 0, dir)
}

// viewTitle names the span a view shows.
func viewTitle(view string, days []day, anchor time.Time) string {
	switch view {
	case viewMonth:
		return anchor.Format("January 2006")
	case viewDay:
		return days[0].start.Format("Monday, 2 January 2006")
	}
	a, b := days[0].start, days[len(days)-1].start
	switch {
	case a.Year() != b.Year():
		return a.Format("2 January 2006") + " – " + b.Format("2 January 2006")
	case a.Month() != b.Month():
		return a.Format("2 January") + " – " + b.Format("2 January 2006")
	}
	return a.Format("2") + " – " + b.Format("2 January 2006")
}

// calendarHref is the Appointments page in a view at a date.
func calendarHref(view, date string) string {
	v := url.Values{}
	v.Set("view", view)
	if date != "" {
		v.Set("date", date)
	}
	return "/appointments?" + v.Encode()
}

// calendarNav builds the view switch and the date navigation.
func calendarNav(view string, anchor time.Time, days []day, zone string) ui.CalendarNav {
	date := anchor.Format("2006-01-02")
	n := ui.CalendarNav{View: view, Date: date, TimeZone: zone}
	for _, cv := range calendarViews {
		href := calendarHref(cv.key, date)
		if cv.key == viewList {
			href = "/appointments?view=list"
		}
		if cv.key == view {
			href = ""
		}
		n.Views = append(n.Views, ui.NavItem{Label: cv.label, Href: href})
	}
	if view != viewList {
		n.Title = viewTitle(view, days, anchor)
		n.PrevHref = calendarHref(view, shiftAnchor(view, anchor, -1).Format("2006-01-02"))
		n.NextHref = calendarHref(view, shiftAnchor(view, anchor, 1).Format("2006-01-02"))
		n.TodayHref = calendarHref(view, "")
	}
	return n
}

// block is one thing to place on the calendar, in local time.
type block struct {
	id, kind, label, title, href string
	start, end                   time.Time
}

// kindLabels name appointment kinds and calendar blocks in words, so
// colour is never the only cue.
var kindLabels = map[string]string{
	scheduling.KindIntake:   "Intake",
	scheduling.KindFollowUp: "Follow-up",
	"busy":                  "Busy",
	"open":                  "Open",
}

// kindLabel names an appointment kind.
func kindLabel(kind string) string {
	if l, ok := kindLabels[kind]; ok {
		return l
	}
	return kind
}

// calendarBlocks turns appointments, busy intervals and open slots into
// blocks in loc. Cancelled appointments are left out.
func calendarBlocks(appts []scheduling.Appointment, busy []slots.Interval, open []slots.Interval,
	loc *time.Location) []block {
	var out []block
	for _, a := range appts {
		if !activeStatus(a.Status) {
			continue
		}
		out = append(out, block{id: "ev-" + a.ID, kind: a.Kind, label: kindLabel(a.Kind),
			title: a.ClientName, href: "/appointments/" + a.ID, start: a.Start.In(loc), end: a.End.In(loc)})
	}
	for i, b := range busy {
		out = append(out, block{id: fmt.Sprintf("busy-%d", i), kind: "busy", label: "Busy",
			start: b.Start.In(loc), end: b.End.In(loc)})
	}
	for _, o := range open {
		out = append(out, block{id: "open-" + o.Start.UTC().Format("20060102T1504"), kind: "open",
			label: "Open", href: "/appointments/new?start=" + url.QueryEscape(o.Start.UTC().Format(time.RFC3339)),
			start: o.Start.In(loc), end: o.End.In(loc)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start.Before(out[j].start) })
	return out
}

// activeStatus reports whether an appointment still takes place.
func activeStatus(status string) bool {
	return status == scheduling.StatusScheduled || status == scheduling.StatusCompleted
}

// minuteOf is t's minute of the local day d: 0 before it, 1440 after.
func minuteOf(t time.Time, d day) int {
	switch {
	case !t.After(d.start):
		return 0
	case !t.Before(d.end):
		return 24 * 60
	}
	return t.Hour()*60 + t.Minute()
}

// clock formats a local time as 15:04.
func clockTime(t time.Time) string { return t.Format("15:04") }

// calendarGrid lays blocks out on the day columns: 15-minute rows by the
// local wall clock, from 07:00 to 20:00 or wider when a block needs it.
func calendarGrid(days []day, blocks []block, today string) ui.CalendarGrid {
	first, last := defaultFirstHour*60, defaultLastHour*60
	for _, b := range blocks {
		if b.kind == "open" {
			continue
		}
		for _, d := range days {
			if !b.start.Before(d.end) || !b.end.After(d.start) {
				continue
			}
			first = min(first, minuteOf(b.start, d)/60*60)
			last = max(last, (minuteOf(b.end, d)+59)/60*60)
		}
	}
	rows := (last - first) / stepMinutes
	g := ui.CalendarGrid{Rows: rows}
	for m := first; m < last; m += 60 {
		g.Hours = append(g.Hours, ui.CalendarHour{Row: (m-first)/stepMinutes + 1,
			Label: fmt.Sprintf("%02d:00", m/60)})
	}
	for _, d := range days {
		col := ui.CalendarDay{Date: d.date(), Heading: d.start.Format("Mon 2 Jan"), Today: d.date() == today}
		var laneEnds []int
		for _, b := range blocks {
			if !b.start.Before(d.end) || !b.end.After(d.start) {
				continue
			}
			sm, em := minuteOf(b.start, d), minuteOf(b.end, d)
			if em <= first || sm >= last {
				continue
			}
			sm, em = max(sm, first), min(em, last)
			row := (sm-first)/stepMinutes + 1
			endRow := (em - first + stepMinutes - 1) / stepMinutes
			ev := ui.CalendarEvent{ID: b.id + "-" + d.date(), Kind: b.kind, Label: b.label, Title: b.title,
				Href: b.href, Row: row, Span: max(endRow-row+1, 1),
				Time: clockTime(b.start) + "–" + clockTime(b.end)}
			if b.kind != "open" {
				ev.Lane = pickLane(&laneEnds, row, row+ev.Span)
				if b.kind != "busy" {
					ev.ID = b.id
				}
			}
			col.Events = append(col.Events, ev)
		}
		col.Lanes = max(len(laneEnds), 1)
		g.Days = append(g.Days, col)
	}
	return g
}

// pickLane places a block from row to end (exclusive) in the first lane
// free by then, opening a new lane up to maxLanes.
func pickLane(ends *[]int, row, end int) int {
	for i, e := range *ends {
		if e <= row {
			(*ends)[i] = end
			return i + 1
		}
	}
	if len(*ends) < maxLanes {
		*ends = append(*ends, end)
		return len(*ends)
	}
	(*ends)[maxLanes-1] = max((*ends)[maxLanes-1], end)
	return maxLanes
}

// monthGrid lays blocks out as chips in the month's day cells.
func monthGrid(days []day, blocks []block, month time.Month, today string) ui.MonthGrid {
	g := ui.MonthGrid{Weekdays: []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}}
	var week []ui.MonthDay
	for _, d := range days {
		cell := ui.MonthDay{Date: d.date(), Day: d.start.Format("2"), InMonth: d.start.Month() == month,
			Today: d.date() == today, Href: calendarHref(viewDay, d.date())}
		for _, b := range blocks {
			if !b.start.Before(d.end) || !b.end.After(d.start) {
				continue
			}
			if b.kind == "open" {
				// Too many to list in a cell: a count that opens the day.
				if !b.start.Before(d.start) {
					cell.Open++
				}
				continue
			}
			it := ui.MonthItem{ID: b.id, Kind: b.kind, Label: b.label, Time: clockTime(b.start),
				Title: b.title, Href: b.href}
			if b.kind == "busy" {
				it.ID = b.id + "-" + d.date()
			}
			cell.Items = append(cell.Items, it)
		}
		week = append(week, cell)
		if len(week) == 7 {
			g.Weeks = append(g.Weeks, week)
			week = nil
		}
	}
	return g
}
