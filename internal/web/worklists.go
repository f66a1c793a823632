package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/web/ui"
)

// unsignedNotes lists the provider's draft notes, the longest waiting
// first.
func (s *server) unsignedNotes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	list, err := s.Notes.ListUnsigned(ctx, v.actor)
	if err != nil {
		return err
	}
	loc := s.zoneFor(ctx, v)
	rows := make([]ui.WorkRow, 0, len(list))
	for _, u := range list {
		title := u.Template
		if def, ok := notes.LookupTemplate(u.Template); ok {
			title = def.Title
		}
		row := ui.WorkRow{ClientID: u.ClientID, Client: u.ClientName, What: title,
			Href: "/notes/" + u.ID, Status: "Last saved " + formatTime(&u.UpdatedAt, loc)}
		if u.AppointmentAt != nil {
			row.When = formatTime(u.AppointmentAt, loc)
		}
		rows = append(rows, row)
	}
	view := ui.WorkListView{ID: "unsigned-notes", Title: "Unsigned notes",
		Lead: "Draft notes, the longest waiting first. Sign each once it is complete; " +
			"a signed note is locked and only addenda can follow.",
		WhenLabel: "Session", Empty: "Every note is signed.", Rows: rows}
	s.render(w, r, http.StatusOK, ui.WorkList(s.shellFor(r, view.Title, "/clients"), view))
	return nil
}

// waitingForms lists the forms the provider's clients have not signed,
// the longest waiting first.
func (s *server) waitingForms(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	list, err := s.Forms.ListWaiting(ctx, v.actor)
	if err != nil {
		return err
	}
	loc := s.zoneFor(ctx, v)
	now := s.Clock.Now()
	rows := make([]ui.WorkRow, 0, len(list))
	for _, f := range list {
		status := "Not started"
		if f.Status == forms.StatusDraft {
			status = "Started, not signed"
		}
		rows = append(rows, ui.WorkRow{ClientID: f.ClientID, Client: f.ClientName,
			What: f.TemplateTitle, Href: "/clients/" + f.ClientID,
			When:   formatTime(&f.AssignedAt, loc) + " (" + age(now.Sub(f.AssignedAt)) + ")",
			Status: status})
	}
	view := ui.WorkListView{ID: "waiting-forms", Title: "Forms waiting",
		Lead: "Forms your clients were sent and have not signed, the longest waiting " +
			"first. Clients find them in their portal; the email they got has the link.",
		WhenLabel: "Sent", Empty: "Every form sent has been returned.", Rows: rows}
	s.render(w, r, http.StatusOK, ui.WorkList(s.shellFor(r, view.Title, "/clients"), view))
	return nil
}

// age says how long ago in whole days: "today", "1 day ago".
func age(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch days {
	case 0:
		return "today"
	case 1:
		return "1 day ago"
	}
	return fmt.Sprintf("%d days ago", days)
}
