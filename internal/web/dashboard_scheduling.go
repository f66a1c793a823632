package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/web/ui"
)

// addScheduling fills the dashboard's "Upcoming today" and the booking
// link shortcuts.
func (s *server) addScheduling(r *http.Request, view *ui.DashboardView, loc *time.Location) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	today, err := s.Scheduling.Today(ctx, v.actor)
	if err != nil {
		return err
	}
	view.Scheduling = true
	for _, a := range today {
		if activeStatus(a.Status) {
			view.Appointments = append(view.Appointments, appointmentRow(a, loc, true))
		}
	}
	a, err := s.Scheduling.Availability(ctx, v.actor)
	if err != nil {
		return err
	}
	view.BookingURL = s.publicURL("/book/" + a.Slug)
	page, err := s.Clients.List(ctx, v.actor, clients.Query{Tab: clients.StatusActive, Limit: 100})
	if err != nil {
		return err
	}
	for _, c := range page.Items {
		view.Clients = append(view.Clients, ui.Option{Value: c.ID, Label: clientListName(c)})
	}
	pick := r.URL.Query().Get("link_client")
	if pick == "" || s.Booking == nil {
		return nil
	}
	view.LinkClient = pick
	link, err := s.Booking.ClientLink(ctx, v.actor, pick)
	switch {
	case err == nil:
		view.ClientLink = link
	case isNotFoundOrArchived(err):
		view.LinkError = "This client cannot book: they are archived or not yours."
	default:
		return err
	}
	return nil
}

// isNotFoundOrArchived reports the errors that make a client's booking
// link unavailable.
func isNotFoundOrArchived(err error) bool {
	return errors.Is(err, store.ErrNotFound) || errors.Is(err, clients.ErrArchived)
}

// publicURL is an absolute address on this site.
func (s *server) publicURL(path string) string {
	return strings.TrimRight(s.Config.BaseURL, "/") + path
}
