package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
)

// newAppointment reads the body of POST /appointments and the preview.
func (s *server) newAppointment(w http.ResponseWriter, r *http.Request,
	actor access.Actor) (scheduling.NewAppointment, error) {
	var req newAppointmentJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return scheduling.NewAppointment{}, err
	}
	return req.input(func() (*time.Location, error) {
		a, err := s.Scheduling.Availability(r.Context(), actor)
		if err != nil {
			return nil, err
		}
		return a.Location()
	})
}

// createAppointment answers POST /appointments. A provider books for
// one of their clients at any time; a client books an open slot for
// themself.
func (s *server) createAppointment(w http.ResponseWriter, r *http.Request) error {
	actor := access.From(r.Context())
	n, err := s.newAppointment(w, r, actor)
	if err != nil {
		return err
	}
	created, err := s.Scheduling.Create(r.Context(), actor, n)
	if err != nil {
		return s.slotTaken(r.Context(), err, s.bookedProvider(r.Context(), actor), n.Start, n.TypeKey, nil)
	}
	if len(created) > 0 {
		w.Header().Set("Location", Prefix+"/appointments/"+created[0].ID)
	}
	writeJSON(w, http.StatusCreated, batchOut(created))
	return nil
}

// previewAppointments answers POST /appointments/preview. It books
// nothing.
func (s *server) previewAppointments(w http.ResponseWriter, r *http.Request) error {
	actor := access.From(r.Context())
	n, err := s.newAppointment(w, r, actor)
	if err != nil {
		return err
	}
	list, err := s.Scheduling.Preview(r.Context(), actor, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, previewOut(list))
	return nil
}

// getAppointment answers GET /appointments/{id}.
func (s *server) getAppointment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.Scheduling.Get(r.Context(), access.From(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appointmentOut(a))
	return nil
}

// rescheduleAppointment answers PATCH /appointments/{id}. The scope may
// come as ?scope= or in the body; given in both, they must agree.
func (s *server) rescheduleAppointment(w http.ResponseWriter, r *http.Request) error {
	actor := access.From(r.Context())
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), []string{"scope"}); err != nil {
		return err
	}
	var req changeJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	scope := r.URL.Query().Get("scope")
	switch {
	case scope == "":
		scope = req.Scope
	case req.Scope != "" && req.Scope != scope:
		return invalid("scope", "scope in the query and in the body differ.")
	}
	if scope, err = checkScope(scope); err != nil {
		return err
	}
	c, err := req.change()
	if err != nil {
		return err
	}
	changed, err := s.Scheduling.Reschedule(r.Context(), actor, id, scope, c)
	if err != nil {
		if c.Start == nil || !errors.Is(err, scheduling.ErrSlotTaken) {
			return err
		}
		// Fresh slots of the appointment's own provider and type.
		a, getErr := s.Scheduling.Get(r.Context(), actor, id)
		if getErr != nil {
			return err
		}
		return s.slotTaken(r.Context(), err, a.ProviderID, *c.Start, a.TypeKey, nil)
	}
	writeJSON(w, http.StatusOK, batchOut(changed))
	return nil
}

// cancelAppointment answers POST /appointments/{id}/cancel.
func (s *server) cancelAppointment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req cancelJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	scope, err := checkScope(req.Scope)
	if err != nil {
		return err
	}
	if len(req.Reason) > 500 {
		return invalid("reason", "Keep the reason under 500 characters.")
	}
	canceled, err := s.Scheduling.Cancel(r.Context(), access.From(r.Context()), id, scope, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, batchOut(canceled))
	return nil
}

// markNoShow answers POST /appointments/{id}/no-show. It takes no body.
func (s *server) markNoShow(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	a, err := s.Scheduling.MarkNoShow(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appointmentOut(a))
	return nil
}

// freshSlotsSpan is how far after the time asked for a slot_taken answer
// looks for open slots, and freshSlotsMax how many it offers.
const (
	freshSlotsSpan = 7 * 24 * time.Hour
	freshSlotsMax  = 20
)

// slotTaken turns scheduling.ErrSlotTaken into the 409 that carries
// open slots near the time asked for, with local times in loc (the
// provider's zone when nil). Other errors pass through.
func (s *server) slotTaken(ctx context.Context, err error, providerID string,
	near time.Time, typeKey string, loc *time.Location) error {
	if !errors.Is(err, scheduling.ErrSlotTaken) {
		return err
	}
	e := classifyScheduling(err)
	e.Slots = []slotJSON{}
	if providerID == "" {
		return e
	}
	if loc == nil {
		a, aErr := s.Scheduling.AvailabilityForProvider(ctx, providerID)
		if aErr == nil {
			loc, aErr = a.Location()
		}
		if aErr != nil {
			s.logSlotsFailure(ctx, aErr)
			return e
		}
	}
	from := near.Add(-12 * time.Hour)
	if now := s.Clock.Now().UTC(); from.Before(now) {
		from = now
	}
	from = from.Truncate(time.Minute)
	list, sErr := s.Scheduling.Slots(ctx, providerID, from, from.Add(freshSlotsSpan), typeKey)
	if sErr != nil {
		s.logSlotsFailure(ctx, sErr)
		return e
	}
	e.Slots = slotsOut(list[:min(len(list), freshSlotsMax)], loc)
	return e
}

// logSlotsFailure notes that a slot_taken answer went out without fresh
// slots.
func (s *server) logSlotsFailure(ctx context.Context, err error) {
	s.Logger.LogAttrs(ctx, slog.LevelWarn, "fresh slots for slot_taken failed",
		slog.String("request_id", access.From(ctx).RequestID),
		slog.String("error", err.Error()))
}

// errSlotTaken is the answer to a booking that lost the race for its
// time.
func errSlotTaken() *httpError {
	return &httpError{
		Status:  http.StatusConflict,
		Code:    "slot_taken",
		Message: "That time was just taken. Please pick another.",
	}
}

// classifyScheduling maps the sentinel errors of the scheduling area.
func classifyScheduling(err error) *httpError {
	var taken *scheduling.SlotTakenError
	switch {
	case errors.As(err, &taken) && taken.Conflicts > 1:
		e := errSlotTaken()
		e.Message = sentence(taken.Error())
		return e
	case errors.Is(err, scheduling.ErrSlotTaken):
		return errSlotTaken()
	case errors.Is(err, scheduling.ErrOutsideWindow):
		msg := "It is too close to the appointment to change it online; " +
			"please contact your provider."
		// The area says how many hours the window is: keep its words.
		if _, rest, ok := strings.Cut(err.Error(),
			scheduling.ErrOutsideWindow.Error()+": "); ok && rest != "" {
			msg = sentence(rest)
		}
		return &httpError{
			Status: http.StatusConflict, Code: "outside_cancel_window", Message: msg,
		}
	}
	return nil
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// bookedProvider returns whose calendar actor books on: their own for a
// provider, their provider's for a client ("" when unknown, and then a
// slot_taken answer goes without fresh slots).
func (s *server) bookedProvider(ctx context.Context, actor access.Actor) string {
	if actor.IsProvider() {
		return actor.ProviderID
	}
	if actor.ClientID == "" {
		return ""
	}
	var id string
	err := s.DB.Reader().QueryRowContext(ctx,
		`SELECT provider_id FROM clients WHERE id = $1`, actor.ClientID).Scan(&id)
	if err != nil {
		s.logSlotsFailure(ctx, store.Translate(err))
		return ""
	}
	return id
}
