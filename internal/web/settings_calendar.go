package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/web/ui"
)

// calendarNotices are the notices of the Calendar sync page.
var calendarNotices = map[string]string{
	"rotated": "Your calendar feed has a new address. Subscribe to it again in your calendar apps.",
	"added":   "The calendar is connected. Its busy times now block your open slots.",
	"removed": "The calendar has been disconnected.",
}

// calendarSyncView fills the Calendar sync page.
func (s *server) calendarSyncView(r *http.Request, f ui.Form) (ui.CalendarSyncView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	u, err := s.Calsync.ExportURL(ctx, v.actor)
	if err != nil {
		return ui.CalendarSyncView{}, err
	}
	feeds, err := s.Calsync.Feeds(ctx, v.actor)
	if err != nil {
		return ui.CalendarSyncView{}, err
	}
	loc := s.zoneFor(ctx, v)
	view := ui.CalendarSyncView{ExportURL: u, Form: f, Notice: calendarNotices[r.URL.Query().Get("done")]}
	for _, fd := range feeds {
		row := ui.FeedRow{ID: fd.ID, Label: fd.Host, LastOK: "never", LastError: fd.LastError}
		if fd.LastOKAt != nil {
			row.LastOK = fd.LastOKAt.In(loc).Format(timeLayout)
		}
		view.Feeds = append(view.Feeds, row)
	}
	return view, nil
}

// settingsCalendar shows the export feed and the imported calendars.
func (s *server) settingsCalendar(w http.ResponseWriter, r *http.Request) error {
	view, err := s.calendarSyncView(r, ui.Form{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.SettingsCalendar(s.settingsShell(r, "Calendar sync"), view))
	return nil
}

// rotateExport issues a new feed address and revokes the old one.
func (s *server) rotateExport(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	if _, err := s.Calsync.RotateExport(r.Context(), v.actor); err != nil {
		return err
	}
	return redirect(w, r, "/settings/calendar?done=rotated")
}

// addFeed connects a calendar by its iCalendar address.
func (s *server) addFeed(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	raw := formValue(r, "url")
	_, err := s.Calsync.AddFeed(r.Context(), v.actor, raw)
	if errs, ok := validationErrors(err); ok {
		f := ui.Form{Values: map[string]string{"url": raw}}
		f.SetError("url", errs[0].Message)
		view, verr := s.calendarSyncView(r, f)
		if verr != nil {
			return verr
		}
		s.render(w, r, http.StatusUnprocessableEntity, ui.SettingsCalendar(s.settingsShell(r, "Calendar sync"), view))
		return nil
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/settings/calendar?done=added")
}

// removeFeed disconnects a calendar.
func (s *server) removeFeed(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	if err := s.Calsync.RemoveFeed(r.Context(), v.actor, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/settings/calendar?done=removed")
}

// calendarFeed serves a provider's private iCalendar feed to calendar
// apps; the token in the address is the only credential.
func (s *server) calendarFeed(w http.ResponseWriter, r *http.Request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		return store.ErrNotFound
	}
	st := stateFrom(r.Context())
	ctx := access.With(r.Context(), access.Actor{IP: clientIP(r), UserAgent: r.UserAgent(), RequestID: st.id})
	var buf bytes.Buffer
	if err := s.Calsync.Feed(ctx, token, &buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("Last-Modified", s.Clock.Now().UTC().Format(http.TimeFormat))
	_, _ = w.Write(buf.Bytes())
	return nil
}
