package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/web/ui"
)

// maxDiagnosisRows is the most diagnosis rows the form reads.
const maxDiagnosisRows = 12

// contactInputs are the parts of a contact, by input name suffix.
var contactInputs = []string{"name", "relationship", "phone", "email"}

// clientValues are the form values that show a client record.
func clientValues(in clients.Input) map[string]string {
	v := map[string]string{
		"first_name": in.FirstName, "last_name": in.LastName,
		"preferred_name": in.PreferredName, "pronouns": in.Pronouns,
		"email": in.Email, "phone": formatPhone(in.Phone), "date_of_birth": in.DateOfBirth,
		"type":          in.Type,
		"address.line1": in.Address.Line1, "address.line2": in.Address.Line2,
		"address.city": in.Address.City, "address.state": in.Address.State,
		"address.postal_code":               in.Address.PostalCode,
		"insurance.payer_id":                in.Insurance.PayerID,
		"insurance.member_id":               in.Insurance.MemberID,
		"insurance.group_number":            in.Insurance.GroupNumber,
		"insurance.subscriber_name":         in.Insurance.SubscriberName,
		"insurance.subscriber_relationship": in.Insurance.SubscriberRelationship,
		"billing_notes":                     in.BillingNotes,
	}
	if v["type"] == "" {
		v["type"] = clients.TypeAdult
	}
	if in.CashPay {
		v["cash_pay"] = "1"
	}
	for who, c := range map[string]clients.Contact{
		"emergency_contact": in.EmergencyContact, "guardian": in.Guardian} {
		parts := []string{c.Name, c.Relationship, formatPhone(c.Phone), c.Email}
		for i, name := range contactInputs {
			v[who+"."+name] = parts[i]
		}
	}
	for i, d := range in.Diagnoses {
		v[ui.DiagName(i, "code")] = d.Code
		v[ui.DiagName(i, "description")] = d.Description
	}
	return v
}

// readClientForm reads the submitted client form: the Input for the
// area, the values to show again, and which form row each diagnosis of
// the Input came from (empty rows are skipped).
func readClientForm(r *http.Request) (clients.Input, map[string]string, []int) {
	v := map[string]string{}
	get := func(name string) string {
		val := formValue(r, name)
		v[name] = val
		return val
	}
	in := clients.Input{
		FirstName: get("first_name"), LastName: get("last_name"),
		PreferredName: get("preferred_name"), Pronouns: get("pronouns"),
		Email: get("email"), Phone: get("phone"), DateOfBirth: get("date_of_birth"),
		Type: get("type"),
		Address: clients.Address{Line1: get("address.line1"), Line2: get("address.line2"),
			City: get("address.city"), State: get("address.state"),
			PostalCode: get("address.postal_code")},
		CashPay: get("cash_pay") != "",
		Insurance: clients.Insurance{PayerID: get("insurance.payer_id"),
			MemberID: get("insurance.member_id"), GroupNumber: get("insurance.group_number"),
			SubscriberName:         get("insurance.subscriber_name"),
			SubscriberRelationship: get("insurance.subscriber_relationship")},
		BillingNotes: get("billing_notes"),
	}
	if in.CashPay {
		v["cash_pay"] = "1"
	}
	contact := func(who string) clients.Contact {
		return clients.Contact{Name: get(who + ".name"), Relationship: get(who + ".relationship"),
			Phone: get(who + ".phone"), Email: get(who + ".email")}
	}
	in.EmergencyContact, in.Guardian = contact("emergency_contact"), contact("guardian")
	var rows []int
	for i := 0; i < maxDiagnosisRows; i++ {
		code, desc := get(ui.DiagName(i, "code")), get(ui.DiagName(i, "description"))
		if code == "" && desc == "" {
			continue
		}
		in.Diagnoses = append(in.Diagnoses, clients.Diagnosis{Code: code, Description: desc})
		rows = append(rows, i)
	}
	return in, v, rows
}

// clientFormErrors puts the area's problems next to the form's inputs.
// The area names a diagnosis by its place in the Input
// ("diagnoses[1].code"); rows maps that back to the form row.
func clientFormErrors(f *ui.Form, errs validation.Errors, rows []int) {
	for _, fe := range errs {
		name := fe.Field
		if rest, ok := strings.CutPrefix(name, "diagnoses["); ok {
			idx, part, found := strings.Cut(rest, "].")
			n, err := strconv.Atoi(idx)
			if found && err == nil && n >= 0 && n < len(rows) {
				name = ui.DiagName(rows[n], part)
			}
		}
		switch name {
		case "", "diagnoses":
			if f.Message == "" {
				f.Message = fe.Message
			}
		default:
			if f.Error(name) == "" {
				f.SetError(name, fe.Message)
			}
		}
	}
}

// diagnosisRowCount is how many diagnosis rows the form shows: every
// filled one and at least one empty, never fewer than three.
func diagnosisRowCount(values map[string]string) int {
	last := -1
	for i := 0; i < maxDiagnosisRows; i++ {
		if values[ui.DiagName(i, "code")] != "" || values[ui.DiagName(i, "description")] != "" {
			last = i
		}
	}
	return min(max(last+2, 3), maxDiagnosisRows)
}

// payerOptions lists the instance's payers for the insurance select.
func (s *server) payerOptions(ctx context.Context) ([]ui.Option, error) {
	payers, err := s.Clients.Payers(ctx)
	if err != nil {
		return nil, err
	}
	opts := make([]ui.Option, 0, len(payers))
	for _, p := range payers {
		opts = append(opts, ui.Option{Value: p.ID, Label: p.Name})
	}
	return opts, nil
}

// renderClientForm shows the client form with status.
func (s *server) renderClientForm(w http.ResponseWriter, r *http.Request, status int, view ui.ClientFormView) error {
	payers, err := s.payerOptions(r.Context())
	if err != nil {
		return err
	}
	view.Payers = payers
	view.DiagnosisRows = diagnosisRowCount(view.Form.Values)
	s.render(w, r, status, ui.ClientForm(s.shellFor(r, view.Title, "/clients"), view))
	return nil
}

// newClientView is the empty new-client form.
func newClientView(f ui.Form) ui.ClientFormView {
	return ui.ClientFormView{Title: "New client", Action: "/clients", Submit: "Create client",
		Cancel: "/clients", Form: f}
}

// editClientView is the edit form of client id.
func editClientView(id, name string, f ui.Form) ui.ClientFormView {
	return ui.ClientFormView{Title: "Edit " + name, Action: "/clients/" + id, Submit: "Save changes",
		Cancel: "/clients/" + id, Form: f}
}

// newClientForm shows an empty client form.
func (s *server) newClientForm(w http.ResponseWriter, r *http.Request) error {
	f := ui.Form{Values: map[string]string{"type": clients.TypeAdult}}
	return s.renderClientForm(w, r, http.StatusOK, newClientView(f))
}

// createClient saves a new client, or shows the form again with every
// problem next to its field.
func (s *server) createClient(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	in, values, rows := readClientForm(r)
	c, err := s.Clients.Create(r.Context(), v.actor, in)
	if errs, ok := validation.From(err); ok {
		f := ui.Form{Values: values}
		clientFormErrors(&f, errs, rows)
		return s.renderClientForm(w, r, http.StatusUnprocessableEntity, newClientView(f))
	}
	if err != nil {
		return fmt.Errorf("web: create client: %w", err)
	}
	return redirect(w, r, "/clients/"+c.ID+"?done=created")
}

// editClientForm shows a client's record in the form.
func (s *server) editClientForm(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	c, err := s.Clients.Get(r.Context(), v.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := ui.Form{Values: clientValues(c.Input())}
	return s.renderClientForm(w, r, http.StatusOK, editClientView(c.ID, fullName(c), f))
}

// updateClient saves the edited record.
func (s *server) updateClient(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := visitorFrom(r.Context())
	id := r.PathValue("id")
	in, values, rows := readClientForm(r)
	c, err := s.Clients.Update(r.Context(), v.actor, id, in)
	if errs, ok := validation.From(err); ok {
		// The heading keeps the saved name, not the one being typed.
		saved, gerr := s.Clients.Get(r.Context(), v.actor, id)
		if gerr != nil {
			return gerr
		}
		f := ui.Form{Values: values}
		clientFormErrors(&f, errs, rows)
		return s.renderClientForm(w, r, http.StatusUnprocessableEntity,
			editClientView(id, fullName(saved), f))
	}
	if err != nil {
		return fmt.Errorf("web: update client: %w", err)
	}
	return redirect(w, r, "/clients/"+c.ID+"?done=saved")
}
