package api

import (
	"errors"
	"net/http"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// listFormTemplates answers GET /form-templates: the instance's
// templates and the provider's own that are not archived.
func (s *server) listFormTemplates(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	templates, err := s.Forms.Templates(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(templates, templateOut))
	return nil
}

// createFormTemplate answers POST /form-templates: a provider's own
// form built from typed fields.
func (s *server) createFormTemplate(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	var req newTemplateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t, err := s.Forms.CreateTemplate(r.Context(), actor, req.template())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, templateOut(t))
	return nil
}

// updateFormTemplate answers PUT /form-templates/{id}: the provider
// replaces the title, description and fields of one of their own forms.
// Forms already sent keep the version the client got.
func (s *server) updateFormTemplate(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	var req newTemplateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t, err := s.Forms.UpdateTemplate(r.Context(), actor, id, req.template())
	if err != nil {
		return err
	}
	t, err = s.Forms.Template(r.Context(), actor, t.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, templateOut(t))
	return nil
}

// archiveFormTemplate answers POST /form-templates/{id}/archive (archived
// true) and /unarchive: a provider retires one of their own forms, or
// brings it back. It takes no body and answers with the template.
func (s *server) archiveFormTemplate(archived bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		actor, id, err := providerAndID(r)
		if err != nil {
			return err
		}
		if err := s.Forms.ArchiveTemplate(r.Context(), actor, id, archived); err != nil {
			return err
		}
		t, err := s.Forms.Template(r.Context(), actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, templateOut(t))
		return nil
	}
}

// getIntakePacket answers GET /intake-packet: the forms a new client
// of the provider is sent when they book, in order.
func (s *server) getIntakePacket(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	return s.writeIntakePacket(w, r, actor)
}

// setIntakePacket answers PUT /intake-packet: the provider chooses the
// forms a new client is sent, by template id, in order.
func (s *server) setIntakePacket(w http.ResponseWriter, r *http.Request) error {
	actor, err := provider(r)
	if err != nil {
		return err
	}
	var req intakePacketRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.TemplateIDs == nil {
		return invalid("template_ids", "Give the list of template ids; [] sends none.")
	}
	if err := s.Forms.SetIntakePacket(r.Context(), actor, req.TemplateIDs); err != nil {
		return err
	}
	return s.writeIntakePacket(w, r, actor)
}

func (s *server) writeIntakePacket(w http.ResponseWriter, r *http.Request, actor access.Actor) error {
	packet, err := s.Forms.IntakePacket(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(packet, templateOut))
	return nil
}

// listClientForms answers GET /clients/{id}/forms: the forms assigned
// to a provider's client, or to the client themselves.
func (s *server) listClientForms(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	assignments, err := s.Forms.ForClient(r.Context(), access.From(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(assignments, assignmentOut))
	return nil
}

// assignForm answers POST /clients/{id}/forms: the client is asked, by
// mail, to fill in the template.
func (s *server) assignForm(w http.ResponseWriter, r *http.Request) error {
	actor, id, err := providerAndID(r)
	if err != nil {
		return err
	}
	var req assignRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	// A template that is not there is a problem with the body, not 404.
	unknown := invalid("template_id", "Choose one of your form templates.")
	if !store.ValidID(req.TemplateID) {
		return unknown
	}
	_, err = s.Forms.Template(r.Context(), actor, req.TemplateID)
	if errors.Is(err, store.ErrNotFound) {
		return unknown
	}
	if err != nil {
		return err
	}
	a, err := s.Forms.Assign(r.Context(), actor, id, req.TemplateID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, assignmentOut(a))
	return nil
}

// getForm answers GET /forms/{id}: an assignment with its answers, for
// the client's provider or the client.
func (s *server) getForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sub, err := s.Forms.Open(r.Context(), access.From(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, submissionOut(sub))
	return nil
}

// saveFormDraft answers PUT /forms/{id}/draft: the client's answers so
// far, kept until they sign.
func (s *server) saveFormDraft(w http.ResponseWriter, r *http.Request) error {
	actor, err := client(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req answersRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.Forms.SaveDraft(r.Context(), actor, id, req.Answers); err != nil {
		return err
	}
	sub, err := s.Forms.Open(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, submissionOut(sub))
	return nil
}

// signForm answers POST /forms/{id}/sign: the client's final answers
// and typed name; the submission is locked from then on.
func (s *server) signForm(w http.ResponseWriter, r *http.Request) error {
	actor, err := client(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req signFormRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	a, err := s.Forms.Sign(r.Context(), actor, id, req.Answers, req.SignedName)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, assignmentOut(a))
	return nil
}

// listMeasures answers GET /clients/{id}/measures: the client's scored
// questionnaires, oldest first, for their provider or the client.
func (s *server) listMeasures(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	scores, err := s.Forms.Measures(r.Context(), access.From(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOut(scores, scoreOut))
	return nil
}

// client returns the caller when they are a client, and 403 for anyone
// else: only clients fill in their forms.
func client(r *http.Request) (access.Actor, error) {
	a := access.From(r.Context())
	if !a.IsClient() {
		return a, errForbidden
	}
	return a, nil
}
