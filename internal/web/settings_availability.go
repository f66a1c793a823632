package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// rangesPerDay is how many ranges of working hours the form offers a day.
const rangesPerDay = 2

// commonZones are the time zones the settings offer; the provider's own
// zone is added when it is another.
var commonZones = []string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "Europe/London", "Europe/Berlin", "UTC",
}

// zoneOptions lists the zones to choose from, current first if unlisted.
func zoneOptions(current string) []ui.Option {
	var out []ui.Option
	if current != "" && !slices.Contains(commonZones, current) {
		out = append(out, ui.Option{Value: current, Label: current})
	}
	for _, z := range commonZones {
		out = append(out, ui.Option{Value: z, Label: z})
	}
	return out
}

// weekdayOrder lists the weekdays Monday first.
var weekdayOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday,
	time.Saturday, time.Sunday}

// offsetText shows an offset from midnight as 15:04.
func offsetText(d time.Duration) string {
	m := int(d.Minutes())
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// availabilityView fills the Availability page from the settings.
func (s *server) availabilityView(r *http.Request, a scheduling.Availability) ui.AvailabilityView {
	v := ui.AvailabilityView{TimeZone: a.TimeZone, Zones: zoneOptions(a.TimeZone), Slug: a.Slug,
		BookURL: s.publicURL("/book/" + a.Slug), Tele: a.Telehealth, Modes: ui.ModeOptions,
		Offices: officeOptions(a.Offices), Weekdays: weekdayOptions(), Kinds: kindOptions,
		OverrideRanges: overrideRangeFields(),
		Increments: []ui.Option{{Value: "15", Label: "15 minutes"}, {Value: "30", Label: "30 minutes"},
			{Value: "60", Label: "60 minutes"}}}
	for _, wd := range weekdayOrder {
		day := ui.WeekdayHours{Label: wd.String()}
		for i := range rangesPerDay {
			hr := ui.HoursRange{Prefix: fmt.Sprintf("d%dr%d", int(wd), i), Mode: "both"}
			if i < len(a.Weekly[wd]) {
				rg := a.Weekly[wd][i]
				hr.Start, hr.End, hr.Mode, hr.Office = offsetText(rg.Start), offsetText(rg.End), rg.Mode.String(), rg.OfficeID
			}
			day.Ranges = append(day.Ranges, hr)
		}
		v.Days = append(v.Days, day)
	}
	for _, t := range a.Types {
		v.Types = append(v.Types, ui.TypeRow{Key: t.Key, Name: t.Name, Minutes: strconv.Itoa(t.Minutes),
			CPT: t.CPT, Kind: t.Kind})
	}
	loc, now := zoneOf(a), s.Clock.Now()
	for _, t := range a.TimeOff {
		v.TimeOff = append(v.TimeOff, ui.TimeOffRow{ID: t.ID, When: timeOffText(t, loc, now), Note: t.Note})
	}
	for _, o := range a.Overrides {
		when := o.Date.String() + ": not working"
		for i, rg := range o.Ranges {
			if i == 0 {
				when = o.Date.String() + ": "
			} else {
				when += ", "
			}
			when += offsetText(rg.Start) + "–" + offsetText(rg.End)
		}
		v.Overrides = append(v.Overrides, ui.TimeOffRow{ID: o.Date.String(), When: when})
	}
	for _, o := range a.Offices {
		v.OfficeList = append(v.OfficeList, ui.OfficeRow{ID: o.ID, Name: o.Name,
			Address: o.Line1 + ", " + o.City + " " + o.State + " " + o.PostalCode})
	}
	rl := a.Rules
	v.Rules = ui.Form{Values: map[string]string{
		"increment": strconv.Itoa(rl.IncrementMinutes), "min_notice_hours": strconv.Itoa(rl.MinNoticeMinutes / 60),
		"horizon_days": strconv.Itoa(rl.HorizonDays), "buffer_before": strconv.Itoa(rl.BufferBeforeMinutes),
		"buffer_after": strconv.Itoa(rl.BufferAfterMinutes), "daily_max": strconv.Itoa(rl.DailyMax),
		"cancel_window_hours": strconv.Itoa(rl.CancelWindowHours), "reminder_hours": strconv.Itoa(rl.ReminderHours),
	}}
	if r.URL.Query().Get("done") == "saved" {
		v.Notice = "Your availability has been saved."
	}
	return v
}

// settingsAvailability shows the provider's scheduling settings.
func (s *server) settingsAvailability(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	a, err := s.Scheduling.Availability(r.Context(), v.actor)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.SettingsAvailability(s.settingsShell(r, "Availability"),
		s.availabilityView(r, a)))
	return nil
}

// saveAvailability saves one section of the Availability page.
func (s *server) saveAvailability(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := visitorFrom(ctx)
	a, err := s.Scheduling.Availability(ctx, v.actor)
	if err != nil {
		return err
	}
	f := ui.Form{Values: map[string]string{}}
	for k := range r.PostForm {
		f.Values[k] = formValue(r, k)
	}
	var p scheduling.AvailabilityPatch
	switch formValue(r, "section") {
	case "general":
		zone, slug, tele := formValue(r, "time_zone"), formValue(r, "slug"), formValue(r, "telehealth") == "1"
		p.TimeZone, p.Slug, p.Telehealth = &zone, &slug, &tele
	case "hours":
		week, ok := readWeek(r, &f)
		p.Weekly = &week
		if !ok {
			return s.availabilityProblem(w, r, a, f)
		}
	case "rules":
		rules, ok := readRules(r, &f, a.Rules)
		if !ok {
			return s.availabilityProblem(w, r, a, f)
		}
		p.Rules = &rules
	case "types":
		types := slices.Clone(a.Types)
		for i, t := range types {
			types[i].Name = formValue(r, "type_"+t.Key+"_name")
			types[i].CPT = formValue(r, "type_"+t.Key+"_cpt")
			m, err := strconv.Atoi(formValue(r, "type_"+t.Key+"_minutes"))
			if err != nil {
				f.SetError("types", "Enter each type's length in minutes.")
				return s.availabilityProblem(w, r, a, f)
			}
			types[i].Minutes = m
		}
		p.Types = &types
	case "timeoff":
		loc, err := time.LoadLocation(a.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		from, e1 := time.ParseInLocation("2006-01-02", formValue(r, "from"), loc)
		to, e2 := time.ParseInLocation("2006-01-02", formValue(r, "to"), loc)
		if e1 != nil {
			f.SetError("from", "Enter the first day off.")
		}
		if e2 != nil {
			to = from
		}
		if f.HasErrors() {
			return s.availabilityProblem(w, r, a, f)
		}
		list := append(slices.Clone(a.TimeOff), scheduling.TimeOffEntry{ID: store.NewID(), Start: from.UTC(),
			End: to.UTC(), AllDay: true, Note: formValue(r, "note")})
		p.TimeOff = &list
	case "timeoff_remove":
		id := formValue(r, "id")
		list := slices.DeleteFunc(slices.Clone(a.TimeOff), func(t scheduling.TimeOffEntry) bool { return t.ID == id })
		p.TimeOff = &list
	case "override":
		o, ok := readOverride(r, &f)
		if !ok {
			return s.availabilityProblem(w, r, a, f)
		}
		list := slices.DeleteFunc(slices.Clone(a.Overrides), func(x slots.Override) bool { return x.Date == o.Date })
		list = append(list, o)
		p.Overrides = &list
	case "override_remove":
		d := formValue(r, "date")
		list := slices.DeleteFunc(slices.Clone(a.Overrides), func(x slots.Override) bool { return x.Date.String() == d })
		p.Overrides = &list
	case "office":
		list := append(slices.Clone(a.Offices), scheduling.Office{ID: store.NewID(), Name: formValue(r, "name"),
			Line1: formValue(r, "line1"), City: formValue(r, "city"), State: formValue(r, "state"),
			PostalCode: formValue(r, "postal_code")})
		p.Offices = &list
	case "office_remove":
		id := formValue(r, "id")
		list := slices.DeleteFunc(slices.Clone(a.Offices), func(o scheduling.Office) bool { return o.ID == id })
		p.Offices = &list
	default:
		handled, ok := s.extraSection(r, a, &f, &p)
		if !handled {
			return errBadRequest
		}
		if !ok {
			return s.availabilityProblem(w, r, a, f)
		}
	}
	if _, err := s.Scheduling.UpdateAvailability(ctx, v.actor, p); err != nil {
		if areaSettingsProblems(&f, formValue(r, "section"), err) {
			return s.availabilityProblem(w, r, a, f)
		}
		return err
	}
	return redirect(w, r, "/settings/availability?done=saved")
}

// availabilityProblem shows the page again with the problem.
func (s *server) availabilityProblem(w http.ResponseWriter, r *http.Request, a scheduling.Availability,
	f ui.Form) error {
	view := s.availabilityView(r, a)
	view.Form = f
	if f.Message == "" && len(f.Errors) > 0 {
		f.Message = "Some of what you entered is not valid; see below."
		view.Form = f
	}
	for k, msg := range f.Errors {
		if _, ok := view.Rules.Values[k]; ok {
			view.Rules.SetError(k, msg)
			view.Rules.Values[k] = f.Value(k)
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, ui.SettingsAvailability(s.settingsShell(r, "Availability"), view))
	return nil
}

// areaSettingsProblems copies the area's validation problems onto the
// form: the field names the area uses are the form's, or go on top.
func areaSettingsProblems(f *ui.Form, section string, err error) bool {
	errs, ok := validationErrors(err)
	if !ok {
		return false
	}
	for _, e := range errs {
		field := sectionField(section, e.Field)
		switch {
		case field == "weekly_hours" || len(field) > 6 && field[:6] == "weekly":
			field = "weekly"
		case len(field) > 5 && field[:5] == "rules":
			if len(field) > 6 {
				field = field[6:]
			}
		case section != "type_add" && len(field) > 5 && field[:5] == "types":
			field = "types"
		}
		if f.Error(field) == "" {
			f.SetError(field, e.Message)
		}
		if f.Message == "" {
			f.Message = e.Message
		}
	}
	return true
}

// readWeek reads the working hours; problems it sees go on the form.
func readWeek(r *http.Request, f *ui.Form) (slots.Week, bool) {
	var week slots.Week
	ok := true
	for wd := range 7 {
		for i := range rangesPerDay {
			prefix := fmt.Sprintf("d%dr%d", wd, i)
			from, to := formValue(r, prefix+"_start"), formValue(r, prefix+"_end")
			if from == "" && to == "" {
				continue
			}
			a, e1 := time.Parse("15:04", from)
			b, e2 := time.Parse("15:04", to)
			if e1 != nil || e2 != nil {
				f.SetError("weekly", time.Weekday(wd).String()+": enter both times, like 09:00 and 17:00.")
				ok = false
				continue
			}
			end := time.Duration(b.Hour())*time.Hour + time.Duration(b.Minute())*time.Minute
			if to == "00:00" {
				end = 24 * time.Hour
			}
			mode, err := slots.ParseMode(formValue(r, prefix+"_mode"))
			if err != nil {
				mode = slots.Telehealth
			}
			week[wd] = append(week[wd], slots.Range{
				Start: time.Duration(a.Hour())*time.Hour + time.Duration(a.Minute())*time.Minute,
				End:   end, Mode: mode, OfficeID: formValue(r, prefix+"_office")})
		}
	}
	if ok {
		if err := week.Validate(); err != nil {
			f.SetError("weekly", "These working hours cannot be used: ranges must not overlap, must end "+
				"after they start, and office hours need an office.")
			ok = false
		}
	}
	return week, ok
}

// readRules reads the booking rules.
func readRules(r *http.Request, f *ui.Form, old scheduling.BookingRules) (scheduling.BookingRules, bool) {
	num := func(name string) int {
		n, err := strconv.Atoi(formValue(r, name))
		if err != nil || n < 0 {
			f.SetError(name, "Enter a whole number, 0 or more.")
			return 0
		}
		return n
	}
	rl := old
	rl.IncrementMinutes = num("increment")
	rl.MinNoticeMinutes = num("min_notice_hours") * 60
	rl.HorizonDays = num("horizon_days")
	rl.BufferBeforeMinutes = num("buffer_before")
	rl.BufferAfterMinutes = num("buffer_after")
	rl.DailyMax = num("daily_max")
	rl.CancelWindowHours = num("cancel_window_hours")
	rl.ReminderHours = num("reminder_hours")
	return rl, !f.HasErrors()
}

// validationErrors returns the field problems err carries.
func validationErrors(err error) (validation.Errors, bool) {
	errs, ok := validation.From(err)
	return errs, ok && len(errs) > 0
}
