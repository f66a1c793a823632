package api

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
)

// appointmentListParams are the query parameters GET /appointments
// accepts.
var appointmentListParams = []string{"status", "from", "to", "client_id", "q", "cursor", "limit"}

// listAppointments answers GET /appointments: one page of a tab with the
// count of every tab. A client's token sees the client's own.
func (s *server) listAppointments(w http.ResponseWriter, r *http.Request) error {
	actor := access.From(r.Context())
	q, err := appointmentQuery(r)
	if err != nil {
		return err
	}
	if actor.IsClient() {
		return s.listOwnAppointments(w, r, actor, q)
	}
	page, err := s.Scheduling.List(r.Context(), actor, q)
	if err != nil {
		return err
	}
	counts, err := s.Scheduling.TabCounts(r.Context(), actor, q.Q)
	if err != nil {
		return err
	}
	items := itemsOut(page.Items, appointmentOut)
	writeJSON(w, http.StatusOK, appointmentPageJSON{
		Items: items, NextCursor: cursorOut(page.NextCursor), Total: page.Total,
		Counts: appointmentCountsJSON{
			Upcoming:    counts[scheduling.TabUpcoming],
			Unsubmitted: counts[scheduling.TabUnsubmitted],
			Expiring:    counts[scheduling.TabExpiring],
			Past:        counts[scheduling.TabPast],
			Canceled:    counts[scheduling.TabCanceled],
		},
	})
	return nil
}

// appointmentQuery reads and checks GET /appointments' parameters.
func appointmentQuery(r *http.Request) (scheduling.ListQuery, error) {
	v := r.URL.Query()
	if err := onlyParams(v, appointmentListParams); err != nil {
		return scheduling.ListQuery{}, err
	}
	q := scheduling.ListQuery{Tab: v.Get("status"), Q: v.Get("q"),
		ClientID: v.Get("client_id"), Cursor: v.Get("cursor")}
	switch q.Tab {
	case "", scheduling.TabUpcoming, scheduling.TabUnsubmitted,
		scheduling.TabExpiring, scheduling.TabPast, scheduling.TabCanceled:
	default:
		return q, invalid("status",
			"status must be upcoming, unsubmitted, expiring, past or canceled.")
	}
	var err error
	if s := v.Get("from"); s != "" {
		if q.From, err = parseTime("from", s); err != nil {
			return q, err
		}
	}
	if s := v.Get("to"); s != "" {
		if q.To, err = parseTime("to", s); err != nil {
			return q, err
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, invalid("to", "to must be after from.")
	}
	if q.ClientID != "" && !store.ValidID(q.ClientID) {
		return q, invalid("client_id", "client_id is not a client id.")
	}
	if len(q.Q) > 200 {
		return q, invalid("q", "q is too long.")
	}
	if len(q.Cursor) > 200 {
		return q, invalid("cursor", "Cursor must be a next_cursor from a previous page.")
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			return q, invalid("limit", "limit must be a whole number from 1 to "+
				strconv.Itoa(maxPageSize)+".")
		}
		q.Limit = min(n, scheduling.MaxLimit)
	}
	return q, nil
}

// listOwnAppointments answers GET /appointments for a client: their own
// appointments on the upcoming, past or canceled tab, soonest first for
// upcoming and latest first otherwise. Unsubmitted and expiring are the
// provider's invoice tabs and hold nothing for a client; q (a client
// name search) does not apply. The cursor is an offset into the tab.
func (s *server) listOwnAppointments(w http.ResponseWriter, r *http.Request,
	actor access.Actor, q scheduling.ListQuery) error {
	all, err := s.Scheduling.ForClient(r.Context(), actor, actor.ClientID)
	if err != nil {
		return err
	}
	if q.ClientID != "" && q.ClientID != actor.ClientID {
		all = nil
	}
	now := s.Clock.Now()
	tabs := map[string][]scheduling.Appointment{}
	for _, a := range all {
		if (!q.From.IsZero() && a.Start.Before(q.From)) || (!q.To.IsZero() && !a.Start.Before(q.To)) {
			continue
		}
		if tab := ownTab(a, now); tab != "" {
			tabs[tab] = append(tabs[tab], a)
		}
	}
	// ForClient lists the latest first; upcoming reads the other way.
	slices.Reverse(tabs[scheduling.TabUpcoming])

	tab := cmp.Or(q.Tab, scheduling.TabUpcoming)
	list := tabs[tab]
	offset := 0
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 0 || n > len(list) {
			return invalid("cursor", "This page link is out of date; start from the first page.")
		}
		offset = n
	}
	limit := cmp.Or(q.Limit, scheduling.DefaultLimit)
	end := min(offset+limit, len(list))
	page := appointmentPageJSON{
		Items: make([]appointmentJSON, 0, end-offset), Total: len(list),
		Counts: appointmentCountsJSON{
			Upcoming: len(tabs[scheduling.TabUpcoming]),
			Past:     len(tabs[scheduling.TabPast]),
			Canceled: len(tabs[scheduling.TabCanceled]),
		},
	}
	for _, a := range list[offset:end] {
		page.Items = append(page.Items, appointmentOut(a))
	}
	if end < len(list) {
		page.NextCursor = cursorOut(strconv.Itoa(end))
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// ownTab is the tab a client sees a as on: the same rules as the
// provider's list.
func ownTab(a scheduling.Appointment, now time.Time) string {
	switch a.Status {
	case scheduling.StatusCanceled, scheduling.StatusLateCanceled, scheduling.StatusNoShow:
		return scheduling.TabCanceled
	}
	switch {
	case a.Status == scheduling.StatusScheduled && a.Start.After(now):
		return scheduling.TabUpcoming
	case !a.End.After(now):
		return scheduling.TabPast
	}
	return "" // under way
}
