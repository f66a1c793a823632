package x12

import (
	"fmt"
	"strings"
	"time"
)

// Remittance is one 835 transaction: one payment, or notice of none, from
// a payer to a payee, and the claims it settles.
type Remittance struct {
	Payer Party // N1*PR
	// PayerAddress is the payer's N3 and N4, which the guide requires.
	PayerAddress Address
	// PayerPhone is the payer's technical contact (PER*BL), ten digits.
	PayerPhone string
	Payee      Party // N1*PE
	// Handling is BPR01: "C" payment and advice together, "I" advice
	// only (the money moves separately), "H" notification only, and
	// others the guide lists.
	Handling string
	// Method is BPR04: "ACH", "CHK", "BOP", "FWT" or "NON" (no payment).
	Method     string
	TotalCents int64     // BPR02, the amount paid
	IssuedOn   time.Time // BPR16, the check or effective payment date
	// Trace is TRN02, the check or EFT trace number. With TraceIssuer
	// (TRN03, the payer's id) it names the payment, so posting the same
	// file twice can be recognised.
	Trace       string
	TraceIssuer string
	Claims      []ClaimPayment
	// ProviderAdjustments are PLB amounts not tied to a claim, such as
	// interest or a recovered overpayment; positive amounts reduce the
	// payment.
	ProviderAdjustments []ProviderAdjustment
}

// Party names a payer or payee as the N1 segment gives it.
type Party struct {
	Name string
	// IDQualifier says what ID is: "XX" an NPI, "FI" a tax id, "XV" a
	// CMS plan id, and so on.
	IDQualifier string
	ID          string
}

// ClaimPayment is one CLP loop: how the payer settled one claim.
type ClaimPayment struct {
	// ControlNumber is CLP01, the patient control number the claim was
	// sent with (CLM01 of the 837), which is how a payment finds its
	// claim.
	ControlNumber string
	// Status is CLP02: "1" processed as primary, "2" as secondary, "3"
	// as tertiary, "4" denied, "22" a reversal of an earlier payment.
	Status       string
	ChargeCents  int64 // CLP03
	PaidCents    int64 // CLP04
	PatientCents int64 // CLP05, the patient's responsibility
	// FilingIndicator is CLP06: "12" PPO, "13" POS, "14" EPO, "15"
	// indemnity, "HM" HMO, "MB" Medicare Part B, "MC" Medicaid.
	FilingIndicator string
	PayerClaimID    string // CLP07, the payer's own claim number
	// Patient and MemberID are NM1*QC: whom the claim was for.
	Patient     Person
	MemberID    string
	Adjustments []Adjustment
	Services    []ServicePayment
}

// Denied reports whether the payer denied the claim.
func (c ClaimPayment) Denied() bool { return c.Status == "4" }

// Reversal reports whether the claim reverses an earlier payment.
func (c ClaimPayment) Reversal() bool { return c.Status == "22" }

// ServicePayment is one SVC loop: how the payer settled one service line.
type ServicePayment struct {
	Qualifier   string // "HC" for CPT and HCPCS codes
	Code        string // the procedure code, such as "90837"
	Modifiers   []string
	ChargeCents int64     // SVC02
	PaidCents   int64     // SVC03
	Date        time.Time // DTM*472, or DTM*150 for a period's start
	Adjustments []Adjustment
}

// Adjustment is one amount of a CAS segment: why the payer paid less than
// the charge.
type Adjustment struct {
	// Group is who carries the amount: "CO" contractual obligation (the
	// provider writes it off), "PR" patient responsibility, "OA" other,
	// "PI" payer initiated, "CR" correction.
	Group string
	// Reason is the Claim Adjustment Reason Code, such as "45" (charge
	// exceeds the fee schedule) or "1" (deductible).
	Reason      string
	AmountCents int64
}

// ProviderAdjustment is one amount of a PLB segment.
type ProviderAdjustment struct {
	Reason      string // PLB03-1, such as "L6" interest or "WO" overpayment recovery
	Reference   string // PLB03-2
	AmountCents int64
}

// remitVersion is the prefix of GS08 for 835s this reader understands.
const remitVersion = "005010X221"

// ReadRemittances reads every 835 in an interchange. It refuses a file
// whose amounts do not balance — a service's charge less its payment
// must equal its adjustments, likewise each claim, and the payment must
// equal the claims paid less the provider adjustments — since posting
// part of such a file would leave the books wrong.
func ReadRemittances(data []byte) ([]Remittance, error) {
	ix, err := Parse(data)
	if err != nil {
		return nil, err
	}
	var out []Remittance
	for _, g := range ix.Groups {
		if g.Header.Elem(1) != "HP" {
			return nil, fmt.Errorf("x12: group %s is %q, not an 835 (HP)",
				g.Header.Elem(6), g.Header.Elem(1))
		}
		if !strings.HasPrefix(g.Version(), remitVersion) {
			return nil, fmt.Errorf("x12: 835 version %q is not %s",
				g.Version(), remitVersion)
		}
		for _, t := range g.Transactions {
			if t.Set() != "835" {
				return nil, fmt.Errorf("x12: transaction %s is a %s, not an 835",
					t.Header.Elem(2), t.Set())
			}
			r, err := readRemittance(t, ix.Delimiters)
			if err != nil {
				return nil, fmt.Errorf("x12: 835 %s: %w", t.Header.Elem(2), err)
			}
			out = append(out, r)
		}
	}
	return out, nil
}
