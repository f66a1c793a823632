package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
)

// maxAdvance is the furthest one call moves the demo clock: a leap year.
const maxAdvance = 366 * 24 * time.Hour

type clockJSON struct {
	Now string `json:"now"`
}

type advanceRequest struct {
	Advance string `json:"advance"`
}

// demoClock answers GET /demo/clock with the server's current instant.
// The route exists only in demo mode.
func (s *server) demoClock(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, clockJSON{Now: formatTime(s.TestClock.Now())})
	return nil
}

// advanceDemoClock answers POST /demo/clock: an administrator moves the
// demo clock forward and every job that has fallen due runs before the
// response, so time-based rules can be shown end to end.
func (s *server) advanceDemoClock(w http.ResponseWriter, r *http.Request) error {
	actor := access.From(r.Context())
	if !actor.IsAdmin() {
		return errForbidden
	}
	var req advanceRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	d, err := time.ParseDuration(req.Advance)
	if err != nil || d <= 0 || d > maxAdvance {
		return invalid("advance",
			"advance must be a positive duration up to 8784h, such as 72h or 90m.")
	}

	ctx := r.Context()
	now := s.TestClock.Advance(d)
	err = s.Audit.Record(ctx, nil, actor, audit.Entry{
		Action:     "demo.clock.advance",
		ObjectType: "clock",
		Detail:     "advance=" + d.String(),
	})
	if err != nil {
		return fmt.Errorf("api: record clock advance: %w", err)
	}
	if err := s.Jobs.RunDue(ctx); err != nil {
		return fmt.Errorf("api: run due jobs: %w", err)
	}
	writeJSON(w, http.StatusOK, clockJSON{Now: formatTime(now)})
	return nil
}
