package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/validation"
)

// getAvailability answers GET /availability.
func (s *server) getAvailability(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	a, err := s.Scheduling.Availability(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, availabilityOut(a))
	return nil
}

// updateAvailability answers PATCH /availability. Fields left out keep
// their values; lists sent replace the current ones whole, and rules are
// merged rule by rule.
func (s *server) updateAvailability(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	current, err := s.Scheduling.Availability(r.Context(), actor)
	if err != nil {
		return err
	}
	req := availabilityPatchJSON{Rules: rulesOf(current)}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	// Rules sent as null, or as they are, change nothing.
	if req.Rules != nil && *req.Rules == *rulesOf(current) {
		req.Rules = nil
	}
	patch, err := req.patch(current)
	if err != nil {
		return err
	}
	a, err := s.Scheduling.UpdateAvailability(r.Context(), actor, patch)
	if err != nil {
		return availabilityFields(err)
	}
	writeJSON(w, http.StatusOK, availabilityOut(a))
	return nil
}

// availabilityFields renames the scheduling area's weekday fields
// ("weekly_hours.Monday") to the API's ("weekly_hours.monday").
func availabilityFields(err error) error {
	problems, ok := validation.From(err)
	if !ok || len(problems) == 0 {
		return err
	}
	out := make(validation.Errors, len(problems))
	for i, p := range problems {
		if rest, ok := strings.CutPrefix(p.Field, "weekly_hours."); ok {
			p.Field = "weekly_hours." + strings.ToLower(rest)
		}
		out[i] = p
	}
	return out
}

// slotParams are the query parameters GET /slots accepts.
var slotParams = []string{"from", "to", "appointment_type"}

// slotsOut writes slots with local times in loc.
func slotsOut(list []slots.Slot, loc *time.Location) []slotJSON {
	out := make([]slotJSON, 0, len(list))
	for _, sl := range list {
		out = append(out, slotJSON{
			Start: formatTime(sl.Start), End: formatTime(sl.End),
			LocalStart: formatWall(sl.Start.In(loc)),
			LocalEnd:   formatWall(sl.End.In(loc)),
			Location:   sl.Mode.String(), OfficeID: sl.OfficeID,
		})
	}
	return out
}

// window reads the from and to query parameters: both required, from
// before to, at most slots.MaxWindow apart.
func window(r *http.Request) (from, to time.Time, err error) {
	v := r.URL.Query()
	for _, name := range []string{"from", "to"} {
		if v.Get(name) == "" {
			return from, to, invalid(name, name+" is required.")
		}
	}
	if from, err = parseTime("from", v.Get("from")); err != nil {
		return from, to, err
	}
	if to, err = parseTime("to", v.Get("to")); err != nil {
		return from, to, err
	}
	switch {
	case !from.Before(to):
		return from, to, invalid("to", "to must be after from.")
	case to.Sub(from) > slots.MaxWindow:
		return from, to, invalid("to", "Ask for at most 92 days of slots at a time.")
	}
	return from, to, nil
}

// listSlots answers GET /slots: the provider's own open slots, with
// local times in the provider's zone.
func (s *server) listSlots(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), slotParams); err != nil {
		return err
	}
	from, to, err := window(r)
	if err != nil {
		return err
	}
	a, err := s.Scheduling.Availability(r.Context(), actor)
	if err != nil {
		return err
	}
	loc, err := a.Location()
	if err != nil {
		return err
	}
	typeKey := r.URL.Query().Get("appointment_type")
	list, err := s.Scheduling.Slots(r.Context(), actor.ProviderID, from, to, typeKey)
	if err != nil {
		return slotError(err)
	}
	writeJSON(w, http.StatusOK, slotListJSON{TimeZone: a.TimeZone, Items: slotsOut(list, loc)})
	return nil
}

// slotError names the query parameter a complaint of the slot
// computation is about: its "type" is appointment_type here.
func slotError(err error) error {
	problems, ok := validation.From(err)
	if !ok || len(problems) == 0 {
		return err
	}
	field := problems[0].Field
	if field == "type" {
		field = "appointment_type"
	}
	return invalid(field, problems[0].Message)
}
