package simpayer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/x12"
)

// Claim Adjustment Reason Codes the simulated payer uses (from the code
// list X12 maintains for CAS segments).
const (
	reasonDeductibleCopay = "3"  // co-payment amount
	reasonCoinsurance     = "2"  // coinsurance amount
	reasonInconsistentMod = "4"  // procedure code inconsistent with the modifier
	reasonDiagnosis       = "11" // diagnosis inconsistent with the procedure
	reasonDuplicate       = "18" // exact duplicate claim or service
	reasonNotInsured      = "31" // patient cannot be identified as our insured
	reasonFeeSchedule     = "45" // charge exceeds the fee schedule
	reasonNotCovered      = "96" // non-covered charge
)

// Service names one service for the duplicate check: the same member,
// procedure and date of service, at the same payer.
type Service struct {
	PayerID, MemberID, Procedure string
	Date                         time.Time
}

// UnknownMember reports whether the simulated payer has no such member:
// ids ending in 0000, the way a card network's sandbox keeps numbers
// that always decline, so a demo can show a denial on purpose.
func UnknownMember(memberID string) bool {
	return strings.HasSuffix(memberID, "0000")
}

// Adjudicate decides one claim as the payer would. paid reports whether
// a service was already paid on an earlier claim; Adjudicate calls it
// for each line and assumes the caller records what it pays, so no
// service is ever paid twice. A line that repeats an earlier line of the
// same claim is a duplicate too.
func Adjudicate(c x12.Claim, t Terms, paid func(Service) bool) x12.ClaimPayment {
	p := x12.ClaimPayment{
		ControlNumber:   c.ControlNumber,
		FilingIndicator: claimFiling(c.FilingIndicator),
		PayerClaimID:    payerClaimID(c),
		MemberID:        c.MemberID,
		ChargeCents:     c.TotalCents(),
	}
	p.Patient = c.Subscriber
	if c.Patient != nil {
		p.Patient = *c.Patient
	}
	p.Patient = x12.Person{LastName: p.Patient.LastName,
		FirstName: p.Patient.FirstName, MiddleName: p.Patient.MiddleName}

	copay := t.CopayCents
	inClaim := map[Service]bool{}
	for _, l := range c.Lines {
		key := Service{c.Payer.ID, c.MemberID, l.Procedure, l.Date}
		sp := x12.ServicePayment{Qualifier: "HC", Code: l.Procedure,
			Modifiers: l.Modifiers, ChargeCents: l.ChargeCents, Date: l.Date}
		if reason := denial(c, l, t, inClaim[key] || paid(key)); reason != "" {
			sp.Adjustments = []x12.Adjustment{{Group: "CO", Reason: reason,
				AmountCents: l.ChargeCents}}
			p.Services = append(p.Services, sp)
			continue
		}
		inClaim[key] = true
		sp.Adjustments, copay = lineShares(l, t, copay)
		sp.PaidCents = l.ChargeCents
		for _, a := range sp.Adjustments {
			sp.PaidCents -= a.AmountCents
			if a.Group == "PR" {
				p.PatientCents += a.AmountCents
			}
		}
		p.PaidCents += sp.PaidCents
		p.Services = append(p.Services, sp)
	}

	p.Status = "1" // processed as primary
	if p.PaidCents == 0 && p.PatientCents == 0 {
		p.Status = "4" // denied
	}
	return p
}

// Accepted returns the services of c that payment p accepted (paid, or
// left to the patient), which the caller records so the next claim for
// the same service is refused as a duplicate.
func Accepted(c x12.Claim, p x12.ClaimPayment) []Service {
	var out []Service
	for i, sp := range p.Services {
		if i < len(c.Lines) && !denied(sp) {
			l := c.Lines[i]
			out = append(out, Service{c.Payer.ID, c.MemberID, l.Procedure, l.Date})
		}
	}
	return out
}

// denied reports whether a service line was refused outright.
func denied(sp x12.ServicePayment) bool {
	for _, a := range sp.Adjustments {
		switch a.Reason {
		case reasonNotInsured, reasonDuplicate, reasonDiagnosis,
			reasonInconsistentMod, reasonNotCovered:
			return true
		}
	}
	return false
}

// denial returns the reason a line is refused, or "" when it is paid.
func denial(c x12.Claim, l x12.Line, t Terms, duplicate bool) string {
	switch {
	case UnknownMember(c.MemberID):
		return reasonNotInsured
	case duplicate:
		return reasonDuplicate
	case psychotherapy(l.Procedure) && !mentalHealthDiagnosis(c, l):
		return reasonDiagnosis
	case telehealthModifier(l) && c.PlaceOfService == "11":
		return reasonInconsistentMod
	}
	if _, ok := t.Allowed[l.Procedure]; !ok {
		return reasonNotCovered
	}
	return ""
}

// lineShares splits a paid line's charge into the adjustments: the
// write-off above the allowed amount, then the copay still owed on this
// claim and the coinsurance. It returns the copay left for later lines.
func lineShares(l x12.Line, t Terms, copay int64) ([]x12.Adjustment, int64) {
	allowed := min(t.Allowed[l.Procedure]*int64(l.Units), l.ChargeCents)
	var out []x12.Adjustment
	if over := l.ChargeCents - allowed; over > 0 {
		out = append(out, x12.Adjustment{Group: "CO", Reason: reasonFeeSchedule, AmountCents: over})
	}
	owed := min(copay, allowed)
	if owed > 0 {
		out = append(out, x12.Adjustment{Group: "PR", Reason: reasonDeductibleCopay, AmountCents: owed})
	}
	if co := percentOf(allowed-owed, t.CoinsurancePercent); co > 0 {
		out = append(out, x12.Adjustment{Group: "PR", Reason: reasonCoinsurance, AmountCents: co})
	}
	return out, copay - owed
}

// psychotherapy reports whether code is one of the psychiatry codes
// (CPT 90785 to 90899), which payers pay only for a mental or
// behavioural diagnosis.
func psychotherapy(code string) bool {
	return len(code) == 5 && code >= "90785" && code <= "90899"
}

// mentalHealthDiagnosis reports whether any diagnosis the line points to
// is in ICD-10-CM chapter 5 (F01–F99, mental and behavioural disorders)
// or is a Z code for psychosocial circumstances (Z55–Z65), which family
// therapy claims often carry.
func mentalHealthDiagnosis(c x12.Claim, l x12.Line) bool {
	for _, p := range l.Pointers {
		if p < 1 || p > len(c.Diagnoses) {
			continue
		}
		code := strings.ToUpper(strings.ReplaceAll(c.Diagnoses[p-1], ".", ""))
		switch {
		case strings.HasPrefix(code, "F"):
			return true
		case len(code) >= 3 && code[0] == 'Z' && code[1:3] >= "55" && code[1:3] <= "65":
			return true
		}
	}
	return false
}

func telehealthModifier(l x12.Line) bool {
	for _, m := range l.Modifiers {
		if m == "95" {
			return true
		}
	}
	return false
}

// claimFiling maps the claim's SBR09 filing indicator to the CLP06 code
// a payer answers with.
func claimFiling(sbr09 string) string {
	switch sbr09 {
	case "HM", "MA", "MB", "MC", "CH", "VA", "WC":
		return sbr09
	}
	return "12" // preferred provider organisation, the commercial default
}

// payerClaimID is the payer's own number for a claim (CLP07): the same
// for the same claim, so a resubmission is recognisable.
func payerClaimID(c x12.Claim) string {
	sum := sha256.Sum256([]byte(c.Payer.ID + "/" + c.ControlNumber))
	return "SIM" + strings.ToUpper(hex.EncodeToString(sum[:6]))
}

// AnswerDate returns when the payer answers a claim received at
// received: two to three weeks later, the same day for the same claim
// every time it is asked.
func AnswerDate(controlNumber string, received time.Time) time.Time {
	sum := sha256.Sum256([]byte(controlNumber))
	days := 14 + int(binary.BigEndian.Uint16(sum[:2])%8)
	y, m, d := received.UTC().Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, time.UTC)
}
