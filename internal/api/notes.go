package api

import (
	"net/http"

	"github.com/tend-portal/tend/internal/notes"
)

// addendumJSON is dated text added to a signed note.
type addendumJSON struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	AuthorID  string `json:"author_id"`
	CreatedAt string `json:"created_at"`
}

// noteJSON is a session note as the API shows it.
type noteJSON struct {
	ID            string            `json:"id"`
	ClientID      string            `json:"client_id"`
	AppointmentID *string           `json:"appointment_id"`
	Template      string            `json:"template"`
	Fields        map[string]string `json:"fields"`
	Status        string            `json:"status"`
	SignedAt      *string           `json:"signed_at"`
	SignedBy      *string           `json:"signed_by"`
	ContentHash   *string           `json:"content_hash"`
	Version       int               `json:"version"`
	Addenda       []addendumJSON    `json:"addenda"`
	CreatedAt     string            `json:"created_at"`
	UpdatedAt     string            `json:"updated_at"`
}

// newNoteRequest is the body of POST /clients/{id}/notes.
type newNoteRequest struct {
	Template      string            `json:"template"`
	AppointmentID *string           `json:"appointment_id"`
	Fields        map[string]string `json:"fields"`
}

// saveNoteRequest is the body of PATCH /notes/{id}. With version set,
// the save is refused (409) when someone saved the note since.
type saveNoteRequest struct {
	Fields  map[string]string `json:"fields"`
	Version *int              `json:"version"`
}

// addendumRequest is the body of POST /notes/{id}/addenda.
type addendumRequest struct {
	Text string `json:"text"`
}

// optional returns nil for "" and a pointer to s otherwise.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func noteOut(n notes.Note) noteJSON {
	fields := n.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	addenda := make([]addendumJSON, 0, len(n.Addenda))
	for _, a := range n.Addenda {
		addenda = append(addenda, addendumJSON{
			ID: a.ID, Text: a.Text, AuthorID: a.AuthorID,
			CreatedAt: formatTime(a.CreatedAt),
		})
	}
	return noteJSON{
		ID:            n.ID,
		ClientID:      n.ClientID,
		AppointmentID: optional(n.AppointmentID),
		Template:      n.Template,
		Fields:        fields,
		Status:        n.Status,
		SignedAt:      formatTimePtr(n.SignedAt),
		SignedBy:      optional(n.SignedBy),
		ContentHash:   optional(n.ContentHash),
		Version:       n.Version,
		Addenda:       addenda,
		CreatedAt:     formatTime(n.CreatedAt),
		UpdatedAt:     formatTime(n.UpdatedAt),
	}
}

// listNotes answers GET /clients/{id}/notes.
func (s *server) listNotes(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	found, err := s.Notes.List(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(found, noteOut))
	return nil
}

// createNote answers POST /clients/{id}/notes with a new draft.
func (s *server) createNote(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	var req newNoteRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	appointment := ""
	if req.AppointmentID != nil {
		appointment = *req.AppointmentID
	}
	n, err := s.Notes.Create(r.Context(), actor, id, req.Template, appointment, req.Fields)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/notes/"+n.ID)
	writeJSON(w, http.StatusCreated, noteOut(n))
	return nil
}

// getNote answers GET /notes/{id}.
func (s *server) getNote(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	n, err := s.Notes.Get(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, noteOut(n))
	return nil
}

// saveNote answers PATCH /notes/{id}: the draft's sections (autosave).
// fields replaces the draft whole; a section left out is saved empty.
func (s *server) saveNote(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	var req saveNoteRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	var n notes.Note
	if req.Version != nil {
		n, err = s.Notes.SaveDraftVersion(r.Context(), actor, id, *req.Version, req.Fields)
	} else {
		n, err = s.Notes.SaveDraft(r.Context(), actor, id, req.Fields)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, noteOut(n))
	return nil
}

// deleteNote answers DELETE /notes/{id}; only drafts can be deleted.
func (s *server) deleteNote(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	if err := s.Notes.DeleteDraft(r.Context(), actor, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// signNote answers POST /notes/{id}/sign; the note is locked from then
// on. It takes no body.
func (s *server) signNote(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	n, err := s.Notes.Sign(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, noteOut(n))
	return nil
}

// addAddendum answers POST /notes/{id}/addenda with the note as it is
// after the addendum.
func (s *server) addAddendum(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	var req addendumRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	n, err := s.Notes.AddAddendum(r.Context(), actor, id, req.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, noteOut(n))
	return nil
}
