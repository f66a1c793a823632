package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/printout"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// settingsForms lists the provider's own forms and Tend's library, with
// the letterhead they print under and the new-client intake packet.
func (s *server) settingsForms(w http.ResponseWriter, r *http.Request) error {
	view, err := s.formsView(r)
	if err != nil {
		return err
	}
	view.Notice = formsNotices[r.URL.Query().Get("done")]
	s.render(w, r, http.StatusOK, ui.SettingsForms(s.settingsShell(r, "Forms & letterhead"), view))
	return nil
}

// formsView gathers the Forms & letterhead page.
func (s *server) formsView(r *http.Request) (ui.FormLibraryView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	templates, err := s.Forms.Templates(ctx, v.actor)
	if err != nil {
		return ui.FormLibraryView{}, err
	}
	archived, err := s.Forms.ArchivedTemplates(ctx, v.actor)
	if err != nil {
		return ui.FormLibraryView{}, err
	}
	packet, err := s.Forms.IntakePacketOf(ctx, v.actor, templates)
	if err != nil {
		return ui.FormLibraryView{}, err
	}
	lh, err := s.letterhead(ctx, v)
	if err != nil {
		return ui.FormLibraryView{}, err
	}
	view := ui.FormLibraryView{Letterhead: append([]string{lh.Name}, lh.Details()...),
		Packet: ui.Choice{ID: "intake-packet", Name: "template_id",
			Label: "Sent to every new client who books", Values: map[string]bool{}}}
	for _, t := range packet {
		view.Packet.Values[t.ID] = true
	}
	loc := s.zoneFor(ctx, v)
	for _, t := range append(templates, archived...) {
		row := ui.FormRow{ID: t.ID, Title: t.Title, Kind: "Form",
			Fields: len(t.Fields), Copyable: t.Kind == forms.KindForm,
			Own: t.ProviderID != "", Archived: t.ArchivedAt != nil}
		if t.Kind == forms.KindMeasure {
			row.Kind = "Questionnaire"
		}
		if !row.Archived {
			view.Packet.Options = append(view.Packet.Options,
				ui.Option{Value: t.ID, Label: t.Title})
		}
		switch {
		case !row.Own:
			view.Library = append(view.Library, row)
		case row.Archived:
			row.Created = formatTime(&t.CreatedAt, loc)
			view.Archived = append(view.Archived, row)
		default:
			row.Created = formatTime(&t.CreatedAt, loc)
			view.Own = append(view.Own, row)
		}
	}
	return view, nil
}

// saveIntakePacket chooses the forms a new client is sent on booking.
func (s *server) saveIntakePacket(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	ids := r.PostForm["template_id"]
	if len(ids) > forms.MaxFields {
		return errBadRequest // more boxes than any page has
	}
	err := s.Forms.SetIntakePacket(ctx, visitorFrom(ctx).actor, ids)
	var errs validation.Errors
	if !errors.As(err, &errs) {
		if err != nil {
			return err
		}
		return redirect(w, r, "/settings/forms?done=intake")
	}
	view, err := s.formsView(r)
	if err != nil {
		return err
	}
	view.Packet.Error = errs.For("template_ids")
	s.render(w, r, http.StatusUnprocessableEntity,
		ui.SettingsForms(s.settingsShell(r, "Forms & letterhead"), view))
	return nil
}

// formsNotices are what the page says after each change (?done=).
var formsNotices = map[string]string{
	"created":  "Your form has been saved. Send it to a client from their page.",
	"updated":  "Your changes are saved. Forms already sent keep the version the client got.",
	"archived": "The form is archived: it is no longer offered for sending.",
	"intake":   "Saved: new clients who book are sent the forms ticked below.",
	"restored": "The form is restored and can be sent again.",
}

// archiveForm retires (archived true) or restores one of the
// provider's own forms.
func (s *server) archiveForm(archived bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		err := s.Forms.ArchiveTemplate(ctx, visitorFrom(ctx).actor, r.PathValue("id"), archived)
		if err != nil {
			return err
		}
		if archived {
			return redirect(w, r, "/settings/forms?done=archived")
		}
		return redirect(w, r, "/settings/forms?done=restored")
	}
}

// letterhead gathers what heads the provider's printed pages: their
// name and credentials, NPI, first office and sign-in email.
func (s *server) letterhead(ctx context.Context, v *visitor) (printout.Letterhead, error) {
	c, err := s.Notes.Clinician(ctx, v.actor)
	if err != nil {
		return printout.Letterhead{}, err
	}
	lh := printout.Letterhead{Name: c.Name(), NPI: c.NPI, Contact: v.user.Email}
	if s.Scheduling == nil {
		return lh, nil
	}
	a, err := s.Scheduling.Availability(ctx, v.actor)
	if err != nil {
		return printout.Letterhead{}, err
	}
	if len(a.Offices) > 0 {
		o := a.Offices[0]
		lh.Lines = []string{o.Line1, fmt.Sprintf("%s, %s %s", o.City, o.State, o.PostalCode)}
	}
	return lh, nil
}

// printForm downloads a blank form to fill in on paper, under the
// provider's letterhead. It holds no client information.
func (s *server) printForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	t, err := s.Forms.Template(ctx, v.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	lh, err := s.letterhead(ctx, v)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := printout.WriteForm(&buf, lh, t, s.Clock.Now()); err != nil {
		return fmt.Errorf("web: print form: %w", err)
	}
	sendFile(w, "application/pdf", "inline", t.Slug+".pdf", buf.Bytes())
	return nil
}

// printLetterhead downloads a page of letter paper with the letterhead.
func (s *server) printLetterhead(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lh, err := s.letterhead(ctx, visitorFrom(ctx))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := printout.WriteLetterhead(&buf, lh, s.Clock.Now()); err != nil {
		return fmt.Errorf("web: print letterhead: %w", err)
	}
	sendFile(w, "application/pdf", "inline", "letterhead.pdf", buf.Bytes())
	return nil
}
