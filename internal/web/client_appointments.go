package web

import (
	"net/http"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/web/ui"
)

// addAppointments fills the client page's appointments section and its
// "Schedule a follow-up" form.
func (s *server) addAppointments(r *http.Request, view *ui.ClientView, loc *time.Location) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	list, err := s.Scheduling.ForClient(ctx, v.actor, view.ID)
	if err != nil {
		return err
	}
	view.Scheduling = true
	for _, a := range list {
		view.Appointments = append(view.Appointments, appointmentRow(a, loc, true))
	}
	f := ui.Form{Values: map[string]string{"location": scheduling.LocationTelehealth, "frequency": "once",
		"type": "individual_45"}}
	fv, err := s.followUpView(r, view.ID, view.Name, f)
	if err != nil {
		return err
	}
	view.FollowUp = fv
	return nil
}

// followUpView is the appointment form fixed to one client.
func (s *server) followUpView(r *http.Request, clientID, name string, f ui.Form) (ui.AppointmentFormView, error) {
	v := visitorFrom(r.Context())
	a, err := s.Scheduling.Availability(r.Context(), v.actor)
	if err != nil {
		return ui.AppointmentFormView{}, err
	}
	return ui.AppointmentFormView{Action: "/clients/" + clientID + "/appointments", Form: f,
		FixedClient: name, Types: typeOptions(a.Types), Offices: officeOptions(a.Offices),
		Frequencies: ui.FrequencyOptions, TimeZone: a.TimeZone, SubmitText: "Book follow-up"}, nil
}

// scheduleFollowUp previews or books an appointment for the client from
// their page.
func (s *server) scheduleFollowUp(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := visitorFrom(ctx)
	id := r.PathValue("id")
	loc := s.zoneFor(ctx, v)
	f, n := readAppointmentForm(r, loc)
	delete(f.Errors, "client_id")
	n.ClientID = id
	f.Values["client_id"] = id
	var fv ui.AppointmentFormView
	status := http.StatusUnprocessableEntity
	show := func() error {
		return s.renderClientProblem(w, r, id, func(view *ui.ClientView) { view.FollowUp = fv }, status)
	}
	c, err := s.Clients.Get(ctx, v.actor, id)
	if err != nil {
		return err
	}
	fv, err = s.followUpView(r, id, fullName(c), f)
	if err != nil {
		return err
	}
	if f.HasErrors() {
		return show()
	}
	key := previewKey(f)
	if formValue(r, "step") == "preview" || (n.Recurrence != nil && formValue(r, "preview_key") != key) {
		if err := s.fillPreview(r, &fv, n, key); err != nil {
			return err
		}
		if !fv.Form.HasErrors() {
			status = http.StatusOK
		}
		return show()
	}
	if _, err := s.Scheduling.Create(ctx, v.actor, n); err != nil {
		if s.bookingProblem(r, &fv.Form, &fv.Slots, err, n) {
			status = http.StatusConflict
			return show()
		}
		if areaProblems(&fv.Form, err) {
			return show()
		}
		return err
	}
	return redirect(w, r, "/clients/"+id+"?done=booked#appointments-section")
}
