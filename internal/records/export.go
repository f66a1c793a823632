package records

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/store"
)

// Exporter gathers client records from the areas that own them.
type Exporter struct {
	clients *clients.Service
	forms   *forms.Service
	notes   *notes.Service
	log     *audit.Log
	clk     clock.Clock
}

// NewExporter returns an Exporter reading through the given services,
// auditing to log and dating exports with clk.
func NewExporter(c *clients.Service, f *forms.Service, n *notes.Service, log *audit.Log,
	clk clock.Clock) *Exporter {
	return &Exporter{clients: c, forms: f, notes: n, log: log, clk: clk}
}

// Export returns the whole record of one client for their provider:
// demographics, every form with its answers, measure scores and every
// note with its addenda. Only the client's own provider may export it;
// anyone else (clients and administrators included) gets
// store.ErrNotFound. Each part's read is audited by its area, and the
// export itself as records.client.export.
func (e *Exporter) Export(ctx context.Context, actor access.Actor,
	clientID string) (Record, error) {
	if !actor.IsProvider() {
		return Record{}, store.ErrNotFound
	}
	c, err := e.clients.Get(ctx, actor, clientID)
	if err != nil {
		return Record{}, err
	}
	clinician, err := e.notes.Clinician(ctx, actor)
	if err != nil {
		return Record{}, fmt.Errorf("records: %w", err)
	}
	rec := Record{
		Format:     FormatVersion,
		ExportedAt: e.clk.Now().UTC().Truncate(time.Second),
		ExportedBy: actor.UserID,
		Practice: Practice{ProviderID: clinician.ProviderID,
			ProviderName: clinician.Name(), NPI: clinician.NPI,
			TimeZone: clinician.TimeZone},
		Client:   fromClient(c),
		Forms:    []Form{},
		Measures: []Measure{},
		Notes:    []Note{},
	}

	assignments, err := e.forms.ForClient(ctx, actor, c.ID)
	if err != nil {
		return Record{}, fmt.Errorf("records: list forms: %w", err)
	}
	for _, a := range assignments {
		sub, err := e.forms.Open(ctx, actor, a.ID)
		if err != nil {
			return Record{}, fmt.Errorf("records: open form %s: %w", a.ID, err)
		}
		rec.Forms = append(rec.Forms, fromSubmission(sub))
	}

	scores, err := e.forms.Measures(ctx, actor, c.ID)
	if err != nil {
		return Record{}, fmt.Errorf("records: measures: %w", err)
	}
	for _, s := range scores {
		rec.Measures = append(rec.Measures, fromScore(s))
	}

	list, err := e.notes.List(ctx, actor, c.ID)
	if err != nil {
		return Record{}, fmt.Errorf("records: notes: %w", err)
	}
	for _, n := range list {
		rec.Notes = append(rec.Notes, fromNote(n))
	}

	err = e.log.Record(ctx, nil, actor, audit.Entry{
		Action: "records.client.export", ObjectType: "client", ObjectID: c.ID,
		ProviderID: c.ProviderID, ClientID: c.ID,
		Detail: fmt.Sprintf("forms=%d measures=%d notes=%d",
			len(rec.Forms), len(rec.Measures), len(rec.Notes)),
	})
	if err != nil {
		return Record{}, fmt.Errorf("records: audit export: %w", err)
	}
	return rec, nil
}

func fromClient(c clients.Client) Client {
	out := Client{
		ID: c.ID, FirstName: c.FirstName, LastName: c.LastName,
		PreferredName: c.PreferredName, Pronouns: c.Pronouns,
		DateOfBirth: c.DateOfBirth, Email: c.Email, Phone: c.Phone, Type: c.Type,
		Address: Address{Line1: c.Address.Line1, Line2: c.Address.Line2,
			City: c.Address.City, State: c.Address.State,
			PostalCode: c.Address.PostalCode},
		EmergencyContact: fromContact(c.EmergencyContact),
		Guardian:         fromContact(c.Guardian),
		CashPay:          c.CashPay,
		Insurance: Insurance{PayerName: c.Insurance.PayerName,
			MemberID: c.Insurance.MemberID, GroupNumber: c.Insurance.GroupNumber,
			SubscriberName:         c.Insurance.SubscriberName,
			SubscriberRelationship: c.Insurance.SubscriberRelationship},
		Diagnoses:     []Diagnosis{},
		BillingNotes:  c.BillingNotes,
		Status:        string(c.Status),
		ArchivedAt:    utcPtr(c.ArchivedAt),
		ArchiveReason: c.ArchiveReason,
		CreatedAt:     c.CreatedAt.UTC(),
	}
	for _, d := range c.Diagnoses {
		out.Diagnoses = append(out.Diagnoses, Diagnosis{Code: d.Code, Description: d.Description})
	}
	return out
}

func fromContact(c clients.Contact) Contact {
	return Contact{Name: c.Name, Relationship: c.Relationship, Phone: c.Phone, Email: c.Email}
}

func fromSubmission(s forms.Submission) Form {
	f := Form{
		ID: s.ID, Title: s.TemplateTitle, Kind: s.Kind, Instrument: s.Instrument,
		Status: s.Status, AssignedAt: s.AssignedAt.UTC(), SignedAt: utcPtr(s.SignedAt),
		SignedName: s.SignedName, SignerIP: s.SignerIP, AnswersHash: s.AnswersHash,
		Answers: []Answer{},
	}
	if f.Title == "" {
		f.Title = s.Template.Title
	}
	if s.Score != nil {
		m := fromScore(*s.Score)
		if m.FormID == "" {
			m.FormID = s.ID
		}
		f.Score = &m
	}
	for _, field := range s.Template.Fields {
		value, ok := s.Answers[field.Key]
		if !ok || value == "" {
			continue
		}
		f.Answers = append(f.Answers, Answer{Key: field.Key, Question: field.Label,
			Answer: readable(field, value)})
	}
	return f
}

// readable turns a stored answer into text a reader understands: a
// scale item as its response label, several choices as a list.
func readable(field forms.Field, value string) string {
	switch field.Type {
	case forms.Scale:
		for i, label := range field.Options {
			if value == fmt.Sprint(i) {
				return fmt.Sprintf("%s (%d)", label, i)
			}
		}
	case forms.MultiChoice:
		return strings.Join(forms.SplitChoices(value), "; ")
	}
	return value
}

func fromScore(s forms.Score) Measure {
	return Measure{FormID: s.AssignmentID, Instrument: s.Instrument, Total: s.Total,
		Band: s.Band, At: s.At.UTC(), Item9Positive: s.Item9Positive}
}

func fromNote(n notes.Note) Note {
	out := Note{
		ID: n.ID, AppointmentID: n.AppointmentID, Template: n.Template,
		Status: n.Status, SignedAt: utcPtr(n.SignedAt), SignedBy: n.SignedBy,
		ContentHash: n.ContentHash, CreatedAt: n.CreatedAt.UTC(),
		UpdatedAt: n.UpdatedAt.UTC(), Sections: []Section{}, Addenda: []Addendum{},
	}
	if def, ok := notes.LookupTemplate(n.Template); ok {
		out.TemplateTitle = def.Title
		for _, s := range def.Sections {
			out.Sections = append(out.Sections,
				Section{Key: s.Key, Label: s.Label, Text: n.Fields[s.Key]})
		}
	}
	for _, a := range n.Addenda {
		out.Addenda = append(out.Addenda, Addendum{ID: a.ID, AuthorID: a.AuthorID,
			Text: a.Text, CreatedAt: a.CreatedAt.UTC()})
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
