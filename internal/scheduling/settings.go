package scheduling

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/slots"
)

// The JSON documents stored in scheduling_settings. Times of day are
// "15:04" ("24:00" ends a day); dates are "2006-01-02".

type rangeDoc struct {
	Day      int    `json:"day,omitempty"` // weekday, 0 = Sunday; weekly hours only
	Start    string `json:"start"`
	End      string `json:"end"`
	Mode     string `json:"mode"`
	OfficeID string `json:"office_id,omitempty"`
}

type overrideDoc struct {
	Date   string     `json:"date"`
	Ranges []rangeDoc `json:"ranges"`
}

type timeOffDoc struct {
	ID     string    `json:"id"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	AllDay bool      `json:"all_day,omitempty"`
	RRule  string    `json:"rrule,omitempty"`
	Note   string    `json:"note,omitempty"`
}

type typeDoc struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Minutes int    `json:"minutes"`
	CPT     string `json:"cpt"`
	Kind    string `json:"kind"`
}

type officeDoc struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

type rulesDoc struct {
	IncrementMinutes    int `json:"increment_minutes"`
	MinNoticeMinutes    int `json:"min_notice_minutes"`
	HorizonDays         int `json:"horizon_days"`
	BufferBeforeMinutes int `json:"buffer_before_minutes"`
	BufferAfterMinutes  int `json:"buffer_after_minutes"`
	DailyMax            int `json:"daily_max"`
	CancelWindowHours   int `json:"cancel_window_hours"`
	ReminderHours       int `json:"reminder_hours"`
}

// FormatClock writes an offset from midnight as "15:04" ("24:00" for a
// whole day).
func FormatClock(d time.Duration) string {
	m := int(d / time.Minute)
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// ParseClock reads "15:04" (or "24:00") as an offset from midnight.
func ParseClock(s string) (time.Duration, error) {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || len(s) != 5 ||
		h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%w: time of day %q is not HH:MM", slots.ErrInvalid, s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func rangeToDoc(day int, r slots.Range) rangeDoc {
	return rangeDoc{Day: day, Start: FormatClock(r.Start), End: FormatClock(r.End),
		Mode: r.Mode.String(), OfficeID: r.OfficeID}
}

func rangeFromDoc(d rangeDoc) (slots.Range, error) {
	start, err := ParseClock(d.Start)
	if err != nil {
		return slots.Range{}, err
	}
	end, err := ParseClock(d.End)
	if err != nil {
		return slots.Range{}, err
	}
	mode, err := slots.ParseMode(d.Mode)
	if err != nil {
		return slots.Range{}, err
	}
	return slots.Range{Start: start, End: end, Mode: mode, OfficeID: d.OfficeID}, nil
}

// encodeSettings writes the list-shaped parts of a as JSON columns.
func encodeSettings(a Availability) (weekly, overrides, timeOff, types, rules, offices string) {
	var w []rangeDoc
	for day, ranges := range a.Weekly {
		for _, r := range ranges {
			w = append(w, rangeToDoc(day, r))
		}
	}
	o := make([]overrideDoc, 0, len(a.Overrides))
	for _, ov := range a.Overrides {
		d := overrideDoc{Date: ov.Date.String(), Ranges: []rangeDoc{}}
		for _, r := range ov.Ranges {
			d.Ranges = append(d.Ranges, rangeToDoc(0, r))
		}
		o = append(o, d)
	}
	t := make([]timeOffDoc, 0, len(a.TimeOff))
	for _, e := range a.TimeOff {
		t = append(t, timeOffDoc{ID: e.ID, Start: e.Start.UTC(), End: e.End.UTC(),
			AllDay: e.AllDay, RRule: e.RRule, Note: e.Note})
	}
	ty := make([]typeDoc, 0, len(a.Types))
	for _, x := range a.Types {
		ty = append(ty, typeDoc(x))
	}
	of := make([]officeDoc, 0, len(a.Offices))
	for _, x := range a.Offices {
		of = append(of, officeDoc(x))
	}
	return mustJSON(w), mustJSON(o), mustJSON(t), mustJSON(ty),
		mustJSON(rulesDoc(a.Rules)), mustJSON(of)
}

// mustJSON encodes documents made only of strings, numbers, booleans and
// times, which always encode.
func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}

// decodeSettings reads the JSON columns into a.
func decodeSettings(a *Availability, weekly, overrides, timeOff, types, rules, offices string) error {
	var (
		w  []rangeDoc
		o  []overrideDoc
		t  []timeOffDoc
		ty []typeDoc
		r  rulesDoc
		of []officeDoc
	)
	for _, p := range []struct {
		src string
		dst any
	}{{weekly, &w}, {overrides, &o}, {timeOff, &t}, {types, &ty}, {rules, &r}, {offices, &of}} {
		if err := json.Unmarshal([]byte(p.src), p.dst); err != nil {
			return fmt.Errorf("decode settings: %w", err)
		}
	}
	a.Weekly = slots.Week{}
	for _, d := range w {
		rg, err := rangeFromDoc(d)
		if err != nil || d.Day < 0 || d.Day > 6 {
			return fmt.Errorf("decode weekly hours: %w", err)
		}
		a.Weekly[d.Day] = append(a.Weekly[d.Day], rg)
	}
	a.Overrides = nil
	for _, d := range o {
		date, err := slots.ParseDate(d.Date)
		if err != nil {
			return fmt.Errorf("decode override: %w", err)
		}
		ov := slots.Override{Date: date}
		for _, x := range d.Ranges {
			rg, err := rangeFromDoc(x)
			if err != nil {
				return fmt.Errorf("decode override: %w", err)
			}
			ov.Ranges = append(ov.Ranges, rg)
		}
		a.Overrides = append(a.Overrides, ov)
	}
	a.TimeOff = nil
	for _, d := range t {
		a.TimeOff = append(a.TimeOff, TimeOffEntry{ID: d.ID, Start: d.Start.UTC(),
			End: d.End.UTC(), AllDay: d.AllDay, RRule: d.RRule, Note: d.Note})
	}
	a.Types = nil
	for _, d := range ty {
		a.Types = append(a.Types, AppointmentType(d))
	}
	a.Offices = nil
	for _, d := range of {
		a.Offices = append(a.Offices, Office(d))
	}
	a.Rules = BookingRules(r)
	return nil
}

// DefaultTypes are the appointment types a provider starts with.
func DefaultTypes() []AppointmentType {
	return []AppointmentType{
		{Key: "intake", Name: "Intake", Minutes: 60, CPT: "90791", Kind: KindIntake},
		{Key: "individual_30", Name: "Individual, 30 minutes", Minutes: 30, CPT: "90832", Kind: KindFollowUp},
		{Key: "individual_45", Name: "Individual, 45 minutes", Minutes: 45, CPT: "90834", Kind: KindFollowUp},
		{Key: "individual_60", Name: "Individual, 60 minutes", Minutes: 60, CPT: "90837", Kind: KindFollowUp},
		{Key: "family", Name: "Family", Minutes: 50, CPT: "90847", Kind: KindFollowUp},
	}
}

// DefaultRules are the booking rules a provider starts with.
func DefaultRules() BookingRules {
	return BookingRules{IncrementMinutes: 30, MinNoticeMinutes: 24 * 60,
		HorizonDays: 60, BufferAfterMinutes: 10, CancelWindowHours: 24,
		ReminderHours: 24}
}

// defaultAvailability is what a provider who never saved settings has:
// telehealth on weekdays 09:00–17:00 and the default types and rules.
func defaultAvailability(providerID, tz, slug string) Availability {
	a := Availability{ProviderID: providerID, TimeZone: tz, Slug: slug,
		Types: DefaultTypes(), Rules: DefaultRules(), Telehealth: true}
	for d := time.Monday; d <= time.Friday; d++ {
		a.Weekly[d] = []slots.Range{{Start: 9 * time.Hour, End: 17 * time.Hour,
			Mode: slots.Telehealth}}
	}
	return a
}

// Slugify makes a booking-link slug from a name: lowercase ASCII
// letters and digits joined by single hyphens ("Maya Okafor" →
// "maya-okafor").
func Slugify(name string) string {
	fold := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u",
		"ü", "u", "ñ", "n", "ç", "c", "à", "a", "è", "e", "ö", "o", "ä", "a")
	name = fold.Replace(strings.ToLower(name))
	var b strings.Builder
	dash := false
	for _, r := range name {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// validSlug reports whether s is 3 to 60 of a-z, 0-9 and inner hyphens.
func validSlug(s string) bool {
	return len(s) >= 3 && len(s) <= 60 && Slugify(s) == s
}

// typeByKey returns the provider's type with key.
func (a Availability) typeByKey(key string) (AppointmentType, bool) {
	for _, t := range a.Types {
		if t.Key == key {
			return t, true
		}
	}
	return AppointmentType{}, false
}

// office returns the provider's office with id.
func (a Availability) office(id string) (Office, bool) {
	for _, o := range a.Offices {
		if o.ID == id {
			return o, true
		}
	}
	return Office{}, false
}

// Location loads the provider's time zone.
func (a Availability) Location() (*time.Location, error) {
	return loadZone(a.TimeZone)
}

// loadZone loads an IANA zone name, refusing "" and "Local", which
// would silently mean UTC or the server's zone.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: %w", name, err)
	}
	return loc, nil
}
