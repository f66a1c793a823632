package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/tend-portal/tend/internal/records"
	"github.com/tend-portal/tend/internal/tasks"
)

// taskJSON is one item on a provider's task list.
type taskJSON struct {
	ID          string  `json:"id"`
	ClientID    *string `json:"client_id"`
	Kind        string  `json:"kind"`
	Title       string  `json:"title"`
	Urgent      bool    `json:"urgent"`
	Link        string  `json:"link"`
	CreatedAt   string  `json:"created_at"`
	DismissedAt *string `json:"dismissed_at"`
}

func taskOut(t tasks.Task) taskJSON {
	return taskJSON{
		ID:          t.ID,
		ClientID:    optional(t.ClientID),
		Kind:        t.Kind,
		Title:       t.Title,
		Urgent:      t.Urgent,
		Link:        t.Link,
		CreatedAt:   formatTime(t.CreatedAt),
		DismissedAt: formatTimePtr(t.DismissedAt),
	}
}

// listTasks answers GET /tasks: the provider's open tasks.
func (s *server) listTasks(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	found, err := s.Tasks.List(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(found, taskOut))
	return nil
}

// dismissTask answers POST /tasks/{id}/dismiss.
func (s *server) dismissTask(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	if err := s.Tasks.Dismiss(r.Context(), actor, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// exportParams are the query parameters GET /clients/{id}/export
// accepts.
var exportParams = []string{"format"}

// exportClient answers GET /clients/{id}/export: the client's whole
// record (demographics, forms, notes, measures) as JSON (the default)
// or as a PDF download.
func (s *server) exportClient(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := onlyParams(q, exportParams); err != nil {
		return err
	}
	format := q.Get("format")
	switch format {
	case "":
		format = "json"
	case "json", "pdf":
	default:
		return invalid("format", "format must be json or pdf.")
	}

	rec, err := s.Records.Export(r.Context(), actor, id)
	if err != nil {
		return err
	}

	// The whole document is built before the first byte goes out, so a
	// failure half way is still a clean JSON error.
	var buf bytes.Buffer
	write, ctype := records.WriteJSON, "application/json"
	if format == "pdf" {
		write, ctype = records.WritePDF, "application/pdf"
	}
	if err := write(&buf, rec); err != nil {
		return err
	}

	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Disposition", `attachment; filename="client-record-`+id+`.`+format+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	// A failed write means the caller went away; there is no one to tell.
	_, _ = w.Write(buf.Bytes())
	return nil
}
