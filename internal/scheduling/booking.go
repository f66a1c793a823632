package scheduling

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/scheduling/recurrence"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// maxSeriesSpan bounds how far a series may run.
const maxSeriesSpan = 2 * 365 * 24 * time.Hour

// plan is a checked booking request: everything Create writes.
type plan struct {
	providerID, clientID, source string
	avail                        Availability
	loc                          *time.Location
	kind, typeKey, cpt           string
	location, officeID, notes    string
	duration                     time.Duration
	rrule                        string
	start                        time.Time
	spans                        []slots.Interval
}

// who settles whose calendar and which client a booking is for. A
// provider books for one of their clients; a client books for
// themself; the system actor (the public booking page, after it made
// the client) books for n.ClientID. Only providers book series or
// outside the open slots.
func (s *Service) who(ctx context.Context, actor access.Actor, n NewAppointment) (
	providerID, clientID, source string, err error) {
	clientID = strings.TrimSpace(n.ClientID)
	switch {
	case actor.IsProvider():
		providerID, source = actor.ProviderID, SourceProvider
	case actor.IsClient():
		if clientID != "" && clientID != actor.ClientID {
			return "", "", "", store.ErrNotFound
		}
		clientID, source = actor.ClientID, SourceClient
		if n.Source == SourcePublic {
			source = SourcePublic
		}
	case actor.Role == access.System().Role:
		source = SourcePublic
	default:
		return "", "", "", access.ErrForbidden
	}
	if !store.ValidID(clientID) {
		return "", "", "", validation.New("client_id", "Choose a client.")
	}
	var owner string
	err = s.db.Reader().QueryRowContext(ctx, `SELECT provider_id FROM clients
		WHERE id = $1`, clientID).Scan(&owner)
	if err != nil || (providerID != "" && owner != providerID) {
		return "", "", "", validation.New("client_id", "Choose one of your clients.")
	}
	return owner, clientID, source, nil
}

// prepare checks a booking request and expands it into sessions.
// Problems come back together as validation.Errors.
func (s *Service) prepare(ctx context.Context, actor access.Actor, n NewAppointment) (plan, error) {
	providerID, clientID, source, err := s.who(ctx, actor, n)
	if err != nil {
		return plan{}, err
	}
	if err := s.clients.CheckCanBook(ctx, clientID); err != nil {
		if errors.Is(err, ErrArchived) {
			return plan{}, err
		}
		return plan{}, validation.New("client_id", "Choose one of your clients.")
	}
	avail, err := s.AvailabilityForProvider(ctx, providerID)
	if err != nil {
		return plan{}, err
	}
	loc, err := avail.Location()
	if err != nil {
		return plan{}, validation.New("time_zone", "Set a valid time zone in your availability settings first.")
	}
	p := plan{providerID: providerID, clientID: clientID, source: source,
		avail: avail, loc: loc, start: n.Start.UTC().Truncate(time.Second),
		notes: strings.TrimSpace(n.NotesForClient)}
	var errs validation.Errors
	p.fillType(&errs, n)
	p.fillLocation(&errs, n.Location, n.OfficeID)
	if len(p.notes) > 2000 {
		errs.Add("notes_for_client", "Keep notes for the client under 2,000 characters.")
	}
	if n.Start.IsZero() {
		errs.Add("start", "Choose a start time.")
	}
	if source != SourceProvider && !n.Start.IsZero() {
		s.checkClientStart(&errs, p, n)
	}
	if errs.Has("start") || errs.Has("duration_minutes") {
		return plan{}, errs.Err()
	}
	if err := p.expand(&errs, n.Recurrence, source); err != nil {
		return plan{}, err
	}
	return p, errs.Err()
}

// fillType settles kind, type, duration and CPT code: given values win
// over the type's defaults.
func (p *plan) fillType(errs *validation.Errors, n NewAppointment) {
	p.kind, p.typeKey, p.cpt = n.Kind, strings.TrimSpace(n.TypeKey), strings.TrimSpace(n.CPT)
	minutes := n.DurationMinutes
	var t AppointmentType
	ok := false
	if p.typeKey != "" {
		if t, ok = p.avail.typeByKey(p.typeKey); !ok {
			errs.Add("type_key", "Choose one of your appointment types.")
		}
	} else if p.kind != "" {
		for _, x := range p.avail.Types {
			if x.Kind == p.kind {
				t, ok = x, true
				break
			}
		}
	}
	if ok {
		p.typeKey = t.Key
		if p.kind == "" {
			p.kind = t.Kind
		}
		if minutes == 0 {
			minutes = t.Minutes
		}
		if p.cpt == "" {
			p.cpt = t.CPT
		}
	}
	if p.kind == "" {
		p.kind = KindFollowUp
	}
	if p.kind != KindIntake && p.kind != KindFollowUp {
		errs.Add("type", "An appointment is an intake or a follow-up.")
	}
	if !validCPT(p.cpt) {
		errs.Add("cpt_code", "A CPT code is five digits, such as 90834.")
	}
	if minutes <= 0 || minutes > int(slots.MaxDuration/time.Minute) {
		errs.Add("duration_minutes", "A session lasts more than 0 minutes and at most 8 hours.")
	}
	p.duration = time.Duration(minutes) * time.Minute
}

// fillLocation settles office or telehealth.
func (p *plan) fillLocation(errs *validation.Errors, location, officeID string) {
	p.location, p.officeID = strings.TrimSpace(location), strings.TrimSpace(officeID)
	if p.location == "" {
		p.location = LocationTelehealth
		if p.officeID != "" {
			p.location = LocationOffice
		}
	}
	switch p.location {
	case LocationTelehealth:
		if p.officeID != "" {
			errs.Add("office_id", "A telehealth session takes no office.")
		}
	case LocationOffice:
		if p.officeID == "" && len(p.avail.Offices) > 0 {
			p.officeID = p.avail.Offices[0].ID
		}
		if _, ok := p.avail.office(p.officeID); !ok {
			errs.Add("office_id", "Choose one of your offices, or add one in your availability settings.")
		}
	default:
		errs.Add("location", "Choose office or telehealth.")
	}
}

// checkClientStart applies the rules for clients booking themselves.
func (s *Service) checkClientStart(errs *validation.Errors, p plan, n NewAppointment) {
	now := s.clk.Now()
	inc := time.Duration(p.avail.Rules.IncrementMinutes) * time.Minute
	local := n.Start.In(p.loc)
	offset := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute
	switch {
	case !n.Start.After(now):
		errs.Add("start", "This time has already passed; choose a later one.")
	case inc > 0 && (offset%inc != 0 || local.Second() != 0 || local.Nanosecond() != 0):
		errs.Add("start", fmt.Sprintf("Start times are every %d minutes; choose one from the list.",
			p.avail.Rules.IncrementMinutes))
	case n.Recurrence != nil:
		errs.Add("recurrence", "Only your provider can book a series.")
	}
}

// expand turns the recurrence into sessions.
func (p *plan) expand(errs *validation.Errors, r *Recurrence, source string) error {
	if r == nil || (r.RRule == "" && (r.Frequency == "" || r.Frequency == string(recurrence.Once))) {
		p.spans = []slots.Interval{{Start: p.start, End: p.start.Add(p.duration)}}
		return nil
	}
	if source != SourceProvider {
		errs.Add("recurrence", "Only your provider can book a series.")
		return nil
	}
	if r.RRule != "" {
		rule, err := recurrence.Parse(r.RRule)
		if err != nil {
			errs.Add("recurrence.rrule", "This repeat rule is not supported: "+err.Error())
			return nil
		}
		if rule.Count == 0 && !rule.HasUntil() {
			errs.Add("recurrence.rrule", "Give the rule a COUNT or an UNTIL.")
			return nil
		}
		p.rrule = rule.String()
	} else {
		pl := recurrence.Plan{Pattern: recurrence.Pattern(r.Frequency), Count: r.Count}
		if r.Until != nil {
			pl.Until = r.Until.In(p.loc)
		}
		rule, err := recurrence.Build(pl, p.start, p.loc)
		if err != nil {
			errs.Add("recurrence", "Choose weekly, biweekly, every_4_weeks or monthly, "+
				"with a number of sessions (up to 260) or an end date.")
			return nil
		}
		p.rrule = rule
	}
	seq, err := recurrence.Occurrences(recurrence.Series{RRule: p.rrule, Start: p.start,
		Location: p.loc, Duration: p.duration})
	if err != nil {
		errs.Add("recurrence", "This repeat rule cannot be used: "+err.Error())
		return nil
	}
	for o := range seq {
		if len(p.spans) == recurrence.MaxCount {
			errs.Add("recurrence", "A series holds at most 260 sessions.")
			return nil
		}
		if o.Start.Sub(p.start) > maxSeriesSpan {
			errs.Add("recurrence", "A series may run for at most two years.")
			return nil
		}
		p.spans = append(p.spans, slots.Interval{Start: o.Start, End: o.End})
	}
	if len(p.spans) == 0 {
		errs.Add("recurrence", "This rule gives no sessions; check its end.")
	}
	return nil
}

// withinHours reports whether iv lies inside one range of working hours
// of its local day and clear of time off.
func withinHours(a Availability, loc *time.Location, iv slots.Interval) bool {
	local := iv.Start.In(loc)
	date := slots.DateOf(local)
	ranges := a.Weekly[local.Weekday()]
	for _, o := range a.Overrides {
		if o.Date == date {
			ranges = o.Ranges
		}
	}
	y, m, d := local.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	wallStart := time.Date(y, m, d, local.Hour(), local.Minute(), local.Second(), 0, time.UTC)
	from := wallStart.Sub(midnight)
	to := from + iv.End.Sub(iv.Start)
	inside := false
	for _, r := range ranges {
		inside = inside || (r.Start <= from && to <= r.End)
	}
	if !inside {
		return false
	}
	for _, t := range timeOffIntervals(a, loc, iv.Start.Add(-48*time.Hour), iv.End.Add(48*time.Hour)) {
		if t.Overlaps(iv) {
			return false
		}
	}
	return true
}
