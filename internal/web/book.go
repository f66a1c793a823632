package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/web/ui"
)

// bookingDays is how many days of open times one booking page shows.
const bookingDays = 14

// bookingFields are the new-client form's inputs, put back on a problem.
var bookingFields = []string{"start", "location", "first_name", "last_name", "email", "phone",
	"date_of_birth", "state", "payer_id", "member_id", "cash_pay", "consent_terms", "consent_privacy"}

// visitorZone is the zone the visitor asked for with ?tz= (or the
// form's tz), else fallback.
func visitorZone(r *http.Request, fallback string) (*time.Location, string) {
	name := r.FormValue("tz")
	if name != "" && len(name) < 64 {
		if loc, err := time.LoadLocation(name); err == nil && name != "Local" {
			return loc, name
		}
	}
	loc, err := time.LoadLocation(fallback)
	if err != nil {
		return time.UTC, "UTC"
	}
	return loc, fallback
}

// bookingWindow is the span of open times a page shows: from ?from=
// (a date) or now, for bookingDays.
func (s *server) bookingWindow(r *http.Request, loc *time.Location) (time.Time, time.Time) {
	now := s.Clock.Now()
	from := now
	if d, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("from"), loc); err == nil && d.After(now) &&
		d.Before(now.AddDate(1, 0, 0)) {
		from = d
	}
	return from, from.AddDate(0, 0, bookingDays)
}

// slotDays groups open times by day in loc; checked marks the chosen one.
func slotDays(found []booking.Slot, loc *time.Location, checked string) []ui.SlotDay {
	var days []ui.SlotDay
	last := ""
	for _, sl := range found {
		local := sl.Start.In(loc)
		key := local.Format("2006-01-02")
		if key != last {
			days = append(days, ui.SlotDay{Heading: local.Format("Monday, 2 January")})
			last = key
		}
		v := sl.Start.UTC().Format(time.RFC3339)
		d := &days[len(days)-1]
		d.Slots = append(d.Slots, ui.SlotChoice{Value: v, Checked: v == checked,
			Label: local.Format("15:04") + "–" + sl.End.In(loc).Format("15:04")})
	}
	return days
}

// pageLinks sets the earlier and later links of a booking page.
func pageLinks(view *ui.BookingView, base string, from time.Time, now time.Time, zone string) {
	q := url.Values{"tz": {zone}}
	q.Set("from", from.AddDate(0, 0, bookingDays).Format("2006-01-02"))
	view.MoreHref = base + "?" + q.Encode()
	if from.After(now.Add(time.Hour)) {
		q.Set("from", from.AddDate(0, 0, -bookingDays).Format("2006-01-02"))
		view.EarlierHref = base + "?" + q.Encode()
	}
}

// locationChoices offers office or telehealth when the provider has both.
func locationChoices(p scheduling.PublicProvider) []ui.Option {
	if p.Telehealth && len(p.Offices) > 0 {
		return ui.LocationOptions
	}
	return nil
}

// newClientView builds the public booking page.
func (s *server) newClientView(r *http.Request, slug string, f ui.Form) (ui.BookingView, error) {
	ctx := r.Context()
	p, err := s.Booking.PublicProvider(ctx, slug)
	if err != nil {
		return ui.BookingView{}, err
	}
	loc, zone := visitorZone(r, p.TimeZone)
	from, to := s.bookingWindow(r, loc)
	found, err := s.Booking.PublicSlots(ctx, slug, from, to, loc)
	if err != nil {
		return ui.BookingView{}, err
	}
	payers, err := s.payerOptions(ctx)
	if err != nil {
		return ui.BookingView{}, err
	}
	base := "/book/" + url.PathEscape(slug)
	view := ui.BookingView{Action: base, ProviderName: p.Name, Credentials: p.Credentials,
		Intro: "Book your first session (intake). Times are shown in " + zone + ".", TimeZone: zone,
		Zones: zoneOptions(zone), Days: slotDays(found, loc, f.Value("start")), Form: f, NewClient: true,
		Payers: payers, States: stateOptions(), Locations: locationChoices(p)}
	pageLinks(&view, base, from, s.Clock.Now(), zone)
	return view, nil
}

// stateOptions lists the states for the booking form.
func stateOptions() []ui.Option {
	out := make([]ui.Option, 0, len(ui.USStates))
	for _, st := range ui.USStates {
		out = append(out, ui.Option{Value: st, Label: st})
	}
	return out
}

// bookPage is the public new-client booking page.
func (s *server) bookPage(w http.ResponseWriter, r *http.Request) error {
	view, err := s.newClientView(r, r.PathValue("slug"), ui.Form{Values: map[string]string{}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.BookingPage(s.pageFor(r, "Book an appointment"), view))
	return nil
}

// bookSubmit books a new client's intake. The answer is the same whether
// the email belonged to an existing client or the honeypot was filled.
func (s *server) bookSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	f := ui.Form{Values: map[string]string{}}
	for _, name := range bookingFields {
		f.Values[name] = formValue(r, name)
	}
	start, _ := time.Parse(time.RFC3339, f.Value("start"))
	_, zone := visitorZone(r, "UTC")
	req := booking.NewClientRequest{Slug: slug, Start: start, Location: f.Value("location"),
		FirstName: f.Value("first_name"), LastName: f.Value("last_name"), Email: f.Value("email"),
		Phone: f.Value("phone"), DateOfBirth: f.Value("date_of_birth"), State: f.Value("state"),
		PayerID: f.Value("payer_id"), MemberID: f.Value("member_id"), CashPay: f.Value("cash_pay") == "1",
		ConsentTerms: f.Value("consent_terms") == "1", ConsentPrivacy: f.Value("consent_privacy") == "1",
		Honeypot: formValue(r, "website"), IP: clientIP(r), UserAgent: r.UserAgent(), TimeZone: zone}
	conf, err := s.Booking.BookNewClient(r.Context(), req)
	if err != nil {
		return s.bookingRefused(w, r, err, f, func(f ui.Form) (ui.BookingView, error) {
			return s.newClientView(r, slug, f)
		})
	}
	loc, err := time.LoadLocation(conf.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	done := ui.BookingDone{ProviderName: conf.ProviderName, When: whenText(conf.Start, conf.End, loc),
		TimeZone: conf.TimeZone, Location: locationName(conf.Location), NewClient: true}
	s.render(w, r, http.StatusOK, ui.BookingConfirmed(s.pageFor(r, "Appointment requested"), done))
	return nil
}

// locationName names a location value.
func locationName(l string) string {
	if l == scheduling.LocationOffice {
		return "In the office"
	}
	return "Telehealth (video)"
}

// bookingRefused shows a booking form again after a refusal: problems
// next to their fields, a taken slot with fresh times, or throttling.
func (s *server) bookingRefused(w http.ResponseWriter, r *http.Request, err error, f ui.Form,
	build func(ui.Form) (ui.BookingView, error)) error {
	status := http.StatusUnprocessableEntity
	var (
		taken   *booking.SlotTakenError
		limited *booking.RateLimitedError
	)
	switch {
	case errors.As(err, &taken) || errors.Is(err, scheduling.ErrSlotTaken):
		f.Message = "Sorry — that time was just taken. Please choose another time below."
		f.Values["start"] = ""
		status = http.StatusConflict
	case errors.As(err, &limited):
		w.Header().Set("Retry-After", strconv.Itoa(int(limited.RetryAfter.Seconds())+1))
		f.Message = limited.Error()
		status = http.StatusTooManyRequests
	case errors.Is(err, scheduling.ErrOutsideWindow):
		f.Message = err.Error()
		status = http.StatusConflict
	case !bookingProblems(&f, err):
		return err
	}
	view, verr := build(f)
	if verr != nil {
		return verr
	}
	view.Fresh = status == http.StatusConflict
	if taken != nil && len(taken.Fresh) > 0 {
		loc, _ := visitorZone(r, view.TimeZone)
		view.Days = slotDays(taken.Fresh, loc, "")
	}
	if status == http.StatusUnprocessableEntity {
		s.Logger.LogAttrs(r.Context(), slog.LevelInfo, "booking refused", slog.String("reason", "invalid input"))
	}
	s.render(w, r, status, ui.BookingPage(s.pageFor(r, "Book an appointment"), view))
	return nil
}

// bookingProblems puts booking's field problems (named as the form's
// inputs) next to their fields.
func bookingProblems(f *ui.Form, err error) bool {
	errs, ok := validationErrors(err)
	if !ok {
		return false
	}
	for _, e := range errs {
		if f.Error(e.Field) == "" {
			f.SetError(e.Field, e.Message)
		}
	}
	return true
}
