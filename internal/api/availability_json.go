package api

import (
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/slots"
)

// weekdayNames are the keys of weekly_hours, indexed by time.Weekday.
var weekdayNames = [7]string{"sunday", "monday", "tuesday", "wednesday",
	"thursday", "friday", "saturday"}

// hoursJSON is one span of working hours on a local day.
type hoursJSON struct {
	Start    string `json:"start"`
	End      string `json:"end"`
	Location string `json:"location"`
	OfficeID string `json:"office_id"`
}

// weekJSON is the working hours of each weekday.
type weekJSON struct {
	Monday    []hoursJSON `json:"monday"`
	Tuesday   []hoursJSON `json:"tuesday"`
	Wednesday []hoursJSON `json:"wednesday"`
	Thursday  []hoursJSON `json:"thursday"`
	Friday    []hoursJSON `json:"friday"`
	Saturday  []hoursJSON `json:"saturday"`
	Sunday    []hoursJSON `json:"sunday"`
}

// days returns pointers to the weekdays, indexed by time.Weekday.
func (w *weekJSON) days() [7]*[]hoursJSON {
	return [7]*[]hoursJSON{&w.Sunday, &w.Monday, &w.Tuesday, &w.Wednesday,
		&w.Thursday, &w.Friday, &w.Saturday}
}

// overrideJSON replaces the working hours of one local date.
type overrideJSON struct {
	Date  string      `json:"date"`
	Hours []hoursJSON `json:"hours"`
}

// timeOffJSON is time the provider is away.
type timeOffJSON struct {
	ID     string `json:"id"`
	Start  string `json:"start"`
	End    string `json:"end"`
	AllDay bool   `json:"all_day"`
	RRule  string `json:"rrule"`
	Note   string `json:"note"`
}

// rulesJSON are the booking rules.
type rulesJSON struct {
	IncrementMinutes    int `json:"increment_minutes"`
	MinNoticeMinutes    int `json:"min_notice_minutes"`
	HorizonDays         int `json:"horizon_days"`
	BufferBeforeMinutes int `json:"buffer_before_minutes"`
	BufferAfterMinutes  int `json:"buffer_after_minutes"`
	DailyMax            int `json:"daily_max"`
	CancelWindowHours   int `json:"cancel_window_hours"`
	ReminderHours       int `json:"reminder_hours"`
}

// typeJSON is an appointment type.
type typeJSON struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Minutes int    `json:"minutes"`
	CPT     string `json:"cpt_code"`
	Kind    string `json:"type"`
}

// officeJSON is one of the provider's offices.
type officeJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

// availabilityJSON is the answer to GET and PATCH /availability.
type availabilityJSON struct {
	TimeZone   string         `json:"time_zone"`
	Weekly     weekJSON       `json:"weekly_hours"`
	Overrides  []overrideJSON `json:"overrides"`
	TimeOff    []timeOffJSON  `json:"time_off"`
	Rules      rulesJSON      `json:"rules"`
	Types      []typeJSON     `json:"types"`
	Offices    []officeJSON   `json:"offices"`
	Telehealth bool           `json:"telehealth"`
	Slug       string         `json:"slug"`
}

// availabilityPatchJSON is the body of PATCH /availability: every field
// is optional, and rules are merged onto the current ones.
type availabilityPatchJSON struct {
	TimeZone   *string         `json:"time_zone"`
	Weekly     *weekJSON       `json:"weekly_hours"`
	Overrides  *[]overrideJSON `json:"overrides"`
	Rules      *rulesJSON      `json:"rules"`
	TimeOff    *[]timeOffJSON  `json:"time_off"`
	Types      *[]typeJSON     `json:"types"`
	Offices    *[]officeJSON   `json:"offices"`
	Telehealth *bool           `json:"telehealth"`
	Slug       *string         `json:"slug"`
}

func hoursOut(ranges []slots.Range) []hoursJSON {
	out := make([]hoursJSON, 0, len(ranges))
	for _, r := range ranges {
		out = append(out, hoursJSON{
			Start: scheduling.FormatClock(r.Start), End: scheduling.FormatClock(r.End),
			Location: r.Mode.String(), OfficeID: r.OfficeID,
		})
	}
	return out
}

// availabilityOut is a as the API shows it.
func availabilityOut(a scheduling.Availability) availabilityJSON {
	out := availabilityJSON{
		TimeZone:   a.TimeZone,
		Overrides:  make([]overrideJSON, 0, len(a.Overrides)),
		TimeOff:    make([]timeOffJSON, 0, len(a.TimeOff)),
		Rules:      rulesJSON(a.Rules),
		Types:      make([]typeJSON, 0, len(a.Types)),
		Offices:    make([]officeJSON, 0, len(a.Offices)),
		Telehealth: a.Telehealth,
		Slug:       a.Slug,
	}
	for d, p := range out.Weekly.days() {
		*p = hoursOut(a.Weekly[d])
	}
	for _, o := range a.Overrides {
		out.Overrides = append(out.Overrides,
			overrideJSON{Date: o.Date.String(), Hours: hoursOut(o.Ranges)})
	}
	for _, t := range a.TimeOff {
		out.TimeOff = append(out.TimeOff, timeOffJSON{
			ID: t.ID, Start: formatTime(t.Start), End: formatTime(t.End),
			AllDay: t.AllDay, RRule: t.RRule, Note: t.Note,
		})
	}
	for _, t := range a.Types {
		out.Types = append(out.Types, typeJSON(t))
	}
	for _, o := range a.Offices {
		out.Offices = append(out.Offices, officeJSON(o))
	}
	return out
}

// hoursIn reads working hours named field ("weekly_hours.monday").
func hoursIn(field string, in []hoursJSON) ([]slots.Range, error) {
	out := make([]slots.Range, 0, len(in))
	for i, h := range in {
		f := fmt.Sprintf("%s[%d]", field, i)
		start, err := scheduling.ParseClock(h.Start)
		if err != nil {
			return nil, invalid(f+".start", "Write times of day as HH:MM, such as 09:00.")
		}
		end, err := scheduling.ParseClock(h.End)
		if err != nil {
			return nil, invalid(f+".end", "Write times of day as HH:MM, such as 17:00.")
		}
		mode, err := slots.ParseMode(h.Location)
		if err != nil {
			return nil, invalid(f+".location", "location must be office, telehealth or both.")
		}
		out = append(out, slots.Range{Start: start, End: end, Mode: mode,
			OfficeID: strings.TrimSpace(h.OfficeID)})
	}
	return out, nil
}

// patch turns the request into the scheduling area's patch. Rules are
// laid over current, so a rule left out keeps its value.
func (p availabilityPatchJSON) patch(current scheduling.Availability) (
	scheduling.AvailabilityPatch, error) {
	out := scheduling.AvailabilityPatch{
		TimeZone: p.TimeZone, Telehealth: p.Telehealth, Slug: p.Slug,
	}
	if p.Weekly != nil {
		var week slots.Week
		for d, hours := range p.Weekly.days() {
			ranges, err := hoursIn("weekly_hours."+weekdayNames[d], *hours)
			if err != nil {
				return out, err
			}
			week[d] = ranges
		}
		out.Weekly = &week
	}
	if p.Overrides != nil {
		list := make([]slots.Override, 0, len(*p.Overrides))
		for i, o := range *p.Overrides {
			field := fmt.Sprintf("overrides[%d]", i)
			date, err := slots.ParseDate(o.Date)
			if err != nil {
				return out, invalid(field+".date", "Write dates as YYYY-MM-DD.")
			}
			ranges, err := hoursIn(field+".hours", o.Hours)
			if err != nil {
				return out, err
			}
			list = append(list, slots.Override{Date: date, Ranges: ranges})
		}
		out.Overrides = &list
	}
	if p.Rules != nil {
		r := scheduling.BookingRules(*p.Rules)
		out.Rules = &r
	}
	if p.TimeOff != nil {
		list := make([]scheduling.TimeOffEntry, 0, len(*p.TimeOff))
		for i, t := range *p.TimeOff {
			field := fmt.Sprintf("time_off[%d]", i)
			start, err := parseTime(field+".start", t.Start)
			if err != nil {
				return out, err
			}
			end, err := parseTime(field+".end", t.End)
			if err != nil {
				return out, err
			}
			list = append(list, scheduling.TimeOffEntry{ID: t.ID, Start: start,
				End: end, AllDay: t.AllDay, RRule: t.RRule, Note: t.Note})
		}
		out.TimeOff = &list
	}
	if p.Types != nil {
		list := make([]scheduling.AppointmentType, 0, len(*p.Types))
		for _, t := range *p.Types {
			list = append(list, scheduling.AppointmentType(t))
		}
		out.Types = &list
	}
	if p.Offices != nil {
		list := make([]scheduling.Office, 0, len(*p.Offices))
		for _, o := range *p.Offices {
			list = append(list, scheduling.Office(o))
		}
		out.Offices = &list
	}
	return out, nil
}

// rulesOf returns the current rules as the request shape, so a partial
// "rules" object decodes onto them.
func rulesOf(a scheduling.Availability) *rulesJSON {
	r := rulesJSON(a.Rules)
	return &r
}

// wallLayout is how local wall-clock times are written.
const wallLayout = "2006-01-02T15:04:05"

// formatWall writes t's wall-clock reading in its own location.
func formatWall(t time.Time) string {
	return t.Format(wallLayout)
}
