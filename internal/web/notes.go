package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// noteRow shows a note in the client page's list.
func noteRow(n notes.Note, loc *time.Location) ui.NoteRow {
	row := ui.NoteRow{ID: n.ID, Href: "/notes/" + n.ID, Title: noteTitle(n.Template),
		Status: n.Status, StatusLabel: "Draft", Date: formatDate(&n.CreatedAt, loc)}
	if n.Status == notes.StatusSigned {
		row.StatusLabel = "Signed"
		row.Date = formatDate(n.SignedAt, loc)
	}
	return row
}

// noteTitle names a note template.
func noteTitle(template string) string {
	if def, ok := notes.LookupTemplate(template); ok {
		return def.Title
	}
	return "Note"
}

// noteView is the note page for note n of the client named name, with
// the sections' values (the saved ones, or those just submitted) and
// problems.
func (s *server) noteView(r *http.Request, n notes.Note, values map[string]string, errs validation.Errors) (ui.NoteView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	c, err := s.Clients.Get(ctx, v.actor, n.ClientID)
	if err != nil {
		return ui.NoteView{}, err
	}
	loc := s.zoneFor(ctx, v)
	view := ui.NoteView{ID: n.ID, ClientName: fullName(c), ClientHref: "/clients/" + c.ID,
		Title: noteTitle(n.Template), Status: n.Status, StatusLabel: "Draft",
		Signed: n.Status == notes.StatusSigned, Hash: n.ContentHash,
		Created: formatTime(&n.CreatedAt, loc), Updated: formatTime(&n.UpdatedAt, loc),
		Version: n.Version}
	if view.Signed {
		view.StatusLabel = "Signed"
		signer := "you"
		if n.SignedBy != v.user.ID {
			signer = "another user"
		}
		view.SignedLine = "Signed by " + signer + " on " + formatTime(n.SignedAt, loc) + "."
	}
	def, _ := notes.LookupTemplate(n.Template)
	for _, sec := range def.Sections {
		view.Sections = append(view.Sections, ui.NoteSection{Key: sec.Key, ID: "note-" + sec.Key,
			Label: sec.Label, Prompt: sec.Prompt, Value: values[sec.Key],
			Error: errs.For("fields." + sec.Key)})
	}
	for _, a := range n.Addenda {
		view.Addenda = append(view.Addenda, ui.AddendumRow{ID: a.ID,
			At: formatTime(&a.CreatedAt, loc), Text: a.Text})
	}
	for _, fe := range errs {
		switch {
		case fe.Field == "confirm" && !view.Signed, fe.Field == "text" && view.Signed:
			view.Form.SetError(fe.Field, fe.Message)
		case strings.HasPrefix(fe.Field, "fields."):
		default:
			// "fields" (nothing written), "version" (changed elsewhere).
			if view.Form.Message == "" {
				view.Form.Message = fe.Message
			}
		}
	}
	return view, nil
}

// renderNote shows a note page with status.
func (s *server) renderNote(w http.ResponseWriter, r *http.Request, status int, view ui.NoteView) {
	s.render(w, r, status, ui.NotePage(s.shellFor(r, view.Title, "/clients"), view))
}

// newNote starts a draft note of the chosen template for the client.
func (s *server) newNote(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	n, err := s.Notes.Create(r.Context(), v.actor, id, formValue(r, "template"), "", nil)
	if errs, ok := validation.From(err); ok {
		return s.renderClientProblem(w, r, id, func(view *ui.ClientView) {
			view.Warning = errs[0].Message
		})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/notes/"+n.ID)
}

// notePage shows a draft in its editor or a signed note with addenda.
func (s *server) notePage(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	n, err := s.Notes.Get(r.Context(), v.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	view, err := s.noteView(r, n, n.Fields, nil)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		view.Notice = "Draft saved."
	case "signed":
		view.Notice = "The note is signed."
	case "addendum":
		view.Notice = "The addendum has been added."
	}
	s.renderNote(w, r, http.StatusOK, view)
	return nil
}

// readSections reads a note's sections and the version the editor was
// opened at.
func readSections(r *http.Request) (map[string]string, int) {
	fields := map[string]string{}
	for name := range r.PostForm {
		if key, ok := strings.CutPrefix(name, "section."); ok && key != "" {
			v := r.PostFormValue(name)
			if len(v) > 4*notes.MaxFieldChars {
				v = v[:4*notes.MaxFieldChars]
			}
			fields[key] = v
		}
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	return fields, version
}

// saveNote saves a draft: from the Save button, or from the autosave
// script, which gets JSON.
func (s *server) saveNote(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	fields, version := readSections(r)
	n, err := s.Notes.SaveDraftVersion(r.Context(), v.actor, id, version, fields)
	if wantsJSON(r) {
		return s.autosaveAnswer(w, r, err, n.Version)
	}
	if err != nil {
		return s.noteProblem(w, r, id, fields, err, true)
	}
	return redirect(w, r, "/notes/"+n.ID+"?done=saved")
}

// noteProblem shows the editor again with what was typed and the
// problems; anything but a validation error is returned as is.
// A signed note asked to change its sections (editing) is ErrLocked,
// whatever else was wrong with the request.
func (s *server) noteProblem(w http.ResponseWriter, r *http.Request, id string,
	fields map[string]string, err error, editing bool) error {
	errs, ok := validation.From(err)
	if !ok {
		return err
	}
	v := visitorFrom(r.Context())
	n, gerr := s.Notes.Get(r.Context(), v.actor, id)
	if gerr != nil {
		return gerr
	}
	switch {
	case n.Status == notes.StatusDraft && editing:
		n.Fields = fields
	case n.Status == notes.StatusSigned && editing:
		return notes.ErrLocked
	}
	view, verr := s.noteView(r, n, n.Fields, errs)
	if verr != nil {
		return verr
	}
	if n.Status == notes.StatusSigned {
		view.Addendum = formValue(r, "text")
	}
	s.renderNote(w, r, http.StatusUnprocessableEntity, view)
	return nil
}

// signNote saves the editor's text, then signs it when the provider has
// ticked the confirmation. A signed note answers 409 with the reason.
func (s *server) signNote(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	fields, version := readSections(r)
	n, err := s.Notes.SaveDraftVersion(r.Context(), v.actor, id, version, fields)
	if err != nil {
		return s.noteProblem(w, r, id, fields, err, true)
	}
	if r.PostFormValue("confirm") == "" {
		return s.noteProblem(w, r, id, fields, validation.New("confirm",
			"Tick the box to confirm you want to sign and lock this note. Your text has been saved."), true)
	}
	if _, err := s.Notes.SignVersion(r.Context(), v.actor, id, n.Version); err != nil {
		return s.noteProblem(w, r, id, fields, err, true)
	}
	return redirect(w, r, "/notes/"+id+"?done=signed")
}

// addAddendum adds dated text to a signed note.
func (s *server) addAddendum(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	text := strings.TrimSpace(r.PostFormValue("text"))
	if _, err := s.Notes.AddAddendum(r.Context(), v.actor, id, text); err != nil {
		return s.noteProblem(w, r, id, nil, err, false)
	}
	return redirect(w, r, "/notes/"+id+"?done=addendum#addenda")
}

// deleteNote deletes a draft note; a signed one answers 409.
func (s *server) deleteNote(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	n, err := s.Notes.Get(r.Context(), v.actor, id)
	if err != nil {
		return err
	}
	if err := s.Notes.DeleteDraft(r.Context(), v.actor, id); err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+n.ClientID+"?done=deleted#notes-section")
}

// formAnswers shows the provider a client's form. Answers appear once
// the client has signed.
func (s *server) formAnswers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	sub, err := s.Forms.Open(ctx, v.actor, r.PathValue("formID"))
	if err != nil {
		return err
	}
	if sub.ClientID != r.PathValue("id") {
		return store.ErrNotFound
	}
	c, err := s.Clients.Get(ctx, v.actor, sub.ClientID)
	if err != nil {
		return err
	}
	loc := s.zoneFor(ctx, v)
	view := ui.AnswersView{ClientName: fullName(c), ClientHref: "/clients/" + c.ID,
		Title: sub.TemplateTitle, Status: sub.Status, Hash: sub.AnswersHash,
		Fields: fieldViews(sub.Template.Fields, sub.Answers, nil)}
	if sub.Status == forms.StatusSigned {
		view.SignedLine = signedLine(sub.Assignment, formatTime(sub.SignedAt, loc)) +
			" Signed from IP " + orDash(sub.SignerIP) + "."
	} else {
		view.SignedLine = "The client has not signed this form yet; answers appear once they do."
		view.Fields = nil
	}
	if sub.Score != nil {
		view.Score = strconv.Itoa(sub.Score.Total) + " · " + forms.BandLabel(sub.Score.Band)
	}
	s.render(w, r, http.StatusOK, ui.FormAnswers(s.shellFor(r, sub.TemplateTitle, "/clients"), view))
	return nil
}
