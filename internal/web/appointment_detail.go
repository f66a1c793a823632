package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/web/ui"
)

// cancelReasons are the reasons a provider gives for cancelling.
var cancelReasons = []ui.Option{
	{Value: "client_request", Label: "The client asked to cancel"},
	{Value: "provider_unavailable", Label: "I am not available"},
	{Value: "illness", Label: "Illness"},
	{Value: "weather", Label: "Weather or emergency"},
	{Value: "other", Label: "Other"},
}

// cancelReasonLabel names a cancel reason; unknown ones are refused.
func cancelReasonLabel(v string) (string, bool) {
	for _, o := range cancelReasons {
		if o.Value == v {
			return o.Label, true
		}
	}
	return "", false
}

// detailView gathers an appointment's page. The scheduling area audits
// the read and answers another provider's id with store.ErrNotFound.
func (s *server) detailView(r *http.Request, id string) (ui.AppointmentDetailView, scheduling.Appointment, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	a, err := s.Scheduling.Get(ctx, v.actor, id)
	if err != nil {
		return ui.AppointmentDetailView{}, a, err
	}
	av, err := s.Scheduling.Availability(ctx, v.actor)
	if err != nil {
		return ui.AppointmentDetailView{}, a, err
	}
	loc, err := time.LoadLocation(av.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	typeName := a.TypeKey
	for _, t := range av.Types {
		if t.Key == a.TypeKey {
			typeName = t.Name
		}
	}
	where := locationText(a)
	for _, o := range av.Offices {
		if a.Location == scheduling.LocationOffice && o.ID == a.OfficeID {
			where += " — " + o.Name + ", " + o.Line1 + ", " + o.City
		}
	}
	now := s.Clock.Now()
	view := ui.AppointmentDetailView{
		ID: a.ID, Title: kindLabel(a.Kind) + " with " + a.ClientName, ClientName: a.ClientName,
		ClientHref: "/clients/" + a.ClientID, Kind: a.Kind, KindLabel: kindLabel(a.Kind),
		Status: a.Status, StatusLabel: appointmentStatusLabel(a.Status), Series: a.SeriesID != "",
		Editable: a.Status == scheduling.StatusScheduled, Past: !a.Start.After(now),
		Details: []ui.DetailItem{
			{ID: "appointment-when", Label: "When", Value: whenText(a.Start, a.End, loc) + " (" + av.TimeZone + ")"},
			{ID: "appointment-type", Label: "Type", Value: typeName},
			{ID: "appointment-location", Label: "Location", Value: where},
			{ID: "appointment-cpt", Label: "CPT code", Value: dash(a.CPT)},
			{ID: "appointment-notes-for-client", Label: "Notes for the client", Value: dash(a.NotesForClient)},
		},
		NoteAction: "/appointments/" + a.ID + "/notes", Scopes: ui.ScopeOptions, CancelReasons: cancelReasons,
		Types: typeOptions(av.Types), Offices: officeOptions(av.Offices), TimeZone: av.TimeZone,
		Notice: appointmentNotices[r.URL.Query().Get("done")],
	}
	if a.CancelReason != "" {
		view.Details = append(view.Details, ui.DetailItem{ID: "appointment-cancel-reason",
			Label: "Cancellation", Value: a.CancelReason})
	}
	local := a.Start.In(loc)
	view.Reschedule = ui.Form{Values: map[string]string{
		"date": local.Format("2006-01-02"), "time": local.Format("15:04"),
		"duration": strconv.Itoa(int(a.End.Sub(a.Start).Minutes())), "location": a.Location,
		"office_id": a.OfficeID, "cpt": a.CPT, "scope": scheduling.ScopeThis}}
	// An open time picked after a clash (?start=…) fills in the form; the
	// provider still confirms it.
	if picked, err := time.Parse(time.RFC3339, r.URL.Query().Get("start")); err == nil {
		view.Reschedule.Values["date"] = picked.In(loc).Format("2006-01-02")
		view.Reschedule.Values["time"] = picked.In(loc).Format("15:04")
	}
	view.Cancel = ui.Form{Values: map[string]string{"scope": scheduling.ScopeThis}}
	list, err := s.Notes.List(ctx, v.actor, a.ClientID)
	if err != nil {
		return view, a, err
	}
	for _, n := range list {
		if n.AppointmentID == a.ID {
			view.Notes = append(view.Notes, noteRow(n, loc))
		}
	}
	for _, t := range notes.Templates() {
		view.NoteTemplates = append(view.NoteTemplates, ui.Option{Value: t.Name, Label: t.Title})
	}
	return view, a, nil
}

// dash shows "—" for an empty value.
func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// appointmentPage shows one appointment.
func (s *server) appointmentPage(w http.ResponseWriter, r *http.Request) error {
	view, _, err := s.detailView(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.AppointmentDetail(s.shellFor(r, view.Title, "/appointments"), view))
	return nil
}

// rescheduleAppointment moves an appointment, or this and following or
// all sessions of its series.
func (s *server) rescheduleAppointment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := visitorFrom(ctx)
	id := r.PathValue("id")
	view, a, err := s.detailView(r, id)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(view.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	f := ui.Form{Values: map[string]string{}}
	for _, name := range []string{"date", "time", "duration", "location", "office_id", "cpt", "scope"} {
		f.Values[name] = formValue(r, name)
	}
	var c scheduling.Change
	start, ok := localInstant(f.Value("date"), f.Value("time"), loc)
	if !ok {
		f.SetError("date", "Enter a date like 2026-03-10 and a time like 14:30.")
	} else if !start.Equal(a.Start) {
		c.Start = &start
	}
	if d := f.Value("duration"); d != "" {
		m, err := strconv.Atoi(d)
		if err != nil || m < 5 || m > 480 {
			f.SetError("duration", "Enter a length from 5 minutes to 8 hours (480 minutes).")
		} else if m != int(a.End.Sub(a.Start).Minutes()) {
			c.DurationMinutes = &m
		}
	}
	set := func(name, old string, dst **string) {
		if val := f.Value(name); val != old {
			*dst = &val
		}
	}
	set("location", a.Location, &c.Location)
	office := f.Value("office_id")
	if f.Value("location") != scheduling.LocationOffice {
		office = ""
	}
	if office != a.OfficeID {
		c.OfficeID = &office
	}
	set("cpt", a.CPT, &c.CPT)
	scope := f.Value("scope")
	if scope == "" || a.SeriesID == "" {
		scope = scheduling.ScopeThis
	}
	show := func(status int) error {
		view.Reschedule = f
		s.render(w, r, status, ui.AppointmentDetail(s.shellFor(r, view.Title, "/appointments"), view))
		return nil
	}
	if f.HasErrors() {
		return show(http.StatusUnprocessableEntity)
	}
	_, err = s.Scheduling.Reschedule(ctx, v.actor, id, scope, c)
	switch {
	case errors.Is(err, scheduling.ErrSlotTaken):
		f.Message = "That time was just taken by another appointment. Choose another time."
		// Each open time links back to this page with the form filled in.
		for _, sl := range s.freshSlots(r, a.ProviderID, start, a.TypeKey, "/appointments/"+id+"?") {
			sl.Href += "#reschedule-section"
			view.RescheduleSlots = append(view.RescheduleSlots, sl)
		}
		return show(http.StatusConflict)
	case areaProblems(&f, err):
		return show(http.StatusUnprocessableEntity)
	case err != nil:
		return err
	}
	return redirect(w, r, "/appointments/"+id+"?done=rescheduled")
}

// cancelAppointment cancels an appointment (or part of its series) for
// a reason.
func (s *server) cancelAppointment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := visitorFrom(ctx)
	id := r.PathValue("id")
	reason, ok := cancelReasonLabel(formValue(r, "reason"))
	scope := formValue(r, "scope")
	if scope == "" {
		scope = scheduling.ScopeThis
	}
	if !ok {
		view, _, err := s.detailView(r, id)
		if err != nil {
			return err
		}
		view.Cancel.Values["scope"] = scope
		view.Cancel.SetError("reason", "Choose why the appointment is cancelled.")
		s.render(w, r, http.StatusUnprocessableEntity,
			ui.AppointmentDetail(s.shellFor(r, view.Title, "/appointments"), view))
		return nil
	}
	_, err := s.Scheduling.Cancel(ctx, v.actor, id, scope, reason)
	if err != nil {
		view, _, verr := s.detailView(r, id)
		if verr != nil {
			return verr
		}
		if !areaProblems(&view.Cancel, err) {
			return err
		}
		s.render(w, r, http.StatusUnprocessableEntity,
			ui.AppointmentDetail(s.shellFor(r, view.Title, "/appointments"), view))
		return nil
	}
	return redirect(w, r, "/appointments/"+id+"?done=canceled")
}

// markNoShow records that the client did not come.
func (s *server) markNoShow(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	if _, err := s.Scheduling.MarkNoShow(r.Context(), v.actor, id); err != nil {
		return err
	}
	return redirect(w, r, "/appointments/"+id+"?done=no_show")
}

// appointmentNote starts a session note tied to the appointment.
func (s *server) appointmentNote(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := visitorFrom(ctx)
	a, err := s.Scheduling.Get(ctx, v.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	n, err := s.Notes.Create(ctx, v.actor, a.ClientID, formValue(r, "template"), a.ID, nil)
	if err != nil {
		return err
	}
	return redirect(w, r, "/notes/"+n.ID)
}
