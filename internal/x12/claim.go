package x12

import "time"

// Batch is what one 837P file carries: who sends it, who receives it and
// the claims. Claims of the same billing provider share a billing
// provider loop in the file.
type Batch struct {
	Submitter Submitter
	Receiver  Party // Name and ID (the clearinghouse's ETIN); qualifier 46
	// Reference is the submitter's own number for the batch (BHT03).
	Reference string
	Created   time.Time
	Claims    []Claim
}

// Submitter is loop 1000A: the practice or service sending the file.
type Submitter struct {
	Name    string
	ID      string // the ETIN the clearinghouse assigned
	Contact string
	Phone   string // ten digits
}

// Provider is the billing provider (loop 2010AA): an individual
// therapist (Organization empty) or a group practice.
type Provider struct {
	Organization string
	LastName     string
	FirstName    string
	NPI          string
	TaxID        string // the EIN, nine digits
	Taxonomy     string // such as 101YP2500X, professional counselor
	Address      Address
}

// Address is a postal address as the 837 writes it (N3 and N4).
type Address struct {
	Line1, Line2 string
	City         string
	State        string // two letters
	ZIP          string // five or nine digits
}

// read fills a from an N3 or N4 segment; a nil a ignores it.
func (a *Address) read(s Segment) {
	switch {
	case a == nil:
	case s.ID() == "N3":
		a.Line1, a.Line2 = s.Elem(1), s.Elem(2)
	case s.ID() == "N4":
		a.City, a.State, a.ZIP = s.Elem(1), s.Elem(2), s.Elem(3)
	}
}

// Person is a subscriber or a patient.
type Person struct {
	LastName   string
	FirstName  string
	MiddleName string
	BirthDate  time.Time
	Sex        string // "F", "M" or "U"
	Address    Address
}

// Claim is one professional claim: one patient, one payer, one or more
// service lines.
type Claim struct {
	// ControlNumber is CLM01, Tend's own number for the claim. Payers
	// return it in the 835 (CLP01); the guide allows 20 characters.
	ControlNumber   string
	BillingProvider Provider
	Payer           Party // Name and ID (the payer id); qualifier PI
	// FilingIndicator is SBR09: "CI" commercial, "BL" Blue Cross Blue
	// Shield, "HM" HMO, "MB" Medicare Part B, "MC" Medicaid, and others.
	FilingIndicator string
	MemberID        string
	GroupNumber     string
	Subscriber      Person
	// Patient is nil when the patient is the subscriber. Otherwise
	// Relationship says who the patient is to the subscriber: "01"
	// spouse, "19" child, "20" employee, "G8" other.
	Patient      *Person
	Relationship string
	// PlaceOfService is the CMS place of service code: "02" telehealth
	// outside the patient's home, "10" telehealth in the home, "11"
	// office.
	PlaceOfService string
	// Diagnoses are ICD-10-CM codes, principal first, at most twelve.
	// They may be written with or without the dot.
	Diagnoses []string
	Lines     []Line
}

// Line is one service line (loop 2400).
type Line struct {
	Procedure   string   // CPT or HCPCS code, such as "90837"
	Modifiers   []string // up to four, such as "95" for telehealth
	ChargeCents int64
	Units       int
	// Pointers are the 1-based positions in Claim.Diagnoses this line
	// treats, at most four, the first the most important.
	Pointers []int
	Date     time.Time // the date of service
}

// TotalCents is the claim's charge: the sum of its lines.
func (c Claim) TotalCents() int64 {
	var n int64
	for _, l := range c.Lines {
		n += l.ChargeCents
	}
	return n
}

// Envelope is what the ISA and GS segments say about a file beyond its
// claims: who exchanges it and its control number.
type Envelope struct {
	SenderID   string // ISA06 and GS02, qualifier ZZ
	ReceiverID string // ISA08 and GS03, qualifier ZZ
	// Control is the interchange and group control number; each file a
	// sender sends needs a new one, from 1 to 999999999.
	Control    int64
	Production bool
	LineBreaks bool
}
