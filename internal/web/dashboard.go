package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/web/ui"
)

// providerHeader is what the dashboard greeting needs about a provider.
type providerHeader struct {
	FirstName string
	TimeZone  *time.Location
	ZoneName  string
}

// loadProviderHeader reads the provider's first name and time zone. An
// unknown zone name falls back to UTC rather than failing the page.
func (s *server) loadProviderHeader(ctx context.Context, providerID string) (providerHeader, error) {
	var h providerHeader
	err := s.DB.Reader().QueryRowContext(ctx,
		`SELECT first_name, time_zone FROM providers WHERE id = $1`, providerID).
		Scan(&h.FirstName, &h.ZoneName)
	if err != nil {
		return h, fmt.Errorf("web: load provider: %w", store.Translate(err))
	}
	loc, err := time.LoadLocation(h.ZoneName)
	if err != nil {
		loc, h.ZoneName = time.UTC, "UTC"
	}
	h.TimeZone = loc
	return h, nil
}

// greeting says good morning, afternoon or evening by the local hour.
func greeting(local time.Time, name string) string {
	part := "Good evening"
	switch h := local.Hour(); {
	case h >= 5 && h < 12:
		part = "Good morning"
	case h >= 12 && h < 18:
		part = "Good afternoon"
	}
	if name == "" {
		return part
	}
	return part + ", " + name
}

// dashboard is the provider's start page: greeting, today's date in the
// provider's time zone and the tasks that need attention, urgent ones
// first.
func (s *server) dashboard(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	h, err := s.loadProviderHeader(r.Context(), v.user.ProviderID)
	if err != nil {
		return err
	}
	local := s.Clock.Now().In(h.TimeZone)
	view := ui.DashboardView{
		Greeting: greeting(local, h.FirstName),
		Today:    local.Format("Monday, 2 January 2006"),
		TimeZone: h.ZoneName,
	}
	tasks, err := s.providerTasks(r)
	if err != nil {
		return err
	}
	work, err := s.workTasks(r.Context(), v)
	if err != nil {
		return err
	}
	view.Tasks = append(tasks, work...)
	if s.Scheduling != nil {
		if err := s.addScheduling(r, &view, h.TimeZone); err != nil {
			return err
		}
	}
	if !v.user.MFAEnabled {
		view.Tasks = append(view.Tasks, ui.Task{
			Label: "Turn on two-factor authentication", Href: "/settings/mfa", ID: "task-mfa"})
	}
	s.render(w, r, http.StatusOK, ui.Dashboard(s.shellFor(r, "Dashboard", "/dashboard"), view))
	return nil
}
