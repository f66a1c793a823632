package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/web/ui"
)

// msgLinkInvalid answers a booking link that cannot be used.
const msgLinkInvalid = "This booking link cannot be used. Ask your provider for a new one."

// linkView builds an existing client's follow-up booking page.
func (s *server) linkView(r *http.Request, token string, f ui.Form) (ui.BookingView, error) {
	ctx := r.Context()
	lc, err := s.Booking.ClientFromLink(ctx, token)
	if err != nil {
		return ui.BookingView{}, err
	}
	loc, zone := visitorZone(r, lc.Provider.TimeZone)
	from, to := s.bookingWindow(r, loc)
	found, err := s.Booking.LinkSlots(ctx, token, from, to, "", loc)
	if err != nil {
		return ui.BookingView{}, err
	}
	base := strings.TrimSuffix(r.URL.Path, "/")
	view := ui.BookingView{Action: base, ProviderName: lc.Provider.Name, Credentials: lc.Provider.Credentials,
		Intro: "Book your next session. Times are shown in " + zone + ".", TimeZone: zone,
		Zones: zoneOptions(zone), Days: slotDays(found, loc, f.Value("start")), Form: f}
	pageLinks(&view, base, from, s.Clock.Now(), zone)
	return view, nil
}

// linkRefused answers a link that is malformed, revoked or belongs to an
// archived client, without saying which.
func (s *server) linkRefused(w http.ResponseWriter, r *http.Request, err error) error {
	if errors.Is(err, booking.ErrInvalidLink) || errors.Is(err, clients.ErrArchived) {
		s.renderErrorTitled(w, r, http.StatusNotFound, "Link not valid", msgLinkInvalid)
		return nil
	}
	return err
}

// bookLinkPage is a client's follow-up booking page.
func (s *server) bookLinkPage(w http.ResponseWriter, r *http.Request) error {
	view, err := s.linkView(r, r.PathValue("token"), ui.Form{Values: map[string]string{}})
	if err != nil {
		return s.linkRefused(w, r, err)
	}
	s.render(w, r, http.StatusOK, ui.BookingPage(s.pageFor(r, "Book a session"), view))
	return nil
}

// bookLinkSubmit books the follow-up chosen on a link page.
func (s *server) bookLinkSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	token := r.PathValue("token")
	f := ui.Form{Values: map[string]string{"start": formValue(r, "start")}}
	start, err := time.Parse(time.RFC3339, f.Value("start"))
	if err != nil {
		f.SetError("start", "Choose a time.")
		view, verr := s.linkView(r, token, f)
		if verr != nil {
			return s.linkRefused(w, r, verr)
		}
		s.render(w, r, http.StatusUnprocessableEntity, ui.BookingPage(s.pageFor(r, "Book a session"), view))
		return nil
	}
	a, err := s.Booking.BookFollowUp(r.Context(), token, start, "")
	if err != nil {
		if errors.Is(err, booking.ErrInvalidLink) || errors.Is(err, clients.ErrArchived) {
			return s.linkRefused(w, r, err)
		}
		return s.bookingRefused(w, r, err, f, func(f ui.Form) (ui.BookingView, error) {
			return s.linkView(r, token, f)
		})
	}
	loc, zone := visitorZone(r, "UTC")
	lc, err := s.Booking.ClientFromLink(r.Context(), token)
	if err != nil {
		return s.linkRefused(w, r, err)
	}
	done := ui.BookingDone{ProviderName: lc.Provider.Name, When: whenText(a.Start, a.End, loc), TimeZone: zone,
		Location: locationName(a.Location)}
	s.render(w, r, http.StatusOK, ui.BookingConfirmed(s.pageFor(r, "Appointment booked"), done))
	return nil
}

// portalNotices are the notices of the client's Appointments page.
var portalNotices = map[string]string{
	"booked":      "Your appointment is booked. You will get a confirmation by email.",
	"rescheduled": "Your appointment has been moved. You will get a confirmation by email.",
	"canceled":    "Your appointment has been cancelled.",
}

// portalAppointmentsView gathers the client's Appointments page.
func (s *server) portalAppointmentsView(r *http.Request, f ui.Form) (ui.PortalAppointmentsView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	list, err := s.Scheduling.ForClient(ctx, v.actor, v.user.ClientID)
	if err != nil {
		return ui.PortalAppointmentsView{}, err
	}
	a, err := s.providerOfClient(r)
	if err != nil {
		return ui.PortalAppointmentsView{}, err
	}
	loc, zone := visitorZone(r, a.TimeZone)
	now := s.Clock.Now()
	window := time.Duration(a.Rules.CancelWindowHours) * time.Hour
	view := ui.PortalAppointmentsView{Notice: portalNotices[r.URL.Query().Get("done")],
		Window: a.Rules.CancelWindowHours}
	for _, ap := range list {
		row := appointmentRow(ap, loc, false)
		if ap.Status == scheduling.StatusScheduled && ap.Start.After(now) {
			pa := ui.PortalAppointment{Row: row, CanChange: ap.Start.Sub(now) > window}
			if !pa.CanChange {
				pa.Locked = "Within the cancellation window: contact your provider to change it."
			}
			view.Upcoming = append(view.Upcoming, pa)
			continue
		}
		view.Past = append(view.Past, row)
	}
	from, to := s.bookingWindow(r, loc)
	found, err := s.Booking.ClientSlots(ctx, v.actor, from, to, "", loc)
	if err != nil {
		return view, err
	}
	view.Book = ui.BookingView{Action: "/portal/appointments", TimeZone: zone, Zones: zoneOptions(zone),
		Days: slotDays(found, loc, f.Value("start")), Form: f}
	pageLinks(&view.Book, "/portal/appointments", from, now, zone)
	return view, nil
}

// providerOfClient is the signed-in client's provider's availability.
func (s *server) providerOfClient(r *http.Request) (scheduling.Availability, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	c, err := s.Clients.Get(ctx, v.actor, v.user.ClientID)
	if err != nil {
		return scheduling.Availability{}, err
	}
	return s.Scheduling.AvailabilityForProvider(ctx, c.ProviderID)
}

// portalAppointments is the client's Appointments page.
func (s *server) portalAppointments(w http.ResponseWriter, r *http.Request) error {
	view, err := s.portalAppointmentsView(r, ui.Form{Values: map[string]string{}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.PortalAppointments(s.shellFor(r, "Appointments", "/portal/appointments"), view))
	return nil
}

// portalBook books a follow-up for the signed-in client.
func (s *server) portalBook(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	f := ui.Form{Values: map[string]string{"start": formValue(r, "start"), "location": formValue(r, "location")}}
	start, err := time.Parse(time.RFC3339, f.Value("start"))
	if err == nil {
		_, err = s.Booking.ClientBook(r.Context(), v.actor, start, "", f.Value("location"))
		if err == nil {
			return redirect(w, r, "/portal/appointments?done=booked")
		}
	} else {
		f.SetError("start", "Choose a time.")
	}
	return s.portalProblem(w, r, f, err)
}

// portalProblem shows the client's page again with what went wrong.
func (s *server) portalProblem(w http.ResponseWriter, r *http.Request, f ui.Form, err error) error {
	status := http.StatusUnprocessableEntity
	switch {
	case f.HasErrors():
	case errors.Is(err, scheduling.ErrSlotTaken):
		f.Message = "Sorry — that time was just taken. Please choose another time."
		f.Values["start"] = ""
		status = http.StatusConflict
	case errors.Is(err, scheduling.ErrOutsideWindow):
		f.Message = "It is too close to the appointment to change it online. Please contact your provider."
		status = http.StatusConflict
	case errors.Is(err, clients.ErrArchived):
		f.Message = "Online booking is not available for your account. Please contact your provider."
		status = http.StatusConflict
	case !bookingProblems(&f, err):
		return err
	}
	view, verr := s.portalAppointmentsView(r, f)
	if verr != nil {
		return verr
	}
	view.Error = f.Message
	view.Book.Form.Message = ""
	s.render(w, r, status, ui.PortalAppointments(s.shellFor(r, "Appointments", "/portal/appointments"), view))
	return nil
}

// portalCancel cancels one of the client's appointments outside the
// cancellation window.
func (s *server) portalCancel(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	_, err := s.Booking.ClientCancel(r.Context(), v.actor, r.PathValue("id"), "Cancelled by the client online")
	if err != nil {
		return s.portalProblem(w, r, ui.Form{Values: map[string]string{}}, err)
	}
	return redirect(w, r, "/portal/appointments?done=canceled")
}

// portalRescheduleView lists open times to move one appointment to.
func (s *server) portalRescheduleView(r *http.Request, id string, f ui.Form) (ui.BookingView, string, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	ap, err := s.Scheduling.Get(ctx, v.actor, id)
	if err != nil {
		return ui.BookingView{}, "", err
	}
	a, err := s.providerOfClient(r)
	if err != nil {
		return ui.BookingView{}, "", err
	}
	loc, zone := visitorZone(r, a.TimeZone)
	from, to := s.bookingWindow(r, loc)
	found, err := s.Booking.ClientSlots(ctx, v.actor, from, to, ap.TypeKey, loc)
	if err != nil {
		return ui.BookingView{}, "", err
	}
	base := "/portal/appointments/" + id + "/reschedule"
	view := ui.BookingView{Action: base, TimeZone: zone, Zones: zoneOptions(zone),
		Days: slotDays(found, loc, f.Value("start")), Form: f}
	pageLinks(&view, base, from, s.Clock.Now(), zone)
	return view, whenText(ap.Start, ap.End, loc), nil
}

// portalRescheduleForm shows open times to move an appointment to.
func (s *server) portalRescheduleForm(w http.ResponseWriter, r *http.Request) error {
	view, when, err := s.portalRescheduleView(r, r.PathValue("id"), ui.Form{Values: map[string]string{}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.PortalReschedule(s.shellFor(r, "Reschedule", "/portal/appointments"), when, view))
	return nil
}

// portalReschedule moves the appointment to the chosen open time.
func (s *server) portalReschedule(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	f := ui.Form{Values: map[string]string{"start": formValue(r, "start")}}
	start, err := time.Parse(time.RFC3339, f.Value("start"))
	if err == nil {
		_, err = s.Booking.ClientReschedule(r.Context(), v.actor, id, start)
		if err == nil {
			return redirect(w, r, "/portal/appointments?done=rescheduled")
		}
	} else {
		f.SetError("start", "Choose a time.")
	}
	status := http.StatusUnprocessableEntity
	switch {
	case f.HasErrors():
	case errors.Is(err, scheduling.ErrSlotTaken):
		f.Message = "Sorry — that time was just taken. Please choose another time."
		status = http.StatusConflict
	case errors.Is(err, scheduling.ErrOutsideWindow):
		f.Message = "It is too close to the appointment to change it online. Please contact your provider."
		status = http.StatusConflict
	case !bookingProblems(&f, err):
		return err
	}
	view, when, verr := s.portalRescheduleView(r, id, f)
	if verr != nil {
		return verr
	}
	s.render(w, r, status, ui.PortalReschedule(s.shellFor(r, "Reschedule", "/portal/appointments"), when, view))
	return nil
}
