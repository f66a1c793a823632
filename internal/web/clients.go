package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/web/ui"
)

// clientPageSize is how many clients one page of the list shows.
const clientPageSize = 25

// clientTabs are the list's tabs in order: the status each shows and its
// element id.
var clientTabs = []struct {
	status clients.Status
	id     string
}{
	{clients.StatusActive, "tab-active"},
	{clients.StatusNeedsFollowUp, "tab-needs-follow-up"},
	{clients.StatusScheduled, "tab-scheduled"},
	{clients.StatusArchived, "tab-archived"},
}

// sortColumns are the sortable columns: the sort key, the direction a
// first click sorts by, the heading and the element id.
var sortColumns = []struct {
	key, first, label, id string
}{
	{"name", "name", "Name", "sort-name"},
	{"last_appointment", "-last_appointment", "Last appointment", "sort-last"},
	{"next_appointment", "next_appointment", "Next appointment", "sort-next"},
}

// validSort reports whether s is a sort the list accepts.
func validSort(s string) bool {
	key := strings.TrimPrefix(s, "-")
	for _, c := range sortColumns {
		if c.key == key {
			return true
		}
	}
	return false
}

// listParams are the list's query parameters, cleaned.
type listParams struct {
	tab    clients.Status
	q      string
	sort   string
	cursor string
}

// readListParams reads the list's query string; unknown tabs and sorts
// fall back to the defaults.
func readListParams(r *http.Request) listParams {
	q := r.URL.Query()
	p := listParams{
		tab:    clients.Status(q.Get("tab")),
		q:      strings.TrimSpace(q.Get("q")),
		sort:   q.Get("sort"),
		cursor: q.Get("cursor"),
	}
	if !p.tab.Valid() {
		p.tab = clients.StatusActive
	}
	if !validSort(p.sort) || p.sort == "name" {
		p.sort = ""
	}
	if len(p.q) > 200 {
		p.q = p.q[:200]
	}
	if len(p.cursor) > 512 {
		p.cursor = ""
	}
	return p
}

// href is the list's address with these parameters; the defaults are
// left out so addresses stay short.
func (p listParams) href() string {
	v := url.Values{}
	if p.tab != clients.StatusActive {
		v.Set("tab", string(p.tab))
	}
	if p.q != "" {
		v.Set("q", p.q)
	}
	if p.sort != "" {
		v.Set("sort", p.sort)
	}
	if p.cursor != "" {
		v.Set("cursor", p.cursor)
	}
	if len(v) == 0 {
		return "/clients"
	}
	return "/clients?" + v.Encode()
}

// clientList is the Clients page: a tab of the list, searched, sorted
// and a page at a time.
func (s *server) clientList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	p := readListParams(r)
	page, err := s.Clients.List(ctx, v.actor, clients.Query{Tab: p.tab, Q: p.q, Sort: p.sort,
		Cursor: p.cursor, Limit: clientPageSize})
	if err != nil {
		return err
	}
	counts, err := s.Clients.Counts(ctx, v.actor, p.q)
	if err != nil {
		return err
	}
	loc := s.zoneFor(ctx, v)

	view := ui.ClientListView{Q: p.q, Sort: p.sort, Total: page.Total, Empty: emptyList(p)}
	if p.tab != clients.StatusActive {
		view.Tab = string(p.tab)
	}
	perTab := map[clients.Status]int{
		clients.StatusActive: counts.Active, clients.StatusNeedsFollowUp: counts.NeedsFollowUp,
		clients.StatusScheduled: counts.Scheduled, clients.StatusArchived: counts.Archived,
	}
	for _, t := range clientTabs {
		tp := listParams{tab: t.status, q: p.q, sort: p.sort}
		view.Tabs = append(view.Tabs, ui.ClientTab{ID: t.id, Label: statusLabel(t.status),
			Href: tp.href(), Count: perTab[t.status], Current: t.status == p.tab})
	}
	current := p.sort
	if current == "" {
		current = "name"
	}
	for _, c := range sortColumns {
		col := ui.SortColumn{ID: c.id, Label: c.label}
		next := c.first
		switch current {
		case c.key:
			col.Order, next = "ascending", "-"+c.key
		case "-" + c.key:
			col.Order, next = "descending", c.key
		}
		sp := listParams{tab: p.tab, q: p.q, sort: next}
		if next == "name" {
			sp.sort = ""
		}
		col.Href = sp.href()
		view.Columns = append(view.Columns, col)
	}
	for _, c := range page.Items {
		view.Rows = append(view.Rows, ui.ClientRow{
			ID: c.ID, Href: "/clients/" + c.ID, Name: clientListName(c),
			PreferredName: c.PreferredName, Email: c.Email, Phone: formatPhone(c.Phone),
			Status: string(c.Status), StatusLabel: statusLabel(c.Status),
			LastAppointment: formatDate(c.LastAppointmentAt, loc),
			NextAppointment: formatDate(c.NextAppointmentAt, loc),
		})
	}
	if page.NextCursor != "" {
		np := p
		np.cursor = page.NextCursor
		view.NextHref = np.href()
	}
	switch r.URL.Query().Get("done") {
	case "archived":
		view.Notice = "The client has been archived."
	}
	s.render(w, r, http.StatusOK, ui.ClientList(s.shellFor(r, "Clients", "/clients"), view))
	return nil
}

// emptyList is what an empty tab says.
func emptyList(p listParams) string {
	if p.q != "" {
		return "No client in this tab matches “" + p.q + "”. Check the spelling, " +
			"try part of the name or the phone number, or look in another tab."
	}
	switch p.tab {
	case clients.StatusNeedsFollowUp:
		return "No client needs a follow-up: everyone you have seen has a next appointment."
	case clients.StatusScheduled:
		return "No client has an upcoming appointment."
	case clients.StatusArchived:
		return "No archived clients. Clients you archive from their page are listed here."
	}
	return "No clients yet. Add your first client with “+ New client”."
}
