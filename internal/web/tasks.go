package web

import (
	"net/http"
	"slices"

	"github.com/tend-portal/tend/internal/web/ui"
)

// providerTasks lists the provider's open tasks for the dashboard,
// urgent ones first.
func (s *server) providerTasks(r *http.Request) ([]ui.Task, error) {
	v := visitorFrom(r.Context())
	list, err := s.Tasks.List(r.Context(), v.actor)
	if err != nil {
		return nil, err
	}
	out := make([]ui.Task, 0, len(list))
	for _, t := range list {
		if t.DismissedAt != nil {
			continue
		}
		fallback := "/dashboard"
		if t.ClientID != "" {
			fallback = "/clients/" + t.ClientID
		}
		out = append(out, ui.Task{Label: t.Title, Href: localPath(t.Link, fallback),
			ID: "task-" + t.ID, Urgent: t.Urgent, DismissURL: "/tasks/" + t.ID + "/dismiss"})
	}
	slices.SortStableFunc(out, func(a, b ui.Task) int {
		switch {
		case a.Urgent == b.Urgent:
			return 0
		case a.Urgent:
			return -1
		}
		return 1
	})
	return out, nil
}

// dismissTask takes a task off the provider's list.
func (s *server) dismissTask(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	if err := s.Tasks.Dismiss(r.Context(), v.actor, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/dashboard")
}
