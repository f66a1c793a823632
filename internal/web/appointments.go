package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/web/ui"
)

// appointmentTabs are the list's tabs: the tab value, label and element id.
var appointmentTabs = []struct{ tab, label, id string }{
	{scheduling.TabUpcoming, "Upcoming", "tab-upcoming"},
	{scheduling.TabUnsubmitted, "Unsubmitted", "tab-unsubmitted"},
	{scheduling.TabExpiring, "Expiring", "tab-expiring"},
	{scheduling.TabPast, "Past", "tab-past"},
	{scheduling.TabCanceled, "Canceled", "tab-canceled"},
}

// appointmentNotices are the notices a redirect asks for with ?done=.
var appointmentNotices = map[string]string{
	"booked":      "The appointment has been booked. The client gets a confirmation by email.",
	"rescheduled": "The appointment has been moved. The client is told by email.",
	"canceled":    "The appointment has been cancelled. The client is told by email.",
	"no_show":     "The appointment has been marked as a no-show.",
}

// validTab reports whether tab is one of the list's tabs.
func validTab(tab string) bool {
	for _, t := range appointmentTabs {
		if t.tab == tab {
			return true
		}
	}
	return false
}

// appointmentsPage is /appointments: the list or a calendar view.
func (s *server) appointmentsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	h, err := s.loadProviderHeader(ctx, v.user.ProviderID)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	view := q.Get("view")
	switch view {
	case viewList, viewDay, viewWeek, viewWorkWeek, viewMonth:
	default:
		view = viewWeek
	}
	now := s.Clock.Now().In(h.TimeZone)
	anchor := now
	if d, err := time.ParseInLocation("2006-01-02", q.Get("date"), h.TimeZone); err == nil {
		anchor = d.Add(12 * time.Hour)
	}
	days := viewDays(view, anchor, h.TimeZone)
	page := ui.AppointmentsView{Nav: calendarNav(view, anchor, days, h.ZoneName),
		Notice: appointmentNotices[q.Get("done")]}
	if view == viewList {
		if err := s.fillAppointmentList(r, &page, h.TimeZone); err != nil {
			return err
		}
	} else if err := s.fillCalendar(ctx, &page, view, anchor, days, now); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.Appointments(s.shellFor(r, "Appointments", "/appointments"), page))
	return nil
}

// fillCalendar puts the provider's appointments, busy events and open
// slots of the shown days on the page. A connected calendar that cannot
// be read is reported, never fatal.
func (s *server) fillCalendar(ctx context.Context, page *ui.AppointmentsView, view string,
	anchor time.Time, days []day, now time.Time) error {
	v := visitorFrom(ctx)
	from, to := days[0].start, days[len(days)-1].end
	appts, err := s.Scheduling.Range(ctx, v.actor, from, to)
	if err != nil {
		return err
	}
	var busy []slots.Interval
	if s.Calsync != nil {
		busy, err = s.Calsync.Busy(ctx, v.user.ProviderID, from, to)
		if err != nil {
			s.Logger.LogAttrs(ctx, slog.LevelWarn, "busy events unavailable",
				slog.String("error", err.Error()))
			page.BusyError = "Your connected calendar could not be read just now; busy times may be missing."
			busy = nil
		}
	}
	open := s.openCells(ctx, v.user.ProviderID, from, to)
	blocks := calendarBlocks(appts, busy, open, now.Location())
	today := now.Format("2006-01-02")
	if view == viewMonth {
		m := monthGrid(days, blocks, anchor.Month(), today)
		page.Month = &m
		return nil
	}
	g := calendarGrid(days, blocks, today)
	page.Grid = &g
	return nil
}

// openCells are the open starts of the provider between from and to, one
// cell per start increment. Slots that cannot be computed leave the
// calendar without open cells rather than failing it.
func (s *server) openCells(ctx context.Context, providerID string, from, to time.Time) []slots.Interval {
	a, err := s.Scheduling.AvailabilityForProvider(ctx, providerID)
	if err != nil {
		return nil
	}
	typeKey := shortestType(a.Types)
	found, err := s.Scheduling.Slots(ctx, providerID, from, to, typeKey)
	if err != nil {
		s.Logger.LogAttrs(ctx, slog.LevelWarn, "open slots unavailable", slog.String("error", err.Error()))
		return nil
	}
	step := time.Duration(a.Rules.IncrementMinutes) * time.Minute
	if step <= 0 {
		step = 30 * time.Minute
	}
	out := make([]slots.Interval, 0, len(found))
	for _, sl := range found {
		out = append(out, slots.Interval{Start: sl.Start, End: sl.Start.Add(step)})
	}
	return out
}

// shortestType is the key of the shortest follow-up type, the one whose
// open slots cover the most of the calendar.
func shortestType(types []scheduling.AppointmentType) string {
	key, best := "", 0
	for _, t := range types {
		if t.Kind != scheduling.KindFollowUp {
			continue
		}
		if key == "" || t.Minutes < best {
			key, best = t.Key, t.Minutes
		}
	}
	if key == "" && len(types) > 0 {
		key = types[0].Key
	}
	return key
}

// fillAppointmentList fills the list view: tabs with counts, search and
// one page of rows.
func (s *server) fillAppointmentList(r *http.Request, page *ui.AppointmentsView, loc *time.Location) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	q := r.URL.Query()
	tab := q.Get("tab")
	if !validTab(tab) {
		tab = scheduling.TabUpcoming
	}
	search := strings.TrimSpace(q.Get("q"))
	if len(search) > 200 {
		search = search[:200]
	}
	cursor := q.Get("cursor")
	if len(cursor) > 512 {
		cursor = ""
	}
	res, err := s.Scheduling.List(ctx, v.actor, scheduling.ListQuery{Tab: tab, Q: search, Cursor: cursor,
		Limit: clientPageSize})
	if err != nil {
		return err
	}
	counts, err := s.Scheduling.TabCounts(ctx, v.actor, search)
	if err != nil {
		return err
	}
	href := func(tab, cursor string) string {
		u := url.Values{"view": {viewList}, "tab": {tab}}
		if search != "" {
			u.Set("q", search)
		}
		if cursor != "" {
			u.Set("cursor", cursor)
		}
		return "/appointments?" + u.Encode()
	}
	page.Tab, page.Q, page.Total = tab, search, res.Total
	for _, t := range appointmentTabs {
		page.Tabs = append(page.Tabs, ui.AppointmentTab{ID: t.id, Label: t.label, Href: href(t.tab, ""),
			Count: counts[t.tab], Current: t.tab == tab})
	}
	for _, a := range res.Items {
		page.Rows = append(page.Rows, appointmentRow(a, loc, true))
	}
	if res.NextCursor != "" {
		page.NextHref = href(tab, res.NextCursor)
	}
	page.Empty = "No appointments in this tab."
	if search != "" {
		page.Empty = "No appointment in this tab matches “" + search + "”."
	}
	return nil
}

// appointmentStatusLabels name appointment statuses.
var appointmentStatusLabels = map[string]string{
	scheduling.StatusScheduled:    "Scheduled",
	scheduling.StatusCompleted:    "Completed",
	scheduling.StatusCanceled:     "Cancelled",
	scheduling.StatusLateCanceled: "Late cancel",
	scheduling.StatusNoShow:       "No-show",
}

// appointmentStatusLabel names an appointment status.
func appointmentStatusLabel(st string) string {
	if l, ok := appointmentStatusLabels[st]; ok {
		return l
	}
	return st
}

// whenText shows an appointment's day and times in loc.
func whenText(start, end time.Time, loc *time.Location) string {
	a, b := start.In(loc), end.In(loc)
	return a.Format("Mon 2 Jan 2006, 15:04") + "–" + b.Format("15:04")
}

// locationText names where a session takes place.
func locationText(a scheduling.Appointment) string {
	if a.Location == scheduling.LocationOffice {
		return "In the office"
	}
	return "Telehealth"
}

// appointmentRow shows one appointment in a table; links lead to the
// provider's pages when forProvider.
func appointmentRow(a scheduling.Appointment, loc *time.Location, forProvider bool) ui.AppointmentRow {
	row := ui.AppointmentRow{ID: a.ID, When: whenText(a.Start, a.End, loc), ClientName: a.ClientName,
		Kind: a.Kind, KindLabel: kindLabel(a.Kind), Location: locationText(a), Status: a.Status,
		StatusLabel: appointmentStatusLabel(a.Status), Series: a.SeriesID != ""}
	if forProvider {
		row.Href = "/appointments/" + a.ID
		row.ClientHref = "/clients/" + a.ClientID
	}
	return row
}
