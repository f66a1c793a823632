package api

import (
	"github.com/tend-portal/tend/internal/clients"
)

// addressJSON is a postal address.
type addressJSON struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

// contactJSON is an emergency contact or a guardian.
type contactJSON struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
}

// insuranceJSON is a client's insurance coverage.
type insuranceJSON struct {
	PayerID                string `json:"payer_id"`
	PayerName              string `json:"payer_name"`
	MemberID               string `json:"member_id"`
	GroupNumber            string `json:"group_number"`
	SubscriberName         string `json:"subscriber_name"`
	SubscriberRelationship string `json:"subscriber_relationship"`
}

// diagnosisJSON is one ICD-10-CM diagnosis.
type diagnosisJSON struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// clientFields are the editable fields of a client record: the body of
// POST /clients and, merged onto the current record, of PATCH.
type clientFields struct {
	FirstName        string          `json:"first_name"`
	LastName         string          `json:"last_name"`
	PreferredName    string          `json:"preferred_name"`
	Pronouns         string          `json:"pronouns"`
	Email            string          `json:"email"`
	Phone            string          `json:"phone"`
	DateOfBirth      *string         `json:"date_of_birth"`
	Type             string          `json:"type"`
	Address          addressJSON     `json:"address"`
	EmergencyContact contactJSON     `json:"emergency_contact"`
	Guardian         contactJSON     `json:"guardian"`
	CashPay          bool            `json:"cash_pay"`
	Insurance        insuranceJSON   `json:"insurance"`
	Diagnoses        []diagnosisJSON `json:"diagnoses"`
	BillingNotes     string          `json:"billing_notes"`
}

// clientJSON is a client record as the API shows it.
type clientJSON struct {
	ID string `json:"id"`
	clientFields
	Status            string  `json:"status"`
	ArchivedAt        *string `json:"archived_at"`
	ArchiveReason     string  `json:"archive_reason"`
	NextAppointmentAt *string `json:"next_appointment_at"`
	LastAppointmentAt *string `json:"last_appointment_at"`
	CreatedAt         string  `json:"created_at"`
	UpdatedAt         string  `json:"updated_at"`
}

// countsJSON is the number of clients on each tab.
type countsJSON struct {
	Active        int `json:"active"`
	NeedsFollowUp int `json:"needs_follow_up"`
	Scheduled     int `json:"scheduled"`
	Archived      int `json:"archived"`
}

// clientPage is the answer to GET /clients.
type clientPage struct {
	Items      []clientJSON `json:"items"`
	NextCursor *string      `json:"next_cursor"`
	Total      int          `json:"total"`
	Counts     countsJSON   `json:"counts"`
}

// fieldsOf returns the editable fields of c.
func fieldsOf(c clients.Client) clientFields {
	var dob *string
	if c.DateOfBirth != "" {
		d := c.DateOfBirth
		dob = &d
	}
	diagnoses := make([]diagnosisJSON, 0, len(c.Diagnoses))
	for _, d := range c.Diagnoses {
		diagnoses = append(diagnoses, diagnosisJSON(d))
	}
	return clientFields{
		FirstName:        c.FirstName,
		LastName:         c.LastName,
		PreferredName:    c.PreferredName,
		Pronouns:         c.Pronouns,
		Email:            c.Email,
		Phone:            c.Phone,
		DateOfBirth:      dob,
		Type:             c.Type,
		Address:          addressJSON(c.Address),
		EmergencyContact: contactJSON(c.EmergencyContact),
		Guardian:         contactJSON(c.Guardian),
		CashPay:          c.CashPay,
		Insurance:        insuranceJSON(c.Insurance),
		Diagnoses:        diagnoses,
		BillingNotes:     c.BillingNotes,
	}
}

// clientOut is c as the API shows it.
func clientOut(c clients.Client) clientJSON {
	return clientJSON{
		ID:                c.ID,
		clientFields:      fieldsOf(c),
		Status:            string(c.Status),
		ArchivedAt:        formatTimePtr(c.ArchivedAt),
		ArchiveReason:     c.ArchiveReason,
		NextAppointmentAt: formatTimePtr(c.NextAppointmentAt),
		LastAppointmentAt: formatTimePtr(c.LastAppointmentAt),
		CreatedAt:         formatTime(c.CreatedAt),
		UpdatedAt:         formatTime(c.UpdatedAt),
	}
}

// input turns request fields into the clients area's input.
func (f clientFields) input() clients.Input {
	in := clients.Input{
		FirstName:        f.FirstName,
		LastName:         f.LastName,
		PreferredName:    f.PreferredName,
		Pronouns:         f.Pronouns,
		Email:            f.Email,
		Phone:            f.Phone,
		Type:             f.Type,
		Address:          clients.Address(f.Address),
		EmergencyContact: clients.Contact(f.EmergencyContact),
		Guardian:         clients.Contact(f.Guardian),
		CashPay:          f.CashPay,
		Insurance:        clients.Insurance(f.Insurance),
		BillingNotes:     f.BillingNotes,
	}
	if f.DateOfBirth != nil {
		in.DateOfBirth = *f.DateOfBirth
	}
	for _, d := range f.Diagnoses {
		in.Diagnoses = append(in.Diagnoses, clients.Diagnosis(d))
	}
	return in
}
