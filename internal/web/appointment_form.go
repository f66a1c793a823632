package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/wallclock"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// appointmentFields are the inputs of the appointment forms, in order.
var appointmentFields = []string{"client_id", "type", "date", "time", "duration", "location", "office_id",
	"cpt", "notes_for_client", "frequency", "count", "until"}

// areaFieldNames maps the scheduling area's field names onto the form's.
var areaFieldNames = map[string]string{
	"start": "time", "duration_minutes": "duration", "cpt_code": "cpt", "recurrence": "frequency",
	"recurrence.count": "count", "recurrence.until": "until", "recurrence.frequency": "frequency",
	"client": "client_id", "kind": "type", "type_key": "type",
}

// readAppointmentForm reads the appointment form: its values for showing
// again, the request for the scheduling area, and problems it can see on
// its own (dates and numbers that do not parse).
func readAppointmentForm(r *http.Request, loc *time.Location) (ui.Form, scheduling.NewAppointment) {
	f := ui.Form{Values: map[string]string{}}
	for _, name := range appointmentFields {
		f.Values[name] = formValue(r, name)
	}
	n := scheduling.NewAppointment{ClientID: f.Value("client_id"), TypeKey: f.Value("type"),
		Location: f.Value("location"), OfficeID: f.Value("office_id"), CPT: f.Value("cpt"),
		NotesForClient: f.Value("notes_for_client"), Source: scheduling.SourceProvider}
	if n.Location != scheduling.LocationOffice {
		n.OfficeID = ""
	}
	start, ok := localInstant(f.Value("date"), f.Value("time"), loc)
	switch {
	case f.Value("date") == "":
		f.SetError("date", "Enter the date.")
	case f.Value("time") == "":
		f.SetError("time", "Enter the start time.")
	case !ok:
		f.SetError("date", "Enter a date like 2026-03-10 and a time like 14:30.")
	default:
		n.Start = start
	}
	if d := f.Value("duration"); d != "" {
		m, err := strconv.Atoi(d)
		if err != nil || m < 5 || m > 480 {
			f.SetError("duration", "Enter a length from 5 minutes to 8 hours (480 minutes).")
		}
		n.DurationMinutes = m
	}
	if freq := f.Value("frequency"); freq != "" && freq != "once" {
		rec := &scheduling.Recurrence{Frequency: freq}
		if c := f.Value("count"); c != "" {
			count, err := strconv.Atoi(c)
			if err != nil || count < 1 {
				f.SetError("count", "Enter how many sessions, e.g. 8.")
			}
			rec.Count = count
		}
		if u := f.Value("until"); u != "" {
			day, err := time.ParseInLocation("2006-01-02", u, loc)
			if err != nil {
				f.SetError("until", "Enter the last date like 2026-06-30.")
			} else {
				end := day.AddDate(0, 0, 1).Add(-time.Second)
				rec.Until = &end
			}
		}
		if rec.Count == 0 && rec.Until == nil && !f.HasErrors() {
			f.SetError("count", "Enter the number of sessions or the last date.")
		}
		n.Recurrence = rec
	}
	return f, n
}

// localInstant reads a date and a time of day on the wall clock of loc.
// Times in a daylight-saving gap or overlap resolve as RFC 5545 §3.3.5
// says (package wallclock).
func localInstant(date, clock string, loc *time.Location) (time.Time, bool) {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return time.Time{}, false
	}
	c, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}, false
	}
	return wallclock.In(loc, wallclock.Time{Year: d.Year(), Month: d.Month(), Day: d.Day(),
		Hour: c.Hour(), Minute: c.Minute()}), true
}

// areaProblems puts the area's validation problems next to the form's
// fields; problems with no field become the form-wide message. It
// reports whether err carried any.
func areaProblems(f *ui.Form, err error) bool {
	errs, ok := validation.From(err)
	if !ok || len(errs) == 0 {
		return false
	}
	known := map[string]bool{}
	for _, n := range appointmentFields {
		known[n] = true
	}
	for _, e := range errs {
		name := e.Field
		if to, ok := areaFieldNames[name]; ok {
			name = to
		}
		if known[name] && f.Error(name) == "" {
			f.SetError(name, e.Message)
		} else if f.Message == "" {
			f.Message = e.Message
		}
	}
	return true
}

// previewKey fingerprints the values a preview was made of, so a series
// is booked only as it was previewed.
func previewKey(f ui.Form) string {
	h := sha256.New()
	for _, name := range appointmentFields {
		h.Write([]byte(name + "=" + f.Value(name) + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// typeOptions lists the provider's appointment types.
func typeOptions(types []scheduling.AppointmentType) []ui.Option {
	out := make([]ui.Option, 0, len(types))
	for _, t := range types {
		label := t.Name + " · " + strconv.Itoa(t.Minutes) + " min"
		if t.CPT != "" {
			label += " · " + t.CPT
		}
		out = append(out, ui.Option{Value: t.Key, Label: label})
	}
	return out
}

// officeOptions lists the provider's offices.
func officeOptions(offices []scheduling.Office) []ui.Option {
	out := make([]ui.Option, 0, len(offices))
	for _, o := range offices {
		label := o.Name
		if o.City != "" {
			label += " — " + o.City
		}
		out = append(out, ui.Option{Value: o.ID, Label: label})
	}
	return out
}

// appointmentFormView fills the choices of the appointment form.
func (s *server) appointmentFormView(r *http.Request, f ui.Form) (ui.AppointmentFormView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	a, err := s.Scheduling.Availability(ctx, v.actor)
	if err != nil {
		return ui.AppointmentFormView{}, err
	}
	view := ui.AppointmentFormView{Action: "/appointments", Form: f, Types: typeOptions(a.Types),
		Offices: officeOptions(a.Offices), Frequencies: ui.FrequencyOptions, TimeZone: a.TimeZone,
		Cancel: "/appointments", SubmitText: "Book appointment"}
	page, err := s.Clients.List(ctx, v.actor, clients.Query{Tab: clients.StatusActive, Limit: 100})
	if err != nil {
		return view, err
	}
	for _, c := range page.Items {
		view.Clients = append(view.Clients, ui.Option{Value: c.ID, Label: clientListName(c)})
	}
	return view, nil
}

// newAppointmentForm shows the form; ?start= (from an open slot of the
// calendar) and ?client= fill it in.
func (s *server) newAppointmentForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	loc := s.zoneFor(ctx, v)
	f := ui.Form{Values: map[string]string{"location": scheduling.LocationTelehealth, "frequency": "once",
		"type": "individual_45"}}
	q := r.URL.Query()
	if t, err := time.Parse(time.RFC3339, q.Get("start")); err == nil {
		local := t.In(loc)
		f.Values["date"], f.Values["time"] = local.Format("2006-01-02"), local.Format("15:04")
	}
	if c := q.Get("client"); c != "" {
		f.Values["client_id"] = c
	}
	view, err := s.appointmentFormView(r, f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.AppointmentForm(s.shellFor(r, "New appointment", "/appointments"), view))
	return nil
}

// createAppointment previews or books what the form asks for. A series
// is booked only after its preview was shown for the same values.
func (s *server) createAppointment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := visitorFrom(ctx)
	loc := s.zoneFor(ctx, v)
	f, n := readAppointmentForm(r, loc)
	shell := s.shellFor(r, "New appointment", "/appointments")
	show := func(status int, view ui.AppointmentFormView) error {
		s.render(w, r, status, ui.AppointmentForm(shell, view))
		return nil
	}
	view, err := s.appointmentFormView(r, f)
	if err != nil {
		return err
	}
	if f.HasErrors() {
		return show(http.StatusUnprocessableEntity, view)
	}
	key := previewKey(f)
	series := n.Recurrence != nil
	if formValue(r, "step") == "preview" || (series && formValue(r, "preview_key") != key) {
		if err := s.fillPreview(r, &view, n, key); err != nil {
			return err
		}
		if view.Form.HasErrors() {
			return show(http.StatusUnprocessableEntity, view)
		}
		return show(http.StatusOK, view)
	}
	made, err := s.Scheduling.Create(ctx, v.actor, n)
	if err != nil {
		if s.bookingProblem(r, &view.Form, &view.Slots, err, n) {
			return show(http.StatusConflict, view)
		}
		if areaProblems(&view.Form, err) {
			return show(http.StatusUnprocessableEntity, view)
		}
		return err
	}
	return redirect(w, r, "/appointments/"+made[0].ID+"?done=booked")
}

// fillPreview lists the sessions n would create, with conflicts and the
// ones outside working hours.
func (s *server) fillPreview(r *http.Request, view *ui.AppointmentFormView, n scheduling.NewAppointment,
	key string) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	occ, err := s.Scheduling.Preview(ctx, v.actor, n)
	if err != nil {
		if areaProblems(&view.Form, err) {
			return nil
		}
		return err
	}
	loc := s.zoneFor(ctx, v)
	view.Previewed = true
	for _, o := range occ {
		row := ui.OccurrenceRow{When: whenText(o.Start, o.End, loc), Conflict: o.Conflict}
		for _, w := range o.Warnings {
			if w == scheduling.WarningOutsideHours {
				row.OutsideHours = true
			}
		}
		if row.Conflict {
			view.Conflicts++
		}
		if row.OutsideHours {
			view.Outside++
		}
		view.Preview = append(view.Preview, row)
	}
	if view.Conflicts == 0 {
		view.PreviewKey = key
		if len(occ) > 1 {
			view.SubmitText = "Book " + strconv.Itoa(len(occ)) + " sessions"
		}
	}
	return nil
}

// bookingProblem turns "slot taken" and "archived client" into a message
// on the form, with fresh open times after a taken slot. It reports
// whether err was one of them.
func (s *server) bookingProblem(r *http.Request, f *ui.Form, fresh *[]ui.SlotOption, err error,
	n scheduling.NewAppointment) bool {
	switch {
	case errors.Is(err, scheduling.ErrSlotTaken):
		f.Message = "That time was just taken by another appointment. Choose another time; " +
			"open times are listed below."
		v := visitorFrom(r.Context())
		*fresh = s.freshSlots(r, v.user.ProviderID, n.Start, n.TypeKey, "/appointments/new?client="+n.ClientID+"&")
		return true
	case errors.Is(err, scheduling.ErrArchived):
		f.Message = msgArchived
		return true
	}
	return false
}

// freshSlots lists up to eight open starts after around, each linking
// to hrefPrefix + "start=…".
func (s *server) freshSlots(r *http.Request, providerID string, around time.Time, typeKey,
	hrefPrefix string) []ui.SlotOption {
	ctx := r.Context()
	from := s.Clock.Now()
	if around.After(from) {
		from = around.Add(-24 * time.Hour)
		from = later(from, s.Clock.Now())
	}
	found, err := s.Scheduling.Slots(ctx, providerID, from, from.Add(14*24*time.Hour), typeKey)
	if err != nil {
		return nil
	}
	a, err := s.Scheduling.AvailabilityForProvider(ctx, providerID)
	if err != nil {
		return nil
	}
	loc, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	var out []ui.SlotOption
	for _, sl := range found {
		if len(out) == 8 {
			break
		}
		out = append(out, ui.SlotOption{Label: sl.Start.In(loc).Format("Mon 2 Jan, 15:04"),
			Href: hrefPrefix + "start=" + strings.ReplaceAll(sl.Start.UTC().Format(time.RFC3339), "+", "%2B")})
	}
	return out
}

// later returns the later of two instants.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
