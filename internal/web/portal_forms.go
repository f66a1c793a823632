package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// measureSource credits the standard questionnaires, as their terms ask.
const measureSource = "The PHQ-9 and GAD-7 were developed by Drs. Robert L. Spitzer, " +
	"Janet B. W. Williams, Kurt Kroenke and colleagues, with an educational grant from " +
	"Pfizer Inc. No permission is required to reproduce, translate, display or distribute them."

// measureStem is the question the PHQ-9 and GAD-7 items answer.
const measureStem = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"

// answerName is the input name of a form field's answer.
func answerName(key string) string { return "answer." + key }

// fieldViews turns a form's fields and answers into controls or, for a
// signed form, into answers to read. errs are shown next to their field.
func fieldViews(fields []forms.Field, answers map[string]string, errs validation.Errors) []ui.FormFieldView {
	out := make([]ui.FormFieldView, 0, len(fields))
	for _, f := range fields {
		fv := ui.FormFieldView{Key: f.Key, ID: "q-" + f.Key, Name: answerName(f.Key),
			Label: f.Label, Help: f.Help, Type: string(f.Type), Required: f.Required,
			Value: answers[f.Key], Error: errs.For(f.Key)}
		fv.Display = fv.Value
		switch f.Type {
		case forms.Scale:
			for i, label := range f.Options {
				fv.Options = append(fv.Options, ui.Option{Value: strconv.Itoa(i), Label: label})
			}
			if n, err := strconv.Atoi(fv.Value); err == nil && n >= 0 && n < len(f.Options) {
				fv.Display = fmt.Sprintf("%s (%d)", f.Options[n], n)
			}
		case forms.SingleChoice, forms.MultiChoice:
			for _, o := range f.Options {
				fv.Options = append(fv.Options, ui.Option{Value: o, Label: o})
			}
			if f.Type == forms.MultiChoice {
				fv.Values = map[string]bool{}
				chosen := forms.SplitChoices(fv.Value)
				for _, c := range chosen {
					fv.Values[c] = true
				}
				fv.Display = joinList(chosen)
			}
		case forms.Date:
			if fv.Value != "" {
				fv.Display = formatBirthDate(fv.Value)
			}
		}
		out = append(out, fv)
	}
	return out
}

// joinList joins chosen options for reading.
func joinList(items []string) string {
	out := ""
	for i, it := range items {
		if i > 0 {
			out += "; "
		}
		out += it
	}
	return out
}

// readAnswers reads a form's answers from the request, one per field.
func readAnswers(r *http.Request, fields []forms.Field) map[string]string {
	answers := map[string]string{}
	for _, f := range fields {
		name := answerName(f.Key)
		if f.Type == forms.MultiChoice {
			var chosen []string
			for _, c := range r.PostForm[name] {
				if c != "" && len(chosen) < forms.MaxOptions {
					chosen = append(chosen, c)
				}
			}
			if len(chosen) > 0 {
				answers[f.Key] = forms.JoinChoices(chosen)
			}
			continue
		}
		if v := formValue(r, name); v != "" {
			answers[f.Key] = v
		}
	}
	return answers
}

// signedLine says who signed a form and when.
func signedLine(a forms.Assignment, when string) string {
	return "Signed by " + a.SignedName + " on " + when + "."
}

// portalForms lists the client's forms: those to fill in and those done.
func (s *server) portalForms(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	list, err := s.Forms.ForClient(r.Context(), v.actor, v.actor.ClientID)
	if err != nil {
		return err
	}
	loc := s.zoneFor(r.Context(), v)
	var view ui.PortalFormsView
	for _, a := range list {
		row := assignmentRow(a, loc)
		row.Href = "/portal/forms/" + a.ID
		if a.Status == forms.StatusSigned {
			view.Done = append(view.Done, row)
		} else {
			view.ToDo = append(view.ToDo, row)
		}
	}
	if r.URL.Query().Get("done") == "signed" {
		view.Notice = "Thank you. Your form has been signed and sent to your provider."
	}
	s.render(w, r, http.StatusOK, ui.PortalForms(s.shellFor(r, "Forms", "/portal/forms"), view))
	return nil
}

// fillView is a form for the client, with answers and problems.
func fillView(sub forms.Submission, answers map[string]string, errs validation.Errors,
	loc *time.Location) ui.FillView {
	view := ui.FillView{ID: sub.ID, Title: sub.TemplateTitle, Signed: sub.Status == forms.StatusSigned,
		Fields: fieldViews(sub.Template.Fields, answers, errs)}
	if view.Signed {
		view.SignedLine = signedLine(sub.Assignment, formatTime(sub.SignedAt, loc))
	}
	view.Description = sub.Template.Description
	if sub.Instrument != "" {
		view.Source = measureSource
		if view.Description == "" {
			view.Description = measureStem
		}
	}
	view.Form.Message = errs.For("")
	if msg := errs.For("typed_name"); msg != "" {
		view.Form.SetError("typed_name", msg)
	}
	for _, f := range view.Fields {
		if f.Error != "" {
			view.Form.SetError(f.Name, f.Error)
		}
	}
	return view
}

// portalFill shows one form to fill in, or a signed one to read.
func (s *server) portalFill(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	sub, err := s.Forms.Open(r.Context(), v.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	view := fillView(sub, sub.Answers, nil, s.zoneFor(r.Context(), v))
	if r.URL.Query().Get("done") == "saved" {
		view.Notice = "Your answers have been saved. Come back any time to finish."
	}
	s.render(w, r, http.StatusOK, ui.PortalFill(s.shellFor(r, sub.TemplateTitle, "/portal/forms"), view))
	return nil
}

// portalSave saves the client's answers as a draft. The autosave script
// asks for JSON; the Save button gets the page again.
func (s *server) portalSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	sub, err := s.Forms.Open(r.Context(), v.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	answers := readAnswers(r, sub.Template.Fields)
	err = s.Forms.SaveDraft(r.Context(), v.actor, sub.ID, answers)
	if wantsJSON(r) {
		return s.autosaveAnswer(w, r, err, 0)
	}
	if errs, ok := validation.From(err); ok {
		view := fillView(sub, answers, errs, s.zoneFor(r.Context(), v))
		view.SignedName = formValue(r, "typed_name")
		s.render(w, r, http.StatusUnprocessableEntity,
			ui.PortalFill(s.shellFor(r, sub.TemplateTitle, "/portal/forms"), view))
		return nil
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/portal/forms/"+sub.ID+"?done=saved")
}

// portalSign signs and submits the form with the typed name.
func (s *server) portalSign(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	sub, err := s.Forms.Open(r.Context(), v.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	answers := readAnswers(r, sub.Template.Fields)
	typed := formValue(r, "typed_name")
	_, err = s.Forms.Sign(r.Context(), v.actor, sub.ID, answers, typed)
	if errs, ok := validation.From(err); ok {
		// Keep what was typed: save it as a draft so nothing is lost.
		if serr := s.Forms.SaveDraft(r.Context(), v.actor, sub.ID, answers); serr != nil {
			if _, bad := validation.From(serr); !bad {
				return serr
			}
		}
		view := fillView(sub, answers, errs, s.zoneFor(r.Context(), v))
		view.SignedName = typed
		s.render(w, r, http.StatusUnprocessableEntity,
			ui.PortalFill(s.shellFor(r, sub.TemplateTitle, "/portal/forms"), view))
		return nil
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/portal/forms?done=signed")
}

// wantsJSON reports whether the request came from the autosave script.
func wantsJSON(r *http.Request) bool {
	return r.Header.Get("Accept") == "application/json"
}

// autosaveAnswer answers the autosave script: 200 with the time saved
// (and the note's new version), 409 when the draft is locked or changed
// elsewhere, 422 with the first problem.
func (s *server) autosaveAnswer(w http.ResponseWriter, r *http.Request, err error, version int) error {
	status, body := http.StatusOK, map[string]any{}
	switch errs, invalid := validation.From(err); {
	case err == nil:
		loc := s.zoneFor(r.Context(), visitorFrom(r.Context()))
		body["saved"] = s.Clock.Now().In(loc).Format("15:04")
		if version > 0 {
			body["version"] = version
		}
	case invalid:
		status, body["error"] = http.StatusUnprocessableEntity, errs[0].Message
	case errors.Is(err, forms.ErrLocked), errors.Is(err, notes.ErrLocked), errors.Is(err, store.ErrConflict):
		status, body["error"] = http.StatusConflict, "locked or changed elsewhere"
	default:
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(body)
}
