package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/web/ui"
)

// auditPage reads the filter from the query string, lists one page of
// the entries the actor may see and builds the view. Times are shown in
// UTC, which the table heading says.
func (s *server) auditPage(r *http.Request, path string) (ui.AuditView, int, error) {
	v := visitorFrom(r.Context())
	q := r.URL.Query()
	view := ui.AuditView{
		Action:   path,
		ObjectID: trimTo(q.Get("object_id"), 200),
		From:     trimTo(q.Get("from"), 10),
		To:       trimTo(q.Get("to"), 10),
	}
	f := audit.Filter{ObjectID: view.ObjectID, Cursor: trimTo(q.Get("cursor"), 200)}
	if view.From != "" {
		t, err := time.Parse("2006-01-02", view.From)
		if err != nil {
			view.Form.SetError("from", "Enter a date such as 2026-03-02.")
		}
		f.From = t
	}
	if view.To != "" {
		t, err := time.Parse("2006-01-02", view.To)
		if err != nil {
			view.Form.SetError("to", "Enter a date such as 2026-03-02.")
		}
		f.To = t.AddDate(0, 0, 1) // through the end of that day
	}
	if view.Form.HasErrors() {
		return view, http.StatusUnprocessableEntity, nil
	}

	items, next, err := s.Audit.List(r.Context(), v.actor, f)
	if errors.Is(err, audit.ErrInvalidCursor) {
		return view, 0, errBadRequest
	}
	if err != nil {
		return view, 0, err
	}
	for _, it := range items {
		who := string(it.ActorRole)
		switch {
		case it.ActorID == v.user.ID:
			who = "You"
		case it.ActorID == "":
			who = "Tend"
		}
		view.Rows = append(view.Rows, ui.AuditRow{
			At:         it.At.UTC().Format("2006-01-02 15:04:05"),
			Actor:      who,
			Action:     it.Action,
			ObjectType: it.ObjectType,
			ObjectID:   it.ObjectID,
			IP:         it.IP,
		})
	}
	if next != "" {
		nq := url.Values{}
		for k, val := range map[string]string{"object_id": view.ObjectID,
			"from": view.From, "to": view.To, "cursor": next} {
			if val != "" {
				nq.Set(k, val)
			}
		}
		view.Next = path + "?" + nq.Encode()
	}
	return view, http.StatusOK, nil
}

// trimTo bounds a query value.
func trimTo(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// settingsActivity shows the user's own audit trail.
func (s *server) settingsActivity(w http.ResponseWriter, r *http.Request) error {
	view, status, err := s.auditPage(r, "/settings/activity")
	if err != nil {
		return err
	}
	s.render(w, r, status, ui.SettingsActivity(s.settingsShell(r, "Activity"), view))
	return nil
}

// adminAudit shows the whole instance's audit log.
func (s *server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	view, status, err := s.auditPage(r, "/admin/audit")
	if err != nil {
		return err
	}
	s.render(w, r, status, ui.AdminAudit(s.shellFor(r, "Audit log", "/admin/audit"), view))
	return nil
}
