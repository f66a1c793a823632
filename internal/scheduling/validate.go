package scheduling

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/recurrence"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// checkAvailability collects every problem with a.
func (s *Service) checkAvailability(ctx context.Context, q store.Querier, a Availability) error {
	var errs validation.Errors
	loc, err := loadZone(a.TimeZone)
	if err != nil {
		errs.Add("time_zone", "Choose a time zone from the list, such as America/New_York.")
	}
	offices := map[string]bool{}
	for i, o := range a.Offices {
		switch {
		case o.Name == "" || o.Line1 == "" || o.City == "":
			errs.Add(fmt.Sprintf("offices[%d]", i), "Give each office a name, street address and city.")
		case offices[o.ID]:
			errs.Add(fmt.Sprintf("offices[%d]", i), "Two offices have the same id.")
		}
		offices[o.ID] = true
	}
	checkRanges := func(field string, ranges []slots.Range) {
		if errs.Has(field) {
			return
		}
		if err := (slots.Week{ranges}).Validate(); err != nil {
			errs.Add(field, rangeMessage(ranges))
			return
		}
		for _, r := range ranges {
			if r.OfficeID != "" && !offices[r.OfficeID] {
				errs.Add(field, "Working hours name an office that is not in your office list.")
				return
			}
		}
	}
	for d, ranges := range a.Weekly {
		checkRanges("weekly_hours."+time.Weekday(d).String(), ranges)
	}
	seen := map[slots.Date]bool{}
	for _, o := range a.Overrides {
		field := "overrides." + o.Date.String()
		if seen[o.Date] {
			errs.Add(field, "This date has two overrides; keep one.")
		}
		seen[o.Date] = true
		checkRanges(field, o.Ranges)
	}
	for i, t := range a.TimeOff {
		if msg := timeOffProblem(t, loc); msg != "" {
			errs.Add(fmt.Sprintf("time_off[%d]", i), msg)
		}
	}
	checkTypes(&errs, a.Types)
	checkRules(&errs, a.Rules)
	if !validSlug(a.Slug) {
		errs.Add("slug", "Use 3 to 60 lowercase letters, digits and hyphens.")
	} else if free, err := freeSlug(ctx, q, a.Slug, a.ProviderID); err != nil {
		return err
	} else if free != a.Slug {
		errs.Add("slug", "Another provider uses this booking link; choose another.")
	}
	return errs.Err()
}

// rangeMessage explains why a day's working hours were refused.
func rangeMessage(ranges []slots.Range) string {
	sorted := slices.Clone(ranges)
	slices.SortFunc(sorted, func(a, b slots.Range) int { return int(a.Start - b.Start) })
	for i, r := range sorted {
		switch {
		case r.Start >= r.End:
			return "Each range of working hours must end after it starts."
		case i > 0 && r.Start < sorted[i-1].End:
			return "Working hours on this day overlap; make the ranges separate."
		case r.Mode == slots.Telehealth && r.OfficeID != "":
			return "Telehealth hours take no office."
		case r.Mode != slots.Telehealth && r.OfficeID == "":
			return "Choose the office for in-person hours."
		}
	}
	return "Working hours must be whole minutes within one day, marked office, telehealth or both."
}

func timeOffProblem(t TimeOffEntry, loc *time.Location) string {
	switch {
	case t.Start.IsZero() || t.End.IsZero():
		return "Give the time off a start and an end."
	case t.AllDay && loc != nil && slots.DateOf(t.End.In(loc)).Before(slots.DateOf(t.Start.In(loc))):
		return "Time off must end on or after the day it starts."
	case !t.AllDay && !t.Start.Before(t.End):
		return "Time off must end after it starts."
	case len(t.Note) > 200:
		return "Use a shorter label."
	}
	if t.RRule != "" {
		if _, err := recurrence.Parse(t.RRule); err != nil {
			return "The repeat rule is not one Tend understands: " + err.Error()
		}
	}
	return ""
}

func checkTypes(errs *validation.Errors, types []AppointmentType) {
	keys := map[string]bool{}
	for i, t := range types {
		field := fmt.Sprintf("types[%d]", i)
		switch {
		case !validKey(t.Key):
			errs.Add(field, "Give each type a key of lowercase letters, digits and underscores.")
		case keys[t.Key]:
			errs.Add(field, "Two types have the same key.")
		case t.Name == "":
			errs.Add(field, "Give each type a name.")
		case t.Minutes <= 0 || t.Minutes > 8*60:
			errs.Add(field, "A session lasts more than 0 minutes and at most 8 hours.")
		case t.Kind != KindIntake && t.Kind != KindFollowUp:
			errs.Add(field, "A type is an intake or a follow-up.")
		case !validCPT(t.CPT):
			errs.Add(field, "A CPT code is five digits, such as 90834.")
		}
		keys[t.Key] = true
	}
}

func checkRules(errs *validation.Errors, r BookingRules) {
	if err := toSlotRules(r).Validate(); err != nil {
		errs.Add("rules", ruleMessage(err))
	}
	switch {
	case r.HorizonDays < 0 || r.HorizonDays > 730:
		errs.Add("rules.horizon_days", "Let clients book at most two years ahead.")
	case r.MinNoticeMinutes > 90*24*60:
		errs.Add("rules.min_notice_minutes", "Minimum notice is at most 90 days.")
	case r.CancelWindowHours < 0 || r.CancelWindowHours > 14*24:
		errs.Add("rules.cancel_window_hours", "The cancellation window is 0 to 336 hours.")
	case r.ReminderHours < 0 || r.ReminderHours > 7*24:
		errs.Add("rules.reminder_hours", "Reminders go out 0 to 168 hours before.")
	}
}

func ruleMessage(err error) string {
	if errors.Is(err, slots.ErrInvalid) {
		return "Booking rules: start times every 15, 30 or 60 minutes; no negative " +
			"values; buffers of at most 4 hours."
	}
	return err.Error()
}

func validKey(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z') && !(r >= '0' && r <= '9') && r != '_' {
			return false
		}
	}
	return true
}

func validCPT(c string) bool {
	if c == "" {
		return true
	}
	if len(c) != 5 {
		return false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// toSlotRules converts the stored rules for package slots.
func toSlotRules(r BookingRules) slots.Rules {
	return slots.Rules{
		Increment:    time.Duration(r.IncrementMinutes) * time.Minute,
		MinNotice:    time.Duration(r.MinNoticeMinutes) * time.Minute,
		Horizon:      time.Duration(r.HorizonDays) * 24 * time.Hour,
		BufferBefore: time.Duration(r.BufferBeforeMinutes) * time.Minute,
		BufferAfter:  time.Duration(r.BufferAfterMinutes) * time.Minute,
		DailyMax:     r.DailyMax,
	}
}
