// Package simpayer is Tend's built-in simulated insurance payer: it
// answers claims the way a payer does — allowed amounts from a fee
// schedule, the contractual write-off, the patient's copay or
// coinsurance, denials with their standard reason codes — so the whole
// flow from invoice to payout runs without outside services. It is on
// in demo mode and says so wherever it shows: the payer names it writes
// begin with SIMULATED.
//
// The amounts below are illustrative, of the order US payers allowed
// for these codes in the 2020s; they are no payer's real rates.
package simpayer

// Terms are what one simulated payer pays.
type Terms struct {
	// Allowed is the amount allowed per unit of each procedure, in
	// cents. A procedure not listed is not covered.
	Allowed map[string]int64
	// CopayCents is what the patient pays per claim (PR-3), taken from
	// the first line paid.
	CopayCents int64
	// CoinsurancePercent is the patient's share of each line's allowed
	// amount after the copay (PR-2).
	CoinsurancePercent int64
}

// baseAllowed is the schedule the payers share before their own factor.
var baseAllowed = map[string]int64{
	"90791": 18000, // psychiatric diagnostic evaluation (intake)
	"90832": 8000,  // psychotherapy, 30 minutes
	"90834": 10500, // psychotherapy, 45 minutes
	"90837": 15000, // psychotherapy, 60 minutes
	"90839": 15500, // psychotherapy for crisis, first 60 minutes
	"90840": 7000,  // psychotherapy for crisis, each further 30 minutes
	"90846": 10000, // family psychotherapy without the patient
	"90847": 10500, // family psychotherapy with the patient
	"90853": 3000,  // group psychotherapy
	"90785": 1500,  // interactive complexity add-on
}

// payerTerms are the factor (in percent of baseAllowed) and the
// patient's share for each payer code of the instance's payer list;
// payers not listed get defaultTerms.
var payerTerms = map[string]struct{ factor, copay, coinsurance int64 }{
	"medicare":         {factor: 80, coinsurance: 20},
	"medicaid":         {factor: 65},
	"tricare":          {factor: 85, copay: 3300},
	"kaiser":           {factor: 95, copay: 2000},
	"unitedhealthcare": {factor: 100, copay: 3000},
	"aetna":            {factor: 105, copay: 2500},
}

var defaultTerms = struct{ factor, copay, coinsurance int64 }{factor: 100, copay: 2500}

// TermsFor returns the simulated terms of the payer with the given code
// (the payers table's code column).
func TermsFor(payerCode string) Terms {
	pt, ok := payerTerms[payerCode]
	if !ok {
		pt = defaultTerms
	}
	t := Terms{
		Allowed:            make(map[string]int64, len(baseAllowed)),
		CopayCents:         pt.copay,
		CoinsurancePercent: pt.coinsurance,
	}
	for code, cents := range baseAllowed {
		t.Allowed[code] = percentOf(cents, pt.factor)
	}
	return t
}

// percentOf returns pct percent of cents, rounded half up to the cent.
func percentOf(cents, pct int64) int64 {
	return (cents*pct + 50) / 100
}
