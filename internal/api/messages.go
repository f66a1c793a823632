package api

import (
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/store"
)

// searchParams are the query parameters GET /messages/search accepts.
var searchParams = []string{"q", "client_id"}

// maxSearchLen bounds the text GET /messages/search looks for.
const maxSearchLen = 200

// messagingRoutes registers secure messages (issue 5).
func (s *server) messagingRoutes() {
	s.handle("GET /threads", s.authed(s.listThreads))
	s.handle("GET /threads/{client_id}/messages", s.authed(s.listMessages))
	s.handle("POST /threads/{client_id}/messages", s.authed(s.sendMessage))
	s.handle("GET /messages/search", s.authed(s.searchMessages))
	s.handle("POST /messages/{id}/read", s.authed(s.markMessageRead))
	s.handle("POST /messages/{id}/retract", s.authed(s.retractMessage))
	s.handle("GET /attachments/{id}", s.authed(s.downloadAttachment))
}

// threadClient returns the {client_id} path value. A malformed id, or a
// client naming a thread other than their own, is 404 before anything
// is read.
func threadClient(r *http.Request) (access.Actor, string, error) {
	a := access.From(r.Context())
	id := r.PathValue("client_id")
	if !store.ValidID(id) || (a.IsClient() && id != a.ClientID) {
		return a, "", errNotFound
	}
	return a, id, nil
}

// listThreads answers GET /threads.
func (s *server) listThreads(w http.ResponseWriter, r *http.Request) error {
	actor := access.From(r.Context())
	found, err := s.Messaging.Threads(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(found, func(t messaging.Thread) threadJSON {
		return threadOut(t, actor.IsProvider())
	}))
	return nil
}

// listMessages answers GET /threads/{client_id}/messages.
func (s *server) listMessages(w http.ResponseWriter, r *http.Request) error {
	actor, clientID, err := threadClient(r)
	if err != nil {
		return err
	}
	found, err := s.Messaging.Messages(r.Context(), actor, clientID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(found, messageOut))
	return nil
}

// searchMessages answers GET /messages/search.
func (s *server) searchMessages(w http.ResponseWriter, r *http.Request) error {
	actor := access.From(r.Context())
	q := r.URL.Query()
	if err := onlyParams(q, searchParams); err != nil {
		return err
	}
	text := strings.TrimSpace(q.Get("q"))
	switch {
	case text == "":
		return invalid("q", "q must say what to look for.")
	case utf8.RuneCountInString(text) > maxSearchLen:
		return invalid("q", "q must be at most "+strconv.Itoa(maxSearchLen)+" characters.")
	}
	clientID := q.Get("client_id")
	if q.Has("client_id") &&
		(!store.ValidID(clientID) || (actor.IsClient() && clientID != actor.ClientID)) {
		return errNotFound
	}
	found, err := s.Messaging.Search(r.Context(), actor, text, clientID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(found, messageOut))
	return nil
}

// markMessageRead answers POST /messages/{id}/read.
func (s *server) markMessageRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := s.Messaging.MarkRead(r.Context(), access.From(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, messageOut(m))
	return nil
}

// retractMessage answers POST /messages/{id}/retract.
func (s *server) retractMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Messaging.Retract(r.Context(), access.From(r.Context()), id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// downloadAttachment answers GET /attachments/{id}: the file streamed
// as a download, never shown inline, with the type detected when it
// was uploaded.
func (s *server) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	att, content, err := s.Messaging.Attachment(r.Context(), access.From(r.Context()), id)
	if err != nil {
		return err
	}
	defer content.Close()

	h := w.Header()
	h.Set("Content-Type", att.ContentType)
	h.Set("Content-Disposition", contentDisposition(att.Filename))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if att.Size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(att.Size, 10))
	}
	w.WriteHeader(http.StatusOK)
	// Once the status is out an error can only cut the download short;
	// the operator hears of it, the caller sees a truncated body.
	if _, err := io.Copy(w, content); err != nil {
		s.Logger.LogAttrs(r.Context(), slog.LevelWarn, "attachment download cut short",
			slog.String("attachment_id", id),
			slog.String("request_id", access.From(r.Context()).RequestID),
			slog.String("error", err.Error()),
		)
		panic(http.ErrAbortHandler)
	}
	return nil
}
