package api

import (
	"net/http"
	"strings"

	"github.com/tend-portal/tend/internal/calsync"
)

// feedJSON is a connected outside calendar. Its address is secret and
// never shown again, only its host.
type feedJSON struct {
	ID            string  `json:"id"`
	Host          string  `json:"host"`
	LastFetchedAt *string `json:"last_fetched_at"`
	LastOKAt      *string `json:"last_ok_at"`
	LastError     string  `json:"last_error"`
	CreatedAt     string  `json:"created_at"`
}

func feedOut(f calsync.Feed) feedJSON {
	return feedJSON{
		ID: f.ID, Host: f.Host, LastFetchedAt: formatTimePtr(f.LastFetchedAt),
		LastOKAt: formatTimePtr(f.LastOKAt), LastError: f.LastError,
		CreatedAt: formatTime(f.CreatedAt),
	}
}

// feedListJSON is the answer to GET /calendar-feeds.
type feedListJSON struct {
	Items []feedJSON `json:"items"`
}

// newFeedJSON is the body of POST /calendar-feeds.
type newFeedJSON struct {
	URL string `json:"url"`
}

// exportJSON is the private feed's address.
type exportJSON struct {
	URL string `json:"url"`
}

// listCalendarFeeds answers GET /calendar-feeds.
func (s *server) listCalendarFeeds(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	feeds, err := s.Calsync.Feeds(r.Context(), actor)
	if err != nil {
		return err
	}
	out := feedListJSON{Items: make([]feedJSON, 0, len(feeds))}
	for _, f := range feeds {
		out.Items = append(out.Items, feedOut(f))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// addCalendarFeed answers POST /calendar-feeds. The calendar is fetched
// at once: an address that cannot be fetched, is not allowed or does not
// hold a calendar is refused and nothing is stored.
func (s *server) addCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	var req newFeedJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.URL) == "" {
		return invalid("url", "url is required.")
	}
	if len(req.URL) > 2000 {
		return invalid("url", "The calendar address is too long.")
	}
	f, err := s.Calsync.AddFeed(r.Context(), actor, req.URL)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/calendar-feeds/"+f.ID)
	writeJSON(w, http.StatusCreated, feedOut(f))
	return nil
}

// removeCalendarFeed answers DELETE /calendar-feeds/{id}.
func (s *server) removeCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	if err := s.Calsync.RemoveFeed(r.Context(), actor, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// getCalendarExport answers GET /calendar-export with the private feed's
// address, made on first use.
func (s *server) getCalendarExport(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	url, err := s.Calsync.ExportURL(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, exportJSON{URL: url})
	return nil
}

// rotateCalendarExport answers POST /calendar-export: the old address
// stops working and a new one is issued. It takes no body.
func (s *server) rotateCalendarExport(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	url, err := s.Calsync.RotateExport(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, exportJSON{URL: url})
	return nil
}
