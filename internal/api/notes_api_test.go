package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// noteOut is a note as the API answers it.
type noteOut struct {
	ID            string            `json:"id"`
	ClientID      string            `json:"client_id"`
	AppointmentID *string           `json:"appointment_id"`
	Template      string            `json:"template"`
	Fields        map[string]string `json:"fields"`
	Status        string            `json:"status"`
	SignedAt      *string           `json:"signed_at"`
	ContentHash   *string           `json:"content_hash"`
	Version       int               `json:"version"`
	Addenda       []struct {
		Text string `json:"text"`
	} `json:"addenda"`
}

// newNote starts a draft note for a client.
func (e *env) newNote(t *testing.T, token, clientID string, body map[string]any) noteOut {
	t.Helper()
	res := e.do(t, call{method: http.MethodPost, path: "/clients/" + clientID + "/notes",
		token: token, body: body})
	wantStatus(t, res, http.StatusCreated)
	return decode[noteOut](t, res)
}

func TestNotesFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		c := e.createClient(t, p.token, map[string]any{"first_name": "Hal", "last_name": "Irwin"})
		appt := e.addAppointment(t, p.providerID, c.ID, e.clk.Now().Add(-2*time.Hour), "completed")

		n := e.newNote(t, p.token, c.ID, map[string]any{"template": "soap", "appointment_id": appt,
			"fields": map[string]string{"subjective": "Slept better this week."}})
		if n.Status != "draft" || n.AppointmentID == nil || *n.AppointmentID != appt ||
			n.Fields["subjective"] != "Slept better this week." || n.SignedAt != nil {
			t.Errorf("new note %+v", n)
		}

		// Autosave with the version; a stale version is a conflict.
		res := e.do(t, call{method: http.MethodPatch, path: "/notes/" + n.ID, token: p.token,
			body: map[string]any{"version": n.Version, "fields": map[string]string{
				"subjective": "Slept better.", "plan": "Continue CBT-I."}}})
		wantStatus(t, res, http.StatusOK)
		saved := decode[noteOut](t, res)
		if saved.Fields["plan"] != "Continue CBT-I." || saved.Version <= n.Version {
			t.Errorf("saved %+v", saved)
		}
		res = e.do(t, call{method: http.MethodPatch, path: "/notes/" + n.ID, token: p.token,
			body: map[string]any{"version": n.Version, "fields": map[string]string{"subjective": "old tab"}}})
		wantError(t, res, http.StatusConflict, "conflict", "")
		res = e.do(t, call{method: http.MethodPatch, path: "/notes/" + n.ID, token: p.token,
			body: map[string]any{"fields": map[string]string{"vibes": "x"}}, broken: true})
		wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "fields.vibes")

		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID + "/notes", token: p.token})
		wantStatus(t, res, http.StatusOK)
		if items := decode[struct{ Items []noteOut }](t, res).Items; len(items) != 1 || items[0].ID != n.ID {
			t.Errorf("notes list %+v", items)
		}

		// Signed, the note is locked: no edit, no delete, no second sign.
		res = e.do(t, call{method: http.MethodPost, path: "/notes/" + n.ID + "/sign", token: p.token})
		wantStatus(t, res, http.StatusOK)
		signed := decode[noteOut](t, res)
		if signed.Status != "signed" || signed.SignedAt == nil || signed.ContentHash == nil {
			t.Errorf("signed %+v", signed)
		}
		notes, audits := e.count(t, "notes"), e.count(t, "audit_log")
		for _, c := range []call{
			{method: http.MethodPatch, path: "/notes/" + n.ID,
				body: map[string]any{"fields": map[string]string{"subjective": "rewritten"}}},
			{method: http.MethodDelete, path: "/notes/" + n.ID},
			{method: http.MethodPost, path: "/notes/" + n.ID + "/sign"},
		} {
			c.token = p.token
			wantError(t, e.do(t, c), http.StatusConflict, "locked", "")
		}
		if e.count(t, "notes") != notes || e.count(t, "audit_log") != audits {
			t.Error("refused changes to a signed note wrote rows")
		}

		// Only addenda can be added.
		res = e.do(t, call{method: http.MethodPost, path: "/notes/" + n.ID + "/addenda", token: p.token,
			body: map[string]any{"text": "Client called: sleep diary attached."}})
		wantStatus(t, res, http.StatusCreated)
		res = e.do(t, call{method: http.MethodGet, path: "/notes/" + n.ID, token: p.token})
		wantStatus(t, res, http.StatusOK)
		got := decode[noteOut](t, res)
		if len(got.Addenda) != 1 || got.Fields["subjective"] != "Slept better." {
			t.Errorf("after addendum %+v", got)
		}

		// A draft can be deleted, and that is audited.
		draft := e.newNote(t, p.token, c.ID, map[string]any{"template": "free"})
		res = e.do(t, call{method: http.MethodPost, path: "/notes/" + draft.ID + "/addenda", token: p.token,
			body: map[string]any{"text": "too early"}})
		wantError(t, res, http.StatusConflict, "not_signed", "")
		res = e.do(t, call{method: http.MethodDelete, path: "/notes/" + draft.ID, token: p.token})
		wantStatus(t, res, http.StatusNoContent)
		res = e.do(t, call{method: http.MethodGet, path: "/notes/" + draft.ID, token: p.token})
		wantError(t, res, http.StatusNotFound, "not_found", "")
		if n := e.countWhere(t, "audit_log", "object_id = $1", draft.ID); n < 2 {
			t.Errorf("%d audit entries for the deleted draft, want its creation and deletion", n)
		}

		// Unknown templates are refused.
		res = e.do(t, call{method: http.MethodPost, path: "/clients/" + c.ID + "/notes", token: p.token,
			body: map[string]any{"template": "haiku"}, broken: true})
		wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "template")
	})
}
