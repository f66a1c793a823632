package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// appt is an appointment as the API answers it (the fields tests read).
type appt struct {
	ID              string  `json:"id"`
	ClientID        string  `json:"client_id"`
	ClientName      string  `json:"client_name"`
	SeriesID        *string `json:"series_id"`
	Type            string  `json:"type"`
	AppointmentType string  `json:"appointment_type"`
	Start           string  `json:"start"`
	End             string  `json:"end"`
	LocalStart      string  `json:"local_start"`
	LocalEnd        string  `json:"local_end"`
	TimeZone        string  `json:"time_zone"`
	DurationMinutes int     `json:"duration_minutes"`
	Location        string  `json:"location"`
	CPT             string  `json:"cpt_code"`
	Status          string  `json:"status"`
	CancelReason    string  `json:"cancel_reason"`
	Sequence        int     `json:"sequence"`
}

// apptBatch is the answer to create, reschedule and cancel.
type apptBatch struct {
	Items []appt `json:"items"`
}

// apptPage is the answer to GET /appointments.
type apptPage struct {
	Items      []appt         `json:"items"`
	NextCursor *string        `json:"next_cursor"`
	Total      int            `json:"total"`
	Counts     map[string]int `json:"counts"`
}

// slotOut is one open slot.
type slotOut struct {
	Start      string `json:"start"`
	End        string `json:"end"`
	LocalStart string `json:"local_start"`
	LocalEnd   string `json:"local_end"`
	Location   string `json:"location"`
}

// slotList is the answer to GET /slots and the public slots.
type slotList struct {
	TimeZone string    `json:"time_zone"`
	Items    []slotOut `json:"items"`
}

// slotTakenBody is a 409 slot_taken answer.
type slotTakenBody struct {
	apiError
	Slots *[]slotOut `json:"slots"`
}

// chicago is the test practice's zone. testStart is Monday 2 March 2026,
// 08:00 there; the clocks go forward on Sunday 8 March.
var chicago = mustZone("America/Chicago")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// local returns the instant of a Chicago wall-clock time, RFC 3339.
func local(y int, m time.Month, d, hh, mm int) string {
	return time.Date(y, m, d, hh, mm, 0, 0, chicago).UTC().Format(time.RFC3339)
}

// weekdays are office-free working hours, 09:00-17:00 by telehealth.
func weekdays() map[string]any {
	day := []map[string]any{{"start": "09:00", "end": "17:00", "location": "telehealth"}}
	return map[string]any{"monday": day, "tuesday": day, "wednesday": day,
		"thursday": day, "friday": day}
}

// testRules are booking rules with hourly slots and no notice, buffer or
// limit, so slot counts are easy to reason about.
func testRules() map[string]any {
	return map[string]any{"increment_minutes": 60, "min_notice_minutes": 0,
		"horizon_days": 60, "buffer_before_minutes": 0, "buffer_after_minutes": 0,
		"daily_max": 0, "cancel_window_hours": 24, "reminder_hours": 24}
}

// schedPractice is a provider with availability set and one client.
type schedPractice struct {
	practice
	client clientOut
	slug   string
}

// newSchedPractice creates a provider in Chicago, working weekdays
// 09:00-17:00 by telehealth, with one client.
func (e *env) newSchedPractice(t *testing.T, email string) schedPractice {
	t.Helper()
	p := e.newPractice(t, email)
	res := e.do(t, call{method: http.MethodPatch, path: "/availability", token: p.token,
		body: map[string]any{"time_zone": "America/Chicago", "weekly_hours": weekdays(),
			"rules": testRules()}})
	wantStatus(t, res, http.StatusOK)
	av := decode[struct {
		Slug string `json:"slug"`
	}](t, res)
	c := e.createClient(t, p.token, map[string]any{"first_name": "Ada", "last_name": "Lovelace",
		"email": "ada-" + email})
	return schedPractice{practice: p, client: c, slug: av.Slug}
}

// book creates one 50-minute telehealth follow-up and fails unless it is
// created.
func (e *env) book(t *testing.T, p schedPractice, start string, extra map[string]any) []appt {
	t.Helper()
	body := map[string]any{"client_id": p.client.ID, "start": start,
		"duration_minutes": 50, "type": "follow_up", "location": "telehealth",
		"cpt_code": "90834"}
	for k, v := range extra {
		body[k] = v
	}
	res := e.do(t, call{method: http.MethodPost, path: "/appointments", token: p.token, body: body})
	wantStatus(t, res, http.StatusCreated)
	return decode[apptBatch](t, res).Items
}

// scheduled counts the provider's appointments that hold their time.
func (e *env) scheduled(t *testing.T, providerID string) int {
	t.Helper()
	return e.countWhere(t, "appointments", "status = 'scheduled' AND provider_id = $1", providerID)
}

// overlappingPairs counts pairs of one provider's appointments that
// hold their time and overlap.
func (e *env) overlappingPairs(t *testing.T, providerID string) int {
	t.Helper()
	var n int
	err := e.db.Reader().QueryRowContext(context.Background(), `SELECT count(*)
		FROM appointments a JOIN appointments b ON a.provider_id = b.provider_id
		AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
		WHERE a.provider_id = $1 AND a.status = 'scheduled' AND b.status = 'scheduled'`,
		providerID).Scan(&n)
	if err != nil {
		t.Fatalf("count overlaps: %v", err)
	}
	return n
}
