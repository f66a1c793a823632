package api

import (
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
)

// maxDurationMinutes is the longest appointment: 8 hours.
const maxDurationMinutes = 480

// appointmentJSON is an appointment as the API shows it.
type appointmentJSON struct {
	ID              string  `json:"id"`
	ClientID        string  `json:"client_id"`
	ClientName      string  `json:"client_name"`
	SeriesID        *string `json:"series_id"`
	Kind            string  `json:"type"`
	TypeKey         string  `json:"appointment_type"`
	Start           string  `json:"start"`
	End             string  `json:"end"`
	LocalStart      string  `json:"local_start"`
	LocalEnd        string  `json:"local_end"`
	TimeZone        string  `json:"time_zone"`
	DurationMinutes int     `json:"duration_minutes"`
	Location        string  `json:"location"`
	OfficeID        string  `json:"office_id"`
	CPT             string  `json:"cpt_code"`
	NotesForClient  string  `json:"notes_for_client"`
	Status          string  `json:"status"`
	CancelReason    string  `json:"cancel_reason"`
	CanceledBy      string  `json:"canceled_by"`
	CanceledAt      *string `json:"canceled_at"`
	Sequence        int     `json:"sequence"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
}

// appointmentOut is a as the API shows it.
func appointmentOut(a scheduling.Appointment) appointmentJSON {
	var series *string
	if a.SeriesID != "" {
		id := a.SeriesID
		series = &id
	}
	return appointmentJSON{
		ID: a.ID, ClientID: a.ClientID, ClientName: a.ClientName,
		SeriesID: series, Kind: a.Kind, TypeKey: a.TypeKey,
		Start: formatTime(a.Start), End: formatTime(a.End),
		LocalStart: formatWall(a.LocalStart), LocalEnd: formatWall(a.LocalEnd),
		TimeZone:        a.LocalStart.Location().String(),
		DurationMinutes: int(a.End.Sub(a.Start) / time.Minute),
		Location:        a.Location, OfficeID: a.OfficeID, CPT: a.CPT,
		NotesForClient: a.NotesForClient, Status: a.Status,
		CancelReason: a.CancelReason, CanceledBy: a.CanceledBy,
		CanceledAt: formatTimePtr(a.CanceledAt), Sequence: a.Sequence,
		CreatedAt: formatTime(a.CreatedAt), UpdatedAt: formatTime(a.UpdatedAt),
	}
}

// batchJSON is the answer to the calls that touch several appointments
// (a series): the appointments in order of start.
type batchJSON struct {
	Items []appointmentJSON `json:"items"`
}

func batchOut(list []scheduling.Appointment) batchJSON {
	out := batchJSON{Items: make([]appointmentJSON, 0, len(list))}
	for _, a := range list {
		out.Items = append(out.Items, appointmentOut(a))
	}
	return out
}

// appointmentCountsJSON is the number of appointments on each tab.
type appointmentCountsJSON struct {
	Upcoming    int `json:"upcoming"`
	Unsubmitted int `json:"unsubmitted"`
	Expiring    int `json:"expiring"`
	Past        int `json:"past"`
	Canceled    int `json:"canceled"`
}

// appointmentPageJSON is the answer to GET /appointments.
type appointmentPageJSON struct {
	Items      []appointmentJSON     `json:"items"`
	NextCursor *string               `json:"next_cursor"`
	Total      int                   `json:"total"`
	Counts     appointmentCountsJSON `json:"counts"`
}

// recurrenceJSON asks for a series.
type recurrenceJSON struct {
	Frequency string `json:"frequency"`
	Count     int    `json:"count"`
	Until     string `json:"until"`
	RRule     string `json:"rrule"`
}

// newAppointmentJSON is the body of POST /appointments and of the
// preview.
type newAppointmentJSON struct {
	ClientID        string          `json:"client_id"`
	Start           string          `json:"start"`
	DurationMinutes *int            `json:"duration_minutes"`
	Kind            string          `json:"type"`
	TypeKey         string          `json:"appointment_type"`
	Location        string          `json:"location"`
	OfficeID        string          `json:"office_id"`
	CPT             string          `json:"cpt_code"`
	NotesForClient  string          `json:"notes_for_client"`
	Recurrence      *recurrenceJSON `json:"recurrence"`
}

// input checks the request's own shape and turns it into the scheduling
// area's input, which checks the rest (the client among them). until
// given as a date ends the series with that local day in loc's zone.
func (n newAppointmentJSON) input(loc func() (*time.Location, error)) (
	scheduling.NewAppointment, error) {
	out := scheduling.NewAppointment{
		ClientID: strings.TrimSpace(n.ClientID), Kind: n.Kind, TypeKey: n.TypeKey,
		Location: n.Location, OfficeID: n.OfficeID, CPT: n.CPT,
		NotesForClient: n.NotesForClient,
	}
	if n.Start == "" {
		return out, invalid("start", "start is required.")
	}
	start, err := parseTime("start", n.Start)
	if err != nil {
		return out, err
	}
	out.Start = start
	if n.DurationMinutes != nil {
		if err := checkDuration(*n.DurationMinutes); err != nil {
			return out, err
		}
		out.DurationMinutes = *n.DurationMinutes
	}
	if err := checkEnums(n.Kind, n.Location); err != nil {
		return out, err
	}
	if n.Recurrence != nil {
		rec, err := n.Recurrence.input(loc)
		if err != nil {
			return out, err
		}
		out.Recurrence = rec
	}
	return out, nil
}

// checkDuration refuses lengths of zero or below and over 8 hours.
func checkDuration(minutes int) error {
	if minutes < 1 || minutes > maxDurationMinutes {
		return invalid("duration_minutes",
			"duration_minutes must be from 1 to 480 (8 hours).")
	}
	return nil
}

// checkEnums checks type and location when given.
func checkEnums(kind, location string) error {
	switch kind {
	case "", scheduling.KindIntake, scheduling.KindFollowUp:
	default:
		return invalid("type", "type must be intake or follow_up.")
	}
	switch location {
	case "", scheduling.LocationOffice, scheduling.LocationTelehealth:
	default:
		return invalid("location", "location must be office or telehealth.")
	}
	return nil
}

// input turns the recurrence into the scheduling area's.
func (r recurrenceJSON) input(loc func() (*time.Location, error)) (*scheduling.Recurrence, error) {
	out := &scheduling.Recurrence{Frequency: r.Frequency, Count: r.Count, RRule: r.RRule}
	if r.RRule != "" && (r.Frequency != "" || r.Count != 0 || r.Until != "") {
		return nil, invalid("recurrence.rrule",
			"Send either rrule or frequency with count or until, not both.")
	}
	if r.RRule == "" && r.Frequency == "" {
		return nil, invalid("recurrence.frequency",
			"recurrence needs a frequency (weekly, biweekly, every_4_weeks or monthly) or an rrule.")
	}
	if r.Until == "" {
		return out, nil
	}
	if t, err := time.Parse(time.RFC3339, r.Until); err == nil {
		t = t.UTC()
		out.Until = &t
		return out, nil
	}
	day, err := time.Parse(time.DateOnly, r.Until)
	if err != nil {
		return nil, invalid("recurrence.until",
			"until must be a date (2026-06-30) or an RFC 3339 time.")
	}
	zone, err := loc()
	if err != nil {
		return nil, err
	}
	end := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, zone).UTC()
	out.Until = &end
	return out, nil
}

// occurrenceJSON is one session a booking would create.
type occurrenceJSON struct {
	Start      string   `json:"start"`
	End        string   `json:"end"`
	LocalStart string   `json:"local_start"`
	LocalEnd   string   `json:"local_end"`
	Conflict   bool     `json:"conflict"`
	Warnings   []string `json:"warnings"`
}

// previewJSON is the answer to POST /appointments/preview.
type previewJSON struct {
	Occurrences []occurrenceJSON `json:"occurrences"`
}

func previewOut(list []scheduling.Occurrence) previewJSON {
	out := previewJSON{Occurrences: make([]occurrenceJSON, 0, len(list))}
	for _, o := range list {
		warnings := o.Warnings
		if warnings == nil {
			warnings = []string{}
		}
		out.Occurrences = append(out.Occurrences, occurrenceJSON{
			Start: formatTime(o.Start), End: formatTime(o.End),
			LocalStart: o.LocalStart, LocalEnd: o.LocalEnd,
			Conflict: o.Conflict, Warnings: warnings,
		})
	}
	return out
}

// changeJSON is the body of PATCH /appointments/{id}.
type changeJSON struct {
	Scope           string  `json:"scope"`
	Start           *string `json:"start"`
	DurationMinutes *int    `json:"duration_minutes"`
	TypeKey         *string `json:"appointment_type"`
	Location        *string `json:"location"`
	OfficeID        *string `json:"office_id"`
	CPT             *string `json:"cpt_code"`
	NotesForClient  *string `json:"notes_for_client"`
}

// change turns the request into the scheduling area's change.
func (c changeJSON) change() (scheduling.Change, error) {
	out := scheduling.Change{
		DurationMinutes: c.DurationMinutes, TypeKey: c.TypeKey,
		Location: c.Location, OfficeID: c.OfficeID, CPT: c.CPT,
		NotesForClient: c.NotesForClient,
	}
	if c.Start != nil {
		t, err := parseTime("start", *c.Start)
		if err != nil {
			return out, err
		}
		out.Start = &t
	}
	if c.DurationMinutes != nil {
		if err := checkDuration(*c.DurationMinutes); err != nil {
			return out, err
		}
	}
	if c.Location != nil {
		if err := checkEnums("", *c.Location); err != nil {
			return out, err
		}
	}
	return out, nil
}

// cancelJSON is the body of POST /appointments/{id}/cancel.
type cancelJSON struct {
	Reason string `json:"reason"`
	Scope  string `json:"scope"`
}

// checkScope reads a scope: this when empty.
func checkScope(scope string) (string, error) {
	switch scope {
	case "":
		return scheduling.ScopeThis, nil
	case scheduling.ScopeThis, scheduling.ScopeFollowing, scheduling.ScopeAll:
		return scope, nil
	}
	return "", invalid("scope", "scope must be this, following or all.")
}
