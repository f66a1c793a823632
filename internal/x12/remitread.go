package x12

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// remitReader walks the body of one 835, filling r. claim and service
// point at the loop segments belong to, so a CAS or DTM lands on the
// right one.
type remitReader struct {
	d       Delimiters
	r       Remittance
	claim   *ClaimPayment
	service *ServicePayment
	address *Address // what the next N3 and N4 describe
}

func readRemittance(t Transaction, d Delimiters) (Remittance, error) {
	rr := remitReader{d: d}
	sawBPR := false
	for _, s := range t.Body {
		if s.ID() == "BPR" {
			sawBPR = true
		}
		if err := rr.segment(s); err != nil {
			return Remittance{}, fmt.Errorf("%s: %w", s.ID(), err)
		}
	}
	if !sawBPR {
		return Remittance{}, errors.New("no BPR segment")
	}
	if err := rr.r.balance(); err != nil {
		return Remittance{}, err
	}
	return rr.r, nil
}

// segment reads one segment. Segments Tend does not use (REF, AMT, NM1,
// MIA, MOA, TS3…) are passed over.
func (rr *remitReader) segment(s Segment) error {
	var err error
	switch s.ID() {
	case "BPR":
		rr.r.Handling, rr.r.Method = s.Elem(1), s.Elem(4)
		rr.r.TotalCents, err = ParseAmount(s.Elem(2))
		if err == nil && s.Elem(16) != "" {
			rr.r.IssuedOn, err = parseDate(s.Elem(16))
		}
	case "TRN":
		rr.r.Trace, rr.r.TraceIssuer = s.Elem(2), s.Elem(3)
	case "N1":
		p := Party{Name: s.Elem(2), IDQualifier: s.Elem(3), ID: s.Elem(4)}
		rr.address = nil
		switch s.Elem(1) {
		case "PR":
			rr.r.Payer, rr.address = p, &rr.r.PayerAddress
		case "PE":
			rr.r.Payee = p
		}
	case "N3", "N4":
		rr.address.read(s)
	case "NM1":
		if rr.claim != nil && rr.service == nil && s.Elem(1) == "QC" {
			rr.claim.Patient = Person{LastName: s.Elem(3), FirstName: s.Elem(4),
				MiddleName: s.Elem(5)}
			rr.claim.MemberID = s.Elem(9)
		}
	case "PER":
		if s.Elem(1) == "BL" && s.Elem(3) == "TE" {
			rr.r.PayerPhone = s.Elem(4)
		}
	case "CLP":
		err = rr.startClaim(s)
	case "SVC":
		err = rr.startService(s)
	case "CAS":
		err = rr.adjustments(s)
	case "DTM":
		if rr.service != nil && (s.Elem(1) == "472" || s.Elem(1) == "150") {
			rr.service.Date, err = parseDate(s.Elem(2))
		}
	case "PLB":
		err = rr.providerAdjustments(s)
	}
	return err
}

func (rr *remitReader) startClaim(s Segment) error {
	c := ClaimPayment{
		ControlNumber:   s.Elem(1),
		Status:          s.Elem(2),
		FilingIndicator: s.Elem(6),
		PayerClaimID:    s.Elem(7),
	}
	if c.ControlNumber == "" || c.Status == "" {
		return errors.New("CLP01 and CLP02 are required")
	}
	var err error
	if c.ChargeCents, err = ParseAmount(s.Elem(3)); err != nil {
		return err
	}
	if c.PaidCents, err = ParseAmount(s.Elem(4)); err != nil {
		return err
	}
	if p := s.Elem(5); p != "" {
		if c.PatientCents, err = ParseAmount(p); err != nil {
			return err
		}
	}
	rr.r.Claims = append(rr.r.Claims, c)
	rr.claim, rr.service, rr.address = &rr.r.Claims[len(rr.r.Claims)-1], nil, nil
	return nil
}

func (rr *remitReader) startService(s Segment) error {
	if rr.claim == nil {
		return errors.New("service before any claim")
	}
	var sp ServicePayment
	var err error
	sp.Qualifier, sp.Code, sp.Modifiers, err = procedure("SVC01", s.Elem(1), rr.d,
		"AD", "ER", "HC", "HP", "IV", "N4", "N6", "NU", "UI", "WK")
	if err != nil {
		return err
	}
	if sp.ChargeCents, err = ParseAmount(s.Elem(2)); err != nil {
		return err
	}
	if sp.PaidCents, err = ParseAmount(s.Elem(3)); err != nil {
		return err
	}
	rr.claim.Services = append(rr.claim.Services, sp)
	rr.service = &rr.claim.Services[len(rr.claim.Services)-1]
	return nil
}

// procedure splits a procedure composite (SV101, SVC01) into its
// qualifier, which must be one of qualifiers, its code and up to four
// modifiers. A qualifier not in the list usually means the sender used
// a component separator other than the one its ISA declares.
func procedure(name, elem string, d Delimiters, qualifiers ...string) (
	qualifier, code string, modifiers []string, err error) {
	parts := strings.Split(elem, string(d.Component))
	if !slices.Contains(qualifiers, parts[0]) {
		return "", "", nil, fmt.Errorf("%s qualifier %q is not one of %s "+
			"(is the component separator %q?)", name, parts[0],
			strings.Join(qualifiers, ", "), d.Component)
	}
	if len(parts) < 2 || parts[1] == "" {
		return "", "", nil, fmt.Errorf("%s has no procedure code", name)
	}
	for _, m := range parts[2:min(len(parts), 6)] {
		if m != "" {
			modifiers = append(modifiers, m)
		}
	}
	return parts[0], parts[1], modifiers, nil
}

// adjustments reads a CAS segment: a group code, then up to six reason,
// amount and quantity triples. It belongs to the open service, or to the
// claim when no service has started.
func (rr *remitReader) adjustments(s Segment) error {
	var list *[]Adjustment
	switch {
	case rr.service != nil:
		list = &rr.service.Adjustments
	case rr.claim != nil:
		list = &rr.claim.Adjustments
	default:
		return errors.New("adjustment before any claim")
	}
	group := s.Elem(1)
	for i := 2; i < len(s); i += 3 {
		if s.Elem(i) == "" {
			continue
		}
		amount, err := ParseAmount(s.Elem(i + 1))
		if err != nil {
			return err
		}
		*list = append(*list, Adjustment{Group: group, Reason: s.Elem(i), AmountCents: amount})
	}
	return nil
}

// providerAdjustments reads a PLB segment: provider id, fiscal period
// date, then up to six reason and amount pairs.
func (rr *remitReader) providerAdjustments(s Segment) error {
	for i := 3; i < len(s); i += 2 {
		if s.Elem(i) == "" {
			continue
		}
		reason, ref, _ := strings.Cut(s.Elem(i), string(rr.d.Component))
		amount, err := ParseAmount(s.Elem(i + 1))
		if err != nil {
			return err
		}
		rr.r.ProviderAdjustments = append(rr.r.ProviderAdjustments,
			ProviderAdjustment{Reason: reason, Reference: ref, AmountCents: amount})
	}
	return nil
}

// balance checks the 835's three balancing rules.
func (r *Remittance) balance() error {
	total := int64(0)
	for _, c := range r.Claims {
		adjusted := sumAdjustments(c.Adjustments)
		for _, sp := range c.Services {
			own := sumAdjustments(sp.Adjustments)
			if sp.ChargeCents-sp.PaidCents != own {
				return fmt.Errorf("claim %s service %s does not balance: "+
					"charge %s less paid %s is not the adjustments %s",
					c.ControlNumber, sp.Code, FormatAmount(sp.ChargeCents),
					FormatAmount(sp.PaidCents), FormatAmount(own))
			}
			adjusted += own
		}
		if c.ChargeCents-c.PaidCents != adjusted {
			return fmt.Errorf("claim %s does not balance: charge %s less paid %s "+
				"is not the adjustments %s", c.ControlNumber,
				FormatAmount(c.ChargeCents), FormatAmount(c.PaidCents),
				FormatAmount(adjusted))
		}
		total += c.PaidCents
	}
	for _, pa := range r.ProviderAdjustments {
		total -= pa.AmountCents
	}
	if total != r.TotalCents {
		return fmt.Errorf("payment %s is not the claims paid less provider "+
			"adjustments, %s", FormatAmount(r.TotalCents), FormatAmount(total))
	}
	return nil
}

func sumAdjustments(as []Adjustment) int64 {
	var n int64
	for _, a := range as {
		n += a.AmountCents
	}
	return n
}
