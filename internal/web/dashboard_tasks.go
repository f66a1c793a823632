package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tend-portal/tend/internal/clients"
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
			Label: ui.Plural(drafts, "draft note", "draft notes") + " to sign"})
	}
	cutoff := s.Clock.Now().AddDate(0, 0, -formReturnDays)
	waiting, err := s.Forms.CountWaiting(ctx, v.actor, cutoff)
	if err != nil {
		return nil, err
	}
	if waiting > 0 {
		out = append(out, ui.Task{ID: "task-forms-waiting", Href: "/forms/waiting",
			Label: fmt.Sprintf("%s sent over %d days ago not returned yet",
				ui.Plural(waiting, "form", "forms"), formReturnDays)})
	}
	c, err := s.Clients.Counts(ctx, v.actor, "")
	if err != nil {
		return nil, err
	}
	if c.NeedsFollowUp > 0 {
		out = append(out, ui.Task{ID: "task-follow-up",
			Href:  "/clients?tab=" + string(clients.StatusNeedsFollowUp),
			Label: ui.Plural(c.NeedsFollowUp, "client needs", "clients need") + " a follow-up appointment"})
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
