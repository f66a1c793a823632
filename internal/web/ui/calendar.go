package ui

import "strconv"

// CalendarNav is the view switch and the date navigation shared by the
// list and every calendar view.
type CalendarNav struct {
	View      string // "list", "day", "week", "workweek", "month"
	Title     string // "2 – 8 March 2026"
	PrevHref  string
	NextHref  string
	TodayHref string
	Views     []NavItem // one link per view, Href "" for the current one
	Date      string    // the shown date, YYYY-MM-DD
	TimeZone  string
}

// CalendarEvent is one block in a day column: an appointment, a busy
// event from a connected calendar or an open slot.
type CalendarEvent struct {
	ID    string // element id
	Kind  string // "intake", "follow_up", "busy", "open"
	Label string // "Intake", "Follow-up", "Busy", "Open"
	Time  string // "10:00–10:50"
	Title string // the client's name for appointments
	Href  string // details for an appointment, the new form for an open slot
	Row   int    // first 15-minute row, from 1
	Span  int    // number of 15-minute rows, at least 1
	Lane  int    // side-by-side position when blocks overlap, from 1
}

// CalendarDay is one column of the day and week views.
type CalendarDay struct {
	Date    string // YYYY-MM-DD
	Heading string // "Mon 2 Mar"
	Today   bool
	Lanes   int // how many blocks sit side by side at most, from 1
	Events  []CalendarEvent
}

// CalendarHour labels the first row of an hour in the time gutter.
type CalendarHour struct {
	Row   int
	Label string // "09:00"
}

// CalendarGrid is the day, week or work-week view.
type CalendarGrid struct {
	Rows  int // 15-minute rows shown
	Hours []CalendarHour
	Days  []CalendarDay
}

// MonthItem is one appointment or busy block in a month cell.
type MonthItem struct {
	ID    string
	Kind  string
	Label string
	Time  string
	Title string
	Href  string
}

// MonthDay is one cell of the month view.
type MonthDay struct {
	Date    string
	Day     string // "2"
	InMonth bool
	Today   bool
	Href    string // the day view
	Items   []MonthItem
	Open    int // open start times left that day
}

// MonthGrid is the month view, a week per row.
type MonthGrid struct {
	Weekdays []string
	Weeks    [][]MonthDay
}

// AppointmentRow is one appointment in the list and on other pages.
type AppointmentRow struct {
	ID          string
	Href        string
	When        string // "Mon 2 Mar 2026, 10:00–10:50"
	ClientName  string
	ClientHref  string
	Kind        string // "intake" or "follow_up"
	KindLabel   string
	TypeName    string
	Location    string
	Status      string
	StatusLabel string
	Series      bool
}

// AppointmentTab is one status tab of the list.
type AppointmentTab struct {
	ID      string
	Label   string
	Href    string
	Count   int
	Current bool
}

// AppointmentsView is the Appointments page in any view.
type AppointmentsView struct {
	Nav    CalendarNav
	Notice string

	// List view.
	Tabs     []AppointmentTab
	Tab      string
	Q        string
	Rows     []AppointmentRow
	Total    int
	NextHref string
	Empty    string

	// Calendar views.
	Grid  *CalendarGrid
	Month *MonthGrid
	// BusyError says that a connected calendar could not be read; the
	// calendar still shows everything else.
	BusyError string
}

// Legend is the colour key shown with every calendar view.
var Legend = []Option{
	{"intake", "Intake (first session)"},
	{"follow_up", "Follow-up"},
	{"busy", "Busy (connected calendar)"},
	{"unavailable", "Unavailable"},
	{"open", "Available"},
}

// eventClass is the class list of a calendar block: its kind colour, its
// row, span and lane.
func eventClass(e CalendarEvent) string {
	lane := e.Lane
	if lane < 1 {
		lane = 1
	}
	return "cal-ev ev-" + e.Kind + " rs-" + strconv.Itoa(e.Row) + " sp-" + strconv.Itoa(e.Span) +
		" ln-" + strconv.Itoa(lane)
}

// dayClass is the class list of a day column's grid.
func dayClass(d CalendarDay) string {
	lanes := d.Lanes
	if lanes < 1 {
		lanes = 1
	}
	if lanes > 4 {
		lanes = 4
	}
	c := "cal-day-grid lanes-" + strconv.Itoa(lanes)
	return c
}

// fillClass is the class of the grey background that spans every row.
func fillClass(rows int) string {
	return "cal-fill rs-1 sp-" + strconv.Itoa(rows)
}

// hourClass places an hour label in the gutter.
func hourClass(h CalendarHour) string {
	return "cal-hour rs-" + strconv.Itoa(h.Row) + " sp-4"
}

// plainCount formats a count.
func plainCount(n int) string { return strconv.Itoa(n) }

// viewKey is the element-id part of a view's label.
func viewKey(label string) string {
	switch label {
	case "List":
		return "list"
	case "Day":
		return "day"
	case "Week":
		return "week"
	case "Work week":
		return "workweek"
	case "Month":
		return "month"
	}
	return label
}

// openTimes counts a day's open start times for the month view.
func openTimes(n int) string {
	if n == 1 {
		return "1 open time"
	}
	return strconv.Itoa(n) + " open times"
}
