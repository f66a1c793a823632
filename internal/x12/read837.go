package x12

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ReadClaims reads the claims of an 837P interchange: the simulated
// payer adjudicates what Tend sent, and tests read back what
// [WriteClaims] wrote. It keeps what [Claim] holds and passes over the
// rest (coordination of benefits, rendering and referring providers,
// notes); it refuses a claim whose total is not the sum of its lines.
// Diagnoses come back as written, without the dot.
func ReadClaims(data []byte) (Batch, error) {
	ix, err := Parse(data)
	if err != nil {
		return Batch{}, err
	}
	var b Batch
	for _, g := range ix.Groups {
		if g.Header.Elem(1) != "HC" || !strings.HasPrefix(g.Version(), "005010X222") {
			return Batch{}, fmt.Errorf("x12: group %s is not an 837P (%s %s)",
				g.Header.Elem(6), g.Header.Elem(1), g.Version())
		}
		for _, t := range g.Transactions {
			cr := claimReader{d: ix.Delimiters, b: &b}
			for _, s := range t.Body {
				if err := cr.segment(s); err != nil {
					return Batch{}, fmt.Errorf("x12: 837 %s: %s: %w",
						t.Header.Elem(2), s.ID(), err)
				}
			}
			if err := cr.finishClaim(); err != nil {
				return Batch{}, fmt.Errorf("x12: 837 %s: %w", t.Header.Elem(2), err)
			}
		}
	}
	return b, nil
}

// claimReader walks the body of one 837P. The loops nest by HL: billing
// provider (20), subscriber (22), patient (23); a claim takes the
// provider, subscriber and patient in force when its CLM appears.
type claimReader struct {
	d        Delimiters
	b        *Batch
	provider Provider
	sub      Claim // the subscriber loop's fields, copied into each claim
	patient  *Person
	claim    *Claim
	total    int64 // CLM02 of the open claim
	line     *Line
	// person and address are what the next DMG and N3/N4 describe.
	person  *Person
	address *Address
}

func (cr *claimReader) segment(s Segment) error {
	switch s.ID() {
	case "BHT":
		cr.b.Reference = s.Elem(3)
		created, err := time.Parse(dateFormat+"1504", s.Elem(4)+s.Elem(5)[:min(4, len(s.Elem(5)))])
		if err != nil {
			return fmt.Errorf("creation date %q %q", s.Elem(4), s.Elem(5))
		}
		cr.b.Created = created
	case "HL":
		if err := cr.finishClaim(); err != nil {
			return err
		}
		cr.level(s.Elem(3))
	case "PRV":
		if cr.claim == nil && s.Elem(1) == "BI" {
			cr.provider.Taxonomy = s.Elem(3)
		}
	case "PER":
		if cr.claim == nil && cr.b.Submitter.Contact == "" {
			cr.b.Submitter.Contact = s.Elem(2)
			if s.Elem(3) == "TE" {
				cr.b.Submitter.Phone = s.Elem(4)
			}
		}
	case "NM1":
		cr.name(s)
	case "N3", "N4":
		cr.address.read(s)
	case "REF":
		if cr.claim == nil && cr.address == &cr.provider.Address &&
			(s.Elem(1) == "EI" || s.Elem(1) == "SY") {
			cr.provider.TaxID = s.Elem(2)
		}
	case "DMG":
		return cr.demographics(s)
	case "SBR":
		if cr.claim == nil {
			cr.sub.GroupNumber, cr.sub.FilingIndicator = s.Elem(3), s.Elem(9)
		}
	case "PAT":
		cr.sub.Relationship = s.Elem(1)
	case "CLM":
		return cr.startClaim(s)
	case "HI":
		cr.diagnoses(s)
	case "LX":
		if cr.claim == nil {
			return errors.New("service line before any claim")
		}
		cr.claim.Lines = append(cr.claim.Lines, Line{})
		cr.line = &cr.claim.Lines[len(cr.claim.Lines)-1]
	case "SV1":
		return cr.service(s)
	case "DTP":
		if cr.line != nil && s.Elem(1) == "472" {
			date, _, _ := strings.Cut(s.Elem(3), "-") // RD8 is a range
			var err error
			cr.line.Date, err = parseDate(date)
			return err
		}
	}
	return nil
}

// level opens a new HL loop.
func (cr *claimReader) level(code string) {
	switch code {
	case "20":
		cr.provider = Provider{}
		cr.sub, cr.patient = Claim{}, nil
	case "22":
		cr.sub, cr.patient = Claim{}, nil
	case "23":
		cr.patient = &Person{}
	}
	cr.person, cr.address = nil, nil
}

// name reads an NM1 segment and points DMG, N3 and N4 at whom it names.
func (cr *claimReader) name(s Segment) {
	cr.person, cr.address = nil, nil
	if cr.claim != nil {
		return // providers and other payers of the claim loops
	}
	switch s.Elem(1) {
	case "41":
		cr.b.Submitter.Name, cr.b.Submitter.ID = s.Elem(3), s.Elem(9)
	case "40":
		cr.b.Receiver = Party{Name: s.Elem(3), IDQualifier: s.Elem(8), ID: s.Elem(9)}
	case "85":
		p := &cr.provider
		if s.Elem(2) == "2" {
			p.Organization = s.Elem(3)
		} else {
			p.LastName, p.FirstName = s.Elem(3), s.Elem(4)
		}
		p.NPI = s.Elem(9)
		cr.address = &p.Address
	case "IL":
		cr.sub.Subscriber = Person{LastName: s.Elem(3), FirstName: s.Elem(4),
			MiddleName: s.Elem(5)}
		cr.sub.MemberID = s.Elem(9)
		cr.person, cr.address = &cr.sub.Subscriber, &cr.sub.Subscriber.Address
	case "PR":
		cr.sub.Payer = Party{Name: s.Elem(3), IDQualifier: s.Elem(8), ID: s.Elem(9)}
	case "QC":
		if cr.patient != nil {
			*cr.patient = Person{LastName: s.Elem(3), FirstName: s.Elem(4),
				MiddleName: s.Elem(5)}
			cr.person, cr.address = cr.patient, &cr.patient.Address
		}
	}
}

func (cr *claimReader) demographics(s Segment) error {
	if cr.person == nil || s.Elem(1) != "D8" {
		return nil
	}
	born, err := parseDate(s.Elem(2))
	if err != nil {
		return err
	}
	cr.person.BirthDate, cr.person.Sex = born, s.Elem(3)
	return nil
}

func (cr *claimReader) startClaim(s Segment) error {
	if err := cr.finishClaim(); err != nil {
		return err
	}
	total, err := ParseAmount(s.Elem(2))
	if err != nil {
		return err
	}
	c := cr.sub
	c.ControlNumber = s.Elem(1)
	c.BillingProvider = cr.provider
	c.PlaceOfService, _, _ = strings.Cut(s.Elem(5), string(cr.d.Component))
	if cr.patient != nil {
		p := *cr.patient
		c.Patient = &p
	} else {
		c.Relationship = ""
	}
	cr.b.Claims = append(cr.b.Claims, c)
	cr.claim, cr.total, cr.line = &cr.b.Claims[len(cr.b.Claims)-1], total, nil
	cr.person, cr.address = nil, nil
	return nil
}

// finishClaim checks the open claim's total against its lines.
func (cr *claimReader) finishClaim() error {
	c := cr.claim
	cr.claim, cr.line = nil, nil
	if c == nil {
		return nil
	}
	if len(c.Lines) == 0 {
		return fmt.Errorf("claim %s has no service lines", c.ControlNumber)
	}
	if c.TotalCents() != cr.total {
		return fmt.Errorf("claim %s total %s is not the sum of its lines, %s",
			c.ControlNumber, FormatAmount(cr.total), FormatAmount(c.TotalCents()))
	}
	return nil
}

// diagnoses reads the principal and other diagnoses of an HI segment,
// ICD-10 (ABK, ABF) or the ICD-9 of older examples (BK, BF).
func (cr *claimReader) diagnoses(s Segment) {
	if cr.claim == nil || cr.line != nil {
		return
	}
	for _, e := range s[1:] {
		qualifier, code, _ := strings.Cut(e, string(cr.d.Component))
		switch qualifier {
		case "ABK", "ABF", "BK", "BF":
			cr.claim.Diagnoses = append(cr.claim.Diagnoses, code)
		}
	}
}

// service reads an SV1 segment into the open line.
func (cr *claimReader) service(s Segment) error {
	if cr.line == nil {
		return errors.New("SV1 outside a service line")
	}
	c := string(cr.d.Component)
	l := cr.line
	var err error
	_, l.Procedure, l.Modifiers, err = procedure("SV101", s.Elem(1), cr.d,
		"HC", "ER", "IV", "WK")
	if err != nil {
		return err
	}
	if l.ChargeCents, err = ParseAmount(s.Elem(2)); err != nil {
		return err
	}
	units, err := ParseAmount(s.Elem(4))
	if err != nil || units%100 != 0 || units <= 0 {
		return fmt.Errorf("units %q are not a whole number", s.Elem(4))
	}
	l.Units = int(units / 100)
	// Pointers are digits; some senders write them as decimals ("1.00").
	for p := range strings.SplitSeq(s.Elem(7), c) {
		n, err := ParseAmount(p)
		if err != nil || n%100 != 0 || n < 100 || n > 1200 {
			return fmt.Errorf("diagnosis pointer %q is not 1 to 12", p)
		}
		l.Pointers = append(l.Pointers, int(n/100))
	}
	return nil
}
