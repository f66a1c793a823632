package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// clientNotices are the notices a redirect back to the client page asks
// for with ?done=.
var clientNotices = map[string]string{
	"created":    "The client has been added.",
	"saved":      "Your changes have been saved.",
	"unarchived": "The client is active again.",
	"sent":       "The form has been sent. The client gets an email with a link to it.",
	"deleted":    "The draft note has been deleted.",
	"booked":     "The appointment has been booked. The client gets a confirmation by email.",
}

// trendSize is the size of the score chart, in SVG units.
const trendWidth, trendHeight = 640, 220

// clientView gathers everything on the client page. Each area audits
// its own read.
func (s *server) clientView(r *http.Request, id string) (ui.ClientView, error) {
	ctx := r.Context()
	v := visitorFrom(ctx)
	c, err := s.Clients.Get(ctx, v.actor, id)
	if err != nil {
		return ui.ClientView{}, err
	}
	loc := s.zoneFor(ctx, v)
	view := ui.ClientView{
		ID: c.ID, Name: fullName(c), PreferredName: c.PreferredName, Pronouns: c.Pronouns,
		Status: string(c.Status), StatusLabel: statusLabel(c.Status),
		Archived:       c.Status == clients.StatusArchived,
		Contact:        contactItems(c),
		Emergency:      personItems(c.EmergencyContact, "emergency"),
		Insurance:      insuranceItems(c),
		BillingNotes:   c.BillingNotes,
		ArchiveReasons: ui.ArchiveReasons,
		ExportJSON:     "/clients/" + c.ID + "/record.json",
		ExportPDF:      "/clients/" + c.ID + "/record.pdf",
	}
	if c.Type == clients.TypeMinor {
		view.Guardian = personItems(c.Guardian, "guardian")
	}
	if view.Archived {
		view.ArchivedLine = "Archived on " + formatDate(c.ArchivedAt, loc)
		if c.ArchiveReason != "" {
			view.ArchivedLine += " — " + clients.ReasonLabel(c.ArchiveReason)
		}
		view.ArchivedLine += "."
	}
	for i, d := range c.Diagnoses {
		view.Diagnoses = append(view.Diagnoses, ui.DetailItem{
			ID: fmt.Sprintf("diagnosis-%d", i), Label: d.Code, Value: d.Description})
	}
	view.Notice = clientNotices[r.URL.Query().Get("done")]

	if err := s.addForms(r, &view, loc); err != nil {
		return ui.ClientView{}, err
	}
	list, err := s.Notes.List(ctx, v.actor, c.ID)
	if err != nil {
		return ui.ClientView{}, err
	}
	for _, n := range list {
		view.Notes = append(view.Notes, noteRow(n, loc))
	}
	for _, t := range notes.Templates() {
		view.NoteTemplates = append(view.NoteTemplates, ui.Option{Value: t.Name, Label: t.Title})
	}
	if s.Scheduling != nil {
		if err := s.addAppointments(r, &view, loc); err != nil {
			return ui.ClientView{}, err
		}
	}
	return view, nil
}

// addForms fills the intake forms and questionnaires of the client page.
func (s *server) addForms(r *http.Request, view *ui.ClientView, loc *time.Location) error {
	ctx := r.Context()
	v := visitorFrom(ctx)
	given, err := s.Forms.ForClient(ctx, v.actor, view.ID)
	if err != nil {
		return err
	}
	for _, a := range given {
		row := assignmentRow(a, loc)
		if a.Status == forms.StatusSigned {
			row.Href = "/clients/" + view.ID + "/forms/" + a.ID
		}
		view.Forms = append(view.Forms, row)
	}
	templates, err := s.Forms.Templates(ctx, v.actor)
	if err != nil {
		return err
	}
	for _, t := range templates {
		view.FormTemplates = append(view.FormTemplates, ui.Option{Value: t.ID, Label: t.Title})
	}
	scores, err := s.Forms.Measures(ctx, v.actor, view.ID)
	if err != nil {
		return err
	}
	// The latest score of each instrument, and a chart of each that has one.
	latest := map[string]forms.Score{}
	var order []string
	for _, sc := range scores {
		if _, seen := latest[sc.Instrument]; !seen {
			order = append(order, sc.Instrument)
		}
		latest[sc.Instrument] = sc
	}
	var chart strings.Builder
	for _, inst := range order {
		sc := latest[inst]
		view.Measures = append(view.Measures, ui.MeasureRow{
			ID: "measure-" + inst, Instrument: forms.InstrumentName(inst),
			Total: fmt.Sprintf("%d", sc.Total), Band: forms.BandLabel(sc.Band),
			At: formatDate(&sc.At, loc), Alert: sc.Item9Positive,
		})
		chart.WriteString(forms.TrendSVG(scores, inst, trendWidth, trendHeight))
	}
	view.Chart = chart.String()
	return nil
}

// assignmentRow shows one assigned form.
func assignmentRow(a forms.Assignment, loc *time.Location) ui.AssignmentRow {
	row := ui.AssignmentRow{ID: a.ID, Title: a.TemplateTitle, Status: a.Status,
		StatusLabel: assignmentStatusLabel(a.Status), Assigned: formatDate(&a.AssignedAt, loc),
		Signed: formatDate(a.SignedAt, loc)}
	if a.Score != nil {
		row.Score = fmt.Sprintf("%d · %s", a.Score.Total, forms.BandLabel(a.Score.Band))
	}
	return row
}

// assignmentStatusLabel names a form's status.
func assignmentStatusLabel(status string) string {
	switch status {
	case forms.StatusAssigned:
		return "Not started"
	case forms.StatusDraft:
		return "In progress"
	case forms.StatusSigned:
		return "Signed"
	}
	return status
}

// clientPage shows a client's record.
func (s *server) clientPage(w http.ResponseWriter, r *http.Request) error {
	view, err := s.clientView(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, ui.ClientPage(s.shellFor(r, view.Name, "/clients"), view))
	return nil
}

// renderClientProblem shows the client page again with a problem next
// to one of its small forms.
func (s *server) renderClientProblem(w http.ResponseWriter, r *http.Request, id string,
	set func(*ui.ClientView), status ...int) error {
	view, err := s.clientView(r, id)
	if err != nil {
		return err
	}
	set(&view)
	code := http.StatusUnprocessableEntity
	if len(status) > 0 {
		code = status[0]
	}
	s.render(w, r, code, ui.ClientPage(s.shellFor(r, view.Name, "/clients"), view))
	return nil
}

// archiveClient archives a client for the chosen reason.
func (s *server) archiveClient(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	_, err := s.Clients.Archive(r.Context(), v.actor, id, formValue(r, "reason"))
	if errs, ok := validation.From(err); ok {
		return s.renderClientProblem(w, r, id, func(view *ui.ClientView) {
			view.ArchiveError = errs[0].Message
		})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients?tab=archived&done=archived")
}

// unarchiveClient makes an archived client active again.
func (s *server) unarchiveClient(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	if _, err := s.Clients.Unarchive(r.Context(), v.actor, id); err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"?done=unarchived")
}

// assignForm sends a form to the client.
func (s *server) assignForm(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	templateID := formValue(r, "template_id")
	if templateID == "" {
		return s.renderClientProblem(w, r, id, func(view *ui.ClientView) {
			view.AssignError = "Choose the form to send."
		})
	}
	_, err := s.Forms.Assign(r.Context(), v.actor, id, templateID)
	if errs, ok := validation.From(err); ok {
		return s.renderClientProblem(w, r, id, func(view *ui.ClientView) {
			view.AssignError = errs[0].Message
		})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"?done=sent#forms-section")
}
