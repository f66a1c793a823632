package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/tasks"
	"github.com/tend-portal/tend/internal/web/ui"
)

// formReturnDays is how long a client has to return a form before it
// shows on the provider's dashboard.
const formReturnDays = 3

// workTasks are the dashboard tasks derived from the records: draft
// notes, forms not returned and clients without a next appointment.
// They go away when the work is done, so they cannot be dismissed, and
// they say how many, never who. Last comes the calendar sync
// suggestion, which can be dismissed.
func (s *server) workTasks(ctx context.Context, v *visitor) ([]ui.Task, error) {
	var out []ui.Task
	drafts, err := s.Notes.CountUnsigned(ctx, v.actor)
	if err != nil {
		return nil, err
	}
	if drafts > 0 {
		out = append(out, ui.Task{ID: "task-unsigned-notes", Href: "/notes",
			Label: howMany(drafts, "draft note", "draft notes") + " to sign"})
	}
	cutoff := s.Clock.Now().AddDate(0, 0, -formReturnDays)
	waiting, err := s.Forms.CountWaiting(ctx, v.actor, cutoff)
	if err != nil {
		return nil, err
	}
	if waiting > 0 {
		out = append(out, ui.Task{ID: "task-forms-waiting", Href: "/forms/waiting",
			Label: fmt.Sprintf("%s sent over %d days ago not returned yet",
				howMany(waiting, "form", "forms"), formReturnDays)})
	}
	c, err := s.Clients.Counts(ctx, v.actor, "")
	if err != nil {
		return nil, err
	}
	if c.NeedsFollowUp > 0 {
		out = append(out, ui.Task{ID: "task-follow-up",
			Href:  "/clients?tab=" + string(clients.StatusNeedsFollowUp),
			Label: howMany(c.NeedsFollowUp, "client needs", "clients need") + " a follow-up appointment"})
	}
	hint, err := s.calendarHint(ctx, v)
	if err != nil || hint == nil {
		return out, err
	}
	return append(out, *hint), nil
}

// calendarHint suggests calendar sync to a provider who has set up
// neither direction and has not dismissed the suggestion.
func (s *server) calendarHint(ctx context.Context, v *visitor) (*ui.Task, error) {
	if s.Calsync == nil {
		return nil, nil
	}
	dismissed, err := s.Tasks.DismissedHints(ctx, v.actor)
	if err != nil || dismissed[tasks.HintCalendarSync] {
		return nil, err
	}
	connected, err := s.Calsync.Connected(ctx, v.actor)
	if err != nil || connected {
		return nil, err
	}
	return &ui.Task{ID: "task-calendar-sync", Href: "/settings/calendar",
		Label:      "Connect your calendar so Tend and your other calendars agree",
		DismissURL: "/hints/" + tasks.HintCalendarSync + "/dismiss"}, nil
}

// dismissHint hides a dashboard suggestion for good.
func (s *server) dismissHint(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.Tasks.DismissHint(ctx, visitorFrom(ctx).actor, r.PathValue("hint")); err != nil {
		return err
	}
	return redirect(w, r, "/dashboard")
}

// howMany writes n with the singular or plural noun: "1 form", "3 forms".
func howMany(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

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
