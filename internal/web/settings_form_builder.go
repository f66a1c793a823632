package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// builderTypes are the answers a provider's own form can ask for.
var builderTypes = []ui.Option{
	{Value: string(forms.ShortText), Label: "Short text"},
	{Value: string(forms.LongText), Label: "Long text"},
	{Value: string(forms.SingleChoice), Label: "One choice"},
	{Value: string(forms.MultiChoice), Label: "Several choices"},
	{Value: string(forms.Date), Label: "Date"},
	{Value: string(forms.Signature), Label: "Signature"},
}

// blankBuilderRows is how many empty fields a new form starts with.
const blankBuilderRows = 3

// newFormPage shows the form builder: blank, or filled with a copy of
// one of the provider's forms or of Tend's library (?from=id).
func (s *server) newFormPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	view := newBuilder("")
	from := r.URL.Query().Get("from")
	if from == "" {
		for i := range blankBuilderRows {
			view.Rows = append(view.Rows, ui.BuilderRow{Index: i, Type: string(forms.ShortText)})
		}
		s.render(w, r, http.StatusOK, ui.SettingsFormBuilder(s.settingsShell(r, view.Heading), view))
		return nil
	}

	t, err := s.Forms.Template(ctx, v.actor, from)
	if err != nil {
		return err
	}
	if t.Kind != forms.KindForm {
		return store.ErrNotFound // scored questionnaires cannot be copied
	}
	fillBuilder(&view, t)
	view.Form.Values["title"] = "Copy of " + t.Title
	s.render(w, r, http.StatusOK, ui.SettingsFormBuilder(s.settingsShell(r, view.Heading), view))
	return nil
}

// editFormPage shows the builder filled with one of the provider's own
// forms, to change it.
func (s *server) editFormPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	t, err := s.Forms.Template(ctx, visitorFrom(ctx).actor, id)
	if err != nil {
		return err
	}
	if t.ProviderID == "" {
		return store.ErrNotFound // Tend's library is copied, not edited
	}
	view := newBuilder(id)
	fillBuilder(&view, t)
	s.render(w, r, http.StatusOK, ui.SettingsFormBuilder(s.settingsShell(r, view.Heading), view))
	return nil
}

// newBuilder is an empty builder page that creates a form, or edits
// form id when id is set.
func newBuilder(id string) ui.FormBuilderView {
	view := ui.FormBuilderView{Types: builderTypes, Heading: "New form",
		Action: "/settings/forms/new"}
	if id != "" {
		view.Heading, view.Action = "Edit form", "/settings/forms/"+id+"/edit"
	}
	view.Form.Values = map[string]string{}
	return view
}

// fillBuilder puts t's title, description and fields in the builder.
func fillBuilder(view *ui.FormBuilderView, t forms.Template) {
	view.Form.Values["title"] = t.Title
	view.Form.Values["description"] = t.Description
	for i, f := range t.Fields {
		view.Rows = append(view.Rows, ui.BuilderRow{Index: i, Label: f.Label,
			Type: string(f.Type), Required: f.Required, Help: f.Help,
			Options: strings.Join(f.Options, "\n")})
	}
}

// saveFormBuilder answers the builder's buttons for a new form;
// saveEditedForm for one being edited.
func (s *server) saveFormBuilder(w http.ResponseWriter, r *http.Request) error {
	return s.builderAction(w, r, "")
}

func (s *server) saveEditedForm(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	return s.builderAction(w, r, id)
}

// builderAction answers the builder's buttons: add a field, move one
// up, remove one, or save the form (a new one, or form id). Until the
// form is saved nothing is stored: the page carries the whole draft.
func (s *server) builderAction(w http.ResponseWriter, r *http.Request, id string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	v := visitorFrom(ctx)
	view := newBuilder(id)
	view.Rows = builderRows(r)
	view.Form.Values = map[string]string{"title": formValue(r, "title"),
		"description": formValue(r, "description")}
	status := http.StatusOK

	action := r.PostFormValue("action")
	verb, arg, _ := strings.Cut(action, "-")
	i, err := strconv.Atoi(arg)
	if arg != "" && (err != nil || i < 0 || i >= len(view.Rows)) {
		return errBadRequest
	}
	switch verb {
	case "add":
		if len(view.Rows) >= forms.MaxFields {
			view.Form.Message = fmt.Sprintf("A form can have at most %d fields.", forms.MaxFields)
			break
		}
		view.Rows = append(view.Rows, ui.BuilderRow{Type: string(forms.ShortText)})
	case "up":
		if i > 0 {
			view.Rows[i-1], view.Rows[i] = view.Rows[i], view.Rows[i-1]
		}
	case "remove":
		view.Rows = slices.Delete(view.Rows, i, i+1)
	case "save":
		t, from := builtTemplate(view)
		var err error
		done := "created"
		if id == "" {
			_, err = s.Forms.CreateTemplate(ctx, v.actor, t)
		} else {
			_, err = s.Forms.UpdateTemplate(ctx, v.actor, id, t)
			done = "updated"
		}
		var errs validation.Errors
		if !errors.As(err, &errs) {
			if err != nil {
				return err
			}
			return redirect(w, r, "/settings/forms?done="+done)
		}
		showBuilderErrors(&view, errs, from)
		status = http.StatusUnprocessableEntity
	default:
		return errBadRequest
	}
	for i := range view.Rows {
		view.Rows[i].Index = i
	}
	s.render(w, r, status, ui.SettingsFormBuilder(s.settingsShell(r, view.Heading), view))
	return nil
}

// builderRows reads the fields of the submitted builder. The row count
// comes from the page and is bounded, so a forged count cannot make the
// server build a huge page.
func builderRows(r *http.Request) []ui.BuilderRow {
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	n = max(0, min(n, forms.MaxFields))
	rows := make([]ui.BuilderRow, n)
	for i := range rows {
		row := ui.BuilderRow{Index: i}
		row.Label = formValue(r, row.Name("label"))
		row.Type = formValue(r, row.Name("type"))
		row.Options = formValue(r, row.Name("options"))
		row.Help = formValue(r, row.Name("help"))
		row.Required = r.PostFormValue(row.Name("required")) == "1"
		rows[i] = row
	}
	return rows
}

// builtTemplate turns the builder's rows into a template, leaving out
// rows with nothing typed in them. from[k] is the row that field k came
// from, for placing errors.
func builtTemplate(view ui.FormBuilderView) (forms.Template, []int) {
	t := forms.Template{Title: view.Form.Value("title"),
		Description: view.Form.Value("description")}
	var from []int
	for i, row := range view.Rows {
		if row.Label == "" && row.Options == "" && row.Help == "" {
			continue
		}
		f := forms.Field{Label: row.Label, Type: forms.FieldType(row.Type),
			Required: row.Required, Help: row.Help}
		for o := range strings.SplitSeq(row.Options, "\n") {
			if o = strings.TrimSpace(o); o != "" {
				f.Options = append(f.Options, o)
			}
		}
		t.Fields = append(t.Fields, f)
		from = append(from, i)
	}
	return t, from
}

// showBuilderErrors puts each problem next to its input: the title and
// introduction by name, a field's problems ("fields.{k}.label") on the
// row it came from, and anything else above the form.
func showBuilderErrors(view *ui.FormBuilderView, errs validation.Errors, from []int) {
	for _, fe := range errs {
		rest, ok := strings.CutPrefix(fe.Field, "fields.")
		k, part, _ := strings.Cut(rest, ".")
		idx, err := strconv.Atoi(k)
		switch {
		case fe.Field == "title" || fe.Field == "description":
			view.Form.SetError(fe.Field, fe.Message)
		case ok && err == nil && idx >= 0 && idx < len(from) && part != "":
			row := &view.Rows[from[idx]]
			if part == "key" {
				part = "label"
			}
			if row.Errors == nil {
				row.Errors = map[string]string{}
			}
			row.Errors[part] = fe.Message
		case fe.Field == "fields" && len(from) == 0:
			view.Form.Message = "Add at least one field with a label."
		default:
			view.Form.Message = fe.Message
		}
	}
}
