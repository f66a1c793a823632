package simpayer

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/x12"
)

// The simulated payer's own details, as its 835s give them. The phone
// number is in the 555-01xx range kept for fiction.
var (
	simAddress = x12.Address{Line1: "100 SANDBOX ROAD", City: "SPRINGFIELD",
		State: "IL", ZIP: "62701"}
	simPhone = "8005550100"
)

// TraceIssuer is the simulated payer's id in its trace numbers (TRN03):
// "1" and a nine-digit tax id no real payer has.
const TraceIssuer = "1999999999"

// Remit gathers one payee's claim payments decided on the same day into
// the remittance that pays them: a check for their total, or a notice
// with no payment when every claim was denied. payerName is the payer
// being simulated; the remittance names it SIMULATED so it can never be
// mistaken for a real one.
func Remit(payerName string, payee x12.Party, payments []x12.ClaimPayment,
	on time.Time) x12.Remittance {
	r := x12.Remittance{
		Payer:        x12.Party{Name: "SIMULATED " + payerName},
		PayerAddress: simAddress,
		PayerPhone:   simPhone,
		Payee:        payee,
		Handling:     "C",
		Method:       "CHK",
		IssuedOn:     on,
		TraceIssuer:  TraceIssuer,
		Claims:       payments,
	}
	for _, p := range payments {
		r.TotalCents += p.PaidCents
	}
	if r.TotalCents == 0 {
		r.Handling, r.Method = "H", "NON"
	}
	ids := make([]string, len(payments))
	for i, p := range payments {
		ids[i] = p.ControlNumber
	}
	sum := sha256.Sum256([]byte(payerName + "/" + payee.ID + "/" +
		on.Format(time.DateOnly) + "/" + strings.Join(ids, ",")))
	r.Trace = "SIM" + strings.ToUpper(hex.EncodeToString(sum[:8]))
	return r
}
