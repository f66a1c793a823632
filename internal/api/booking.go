package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/scheduling"
)

// publicProviderJSON is what the public booking page shows about a
// provider.
type publicProviderJSON struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Credentials string `json:"credentials"`
	TimeZone    string `json:"time_zone"`
}

// publicSlotsJSON is the answer to GET /public/providers/{slug}/slots.
type publicSlotsJSON struct {
	Provider publicProviderJSON `json:"provider"`
	TimeZone string             `json:"time_zone"`
	Items    []slotJSON         `json:"items"`
}

// publicBookingJSON is the body of POST /public/providers/{slug}/bookings.
// Website is the honeypot: people never see it, so it stays empty.
type publicBookingJSON struct {
	Start          string `json:"start"`
	Location       string `json:"location"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	Email          string `json:"email"`
	Phone          string `json:"phone"`
	DateOfBirth    string `json:"date_of_birth"`
	State          string `json:"state"`
	CashPay        bool   `json:"cash_pay"`
	PayerID        string `json:"payer_id"`
	MemberID       string `json:"member_id"`
	ConsentTerms   bool   `json:"consent_terms"`
	ConsentPrivacy bool   `json:"consent_privacy"`
	TimeZone       string `json:"time_zone"`
	Website        string `json:"website"`
}

// bookingReceivedJSON answers a public booking. It reads the same
// whether the time was booked, the email already belonged to a client
// (who is mailed instead) or the request was dropped as spam.
type bookingReceivedJSON struct {
	Status       string `json:"status"`
	ProviderName string `json:"provider_name"`
	Start        string `json:"start"`
	End          string `json:"end"`
	LocalStart   string `json:"local_start"`
	LocalEnd     string `json:"local_end"`
	TimeZone     string `json:"time_zone"`
	Location     string `json:"location"`
}

// publicSlotParams are the query parameters of the public slots.
var publicSlotParams = []string{"from", "to", "tz"}

// visitorZone reads an optional IANA zone name; nil when empty.
func visitorZone(field, name string) (*time.Location, error) {
	if name == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, invalid(field, field+" must be an IANA time zone such as America/New_York.")
	}
	return loc, nil
}

// listPublicSlots answers GET /public/providers/{slug}/slots: the open
// intake slots, with local times in the visitor's zone.
func (s *server) listPublicSlots(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r.URL.Query(), publicSlotParams); err != nil {
		return err
	}
	p, err := s.Booking.PublicProvider(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	from, to, err := window(r)
	if err != nil {
		return err
	}
	tz, err := visitorZone("tz", r.URL.Query().Get("tz"))
	if err != nil {
		return err
	}
	list, err := s.Booking.PublicSlots(r.Context(), p.Slug, from, to, tz)
	if err != nil {
		return err
	}
	out := publicSlotsJSON{
		Provider: publicProviderJSON{Slug: p.Slug, Name: p.Name,
			Credentials: p.Credentials, TimeZone: p.TimeZone},
		TimeZone: p.TimeZone,
		Items:    bookingSlotsOut(list),
	}
	if tz != nil {
		out.TimeZone = tz.String()
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// bookingSlotsOut writes the booking area's slots, whose local times are
// already in the visitor's zone.
func bookingSlotsOut(list []booking.Slot) []slotJSON {
	out := make([]slotJSON, 0, len(list))
	for _, sl := range list {
		out = append(out, slotJSON{
			Start: formatTime(sl.Start), End: formatTime(sl.End),
			LocalStart: formatWall(sl.LocalStart), LocalEnd: formatWall(sl.LocalEnd),
			Location: sl.Mode, OfficeID: sl.OfficeID,
		})
	}
	return out
}

// createPublicBooking answers POST /public/providers/{slug}/bookings: a
// new client books an intake appointment.
func (s *server) createPublicBooking(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	p, err := s.Booking.PublicProvider(r.Context(), slug)
	if err != nil {
		return err
	}
	var req publicBookingJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	start, err := s.publicStart(r, p, req.Start)
	if err != nil {
		return err
	}
	if _, err := visitorZone("time_zone", req.TimeZone); err != nil {
		return err
	}
	if err := checkEnums("", req.Location); err != nil {
		return err
	}
	ip, ua := clientOf(r)
	conf, err := s.Booking.BookNewClient(r.Context(), booking.NewClientRequest{
		Slug: p.Slug, Start: start, Location: req.Location,
		FirstName: req.FirstName, LastName: req.LastName, Email: req.Email,
		Phone: req.Phone, DateOfBirth: req.DateOfBirth, State: req.State,
		PayerID: req.PayerID, MemberID: req.MemberID, CashPay: req.CashPay,
		ConsentTerms: req.ConsentTerms, ConsentPrivacy: req.ConsentPrivacy,
		Honeypot: req.Website, IP: ip, UserAgent: ua, TimeZone: req.TimeZone,
	})
	if err != nil {
		return bookingError(err)
	}
	loc, err := time.LoadLocation(conf.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	writeJSON(w, http.StatusAccepted, bookingReceivedJSON{
		Status: "received", ProviderName: conf.ProviderName,
		Start: formatTime(conf.Start), End: formatTime(conf.End),
		LocalStart: formatWall(conf.Start.In(loc)), LocalEnd: formatWall(conf.End.In(loc)),
		TimeZone: loc.String(), Location: conf.Location,
	})
	return nil
}

// publicStart reads a public booking's start and refuses, as input
// errors, times that could never be booked: gone already, or not on the
// provider's start-time increment. (A time that is simply not open is a
// slot_taken answer with other times.)
func (s *server) publicStart(r *http.Request, p scheduling.PublicProvider, value string) (time.Time, error) {
	if strings.TrimSpace(value) == "" {
		return time.Time{}, invalid("start", "Choose a time.")
	}
	start, err := parseTime("start", value)
	if err != nil {
		return start, err
	}
	if !start.After(s.Clock.Now()) {
		return start, invalid("start", "This time has already passed; choose a later one.")
	}
	a, err := s.Scheduling.AvailabilityForProvider(r.Context(), p.ID)
	if err != nil {
		return start, err
	}
	loc, err := a.Location()
	if err != nil {
		return start, err
	}
	inc := a.Rules.IncrementMinutes
	at := start.In(loc)
	if inc > 0 && ((at.Hour()*60+at.Minute())%inc != 0 || at.Second() != 0) {
		return start, invalid("start", fmt.Sprintf(
			"Start times are every %d minutes; choose one from the list.", inc))
	}
	return start, nil
}

// bookingError maps the booking area's errors: a lost time carries the
// fresh slots it found, and too many attempts is 429.
func bookingError(err error) error {
	var (
		taken   *booking.SlotTakenError
		limited *booking.RateLimitedError
	)
	switch {
	case errors.As(err, &taken):
		e := errSlotTaken()
		e.Slots = bookingSlotsOut(taken.Fresh)
		return e
	case errors.As(err, &limited):
		return &httpError{
			Status: http.StatusTooManyRequests, Code: "rate_limited",
			Message:    sentence(limited.Error()),
			RetryAfter: limited.RetryAfter,
		}
	}
	return err
}
