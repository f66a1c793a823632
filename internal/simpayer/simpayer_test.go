package simpayer

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/x12"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// claim returns a valid claim of one 60-minute telehealth session.
func claim(control string) x12.Claim {
	home := x12.Address{Line1: "9 OAK AVE", City: "PORTLAND", State: "OR", ZIP: "97201"}
	return x12.Claim{
		ControlNumber: control,
		BillingProvider: x12.Provider{LastName: "RIVERA", FirstName: "ANA",
			NPI: "1234567893", TaxID: "123456789",
			Address: x12.Address{Line1: "12 ELM ST", City: "PORTLAND", State: "OR", ZIP: "972051234"}},
		Payer:           x12.Party{Name: "AETNA", ID: "60054"},
		FilingIndicator: "CI",
		MemberID:        "W123456789",
		Subscriber: x12.Person{LastName: "DOE", FirstName: "JAMIE",
			BirthDate: day("1990-05-01"), Sex: "F", Address: home},
		PlaceOfService: "10",
		Diagnoses:      []string{"F411"},
		Lines: []x12.Line{{Procedure: "90837", Modifiers: []string{"95"},
			ChargeCents: 18000, Units: 1, Pointers: []int{1}, Date: day("2026-12-01")}},
	}
}

func line(code string, cents int64) x12.Line {
	return x12.Line{Procedure: code, ChargeCents: cents, Units: 1, Pointers: []int{1},
		Date: day("2026-12-01")}
}

func never(Service) bool { return false }

// adj is shorthand for the adjustments a case expects.
func adj(group, reason string, cents int64) x12.Adjustment {
	return x12.Adjustment{Group: group, Reason: reason, AmountCents: cents}
}

func TestAdjudicate(t *testing.T) {
	tests := []struct {
		name   string
		payer  string
		edit   func(*x12.Claim)
		paid   func(Service) bool
		status string
		want   [][]x12.Adjustment // per line
	}{
		{name: "paid less write-off and copay", payer: "aetna", status: "1",
			want: [][]x12.Adjustment{{adj("CO", "45", 2250), adj("PR", "3", 2500)}}},
		{name: "charge under the allowed amount", payer: "aetna", status: "1",
			edit: func(c *x12.Claim) { c.Lines[0] = line("90834", 9000) },
			want: [][]x12.Adjustment{{adj("PR", "3", 2500)}}},
		{name: "Medicare coinsurance", payer: "medicare", status: "1",
			edit: func(c *x12.Claim) { c.FilingIndicator = "MB" },
			want: [][]x12.Adjustment{{adj("CO", "45", 6000), adj("PR", "2", 2400)}}},
		{name: "Medicaid, nothing owed by the patient", payer: "medicaid", status: "1",
			edit: func(c *x12.Claim) { c.Lines[0] = line("90832", 10000) },
			want: [][]x12.Adjustment{{adj("CO", "45", 4800)}}},
		{name: "copay larger than the allowed amount", payer: "oscar", status: "1",
			edit: func(c *x12.Claim) { c.Lines[0] = line("90785", 2000) },
			want: [][]x12.Adjustment{{adj("CO", "45", 500), adj("PR", "3", 1500)}}},
		{name: "copay once per claim", payer: "aetna", status: "1",
			edit: func(c *x12.Claim) {
				c.Lines = append(c.Lines, line("90785", 2000))
			},
			want: [][]x12.Adjustment{{adj("CO", "45", 2250), adj("PR", "3", 2500)},
				{adj("CO", "45", 425)}}},
		{name: "unknown member", payer: "aetna", status: "4",
			edit: func(c *x12.Claim) { c.MemberID = "W12340000" },
			want: [][]x12.Adjustment{{adj("CO", "31", 18000)}}},
		{name: "diagnosis not mental health", payer: "aetna", status: "4",
			edit: func(c *x12.Claim) { c.Diagnoses = []string{"J45.909"} },
			want: [][]x12.Adjustment{{adj("CO", "11", 18000)}}},
		{name: "family therapy for a psychosocial Z code", payer: "aetna", status: "1",
			edit: func(c *x12.Claim) {
				c.Diagnoses = []string{"Z63.0"}
				c.Lines[0] = line("90847", 11025)
			},
			want: [][]x12.Adjustment{{adj("PR", "3", 2500)}}},
		{name: "telehealth modifier in the office", payer: "aetna", status: "4",
			edit: func(c *x12.Claim) { c.PlaceOfService = "11" },
			want: [][]x12.Adjustment{{adj("CO", "4", 18000)}}},
		{name: "not covered", payer: "aetna", status: "4",
			edit: func(c *x12.Claim) { c.Lines[0] = line("96127", 2500) },
			want: [][]x12.Adjustment{{adj("CO", "96", 2500)}}},
		{name: "paid on an earlier claim", payer: "aetna", status: "4",
			paid: func(s Service) bool { return s.Procedure == "90837" },
			want: [][]x12.Adjustment{{adj("CO", "18", 18000)}}},
		{name: "the same line twice in one claim", payer: "aetna", status: "1",
			edit: func(c *x12.Claim) { c.Lines = append(c.Lines, c.Lines[0]) },
			want: [][]x12.Adjustment{{adj("CO", "45", 2250), adj("PR", "3", 2500)},
				{adj("CO", "18", 18000)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claim("INV-1")
			if tt.edit != nil {
				tt.edit(&c)
			}
			paid := tt.paid
			if paid == nil {
				paid = never
			}
			p := Adjudicate(c, TermsFor(tt.payer), paid)
			var got [][]x12.Adjustment
			var paidCents, patient int64
			for _, sp := range p.Services {
				got = append(got, sp.Adjustments)
				paidCents += sp.PaidCents
				for _, a := range sp.Adjustments {
					if a.Group == "PR" {
						patient += a.AmountCents
					}
				}
			}
			if p.Status != tt.status || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("status %s adjustments %v; want %s %v", p.Status, got, tt.status, tt.want)
			}
			if p.PaidCents != paidCents || p.PatientCents != patient ||
				p.ChargeCents != c.TotalCents() {
				t.Errorf("claim paid %d patient %d charge %d; lines say %d %d %d",
					p.PaidCents, p.PatientCents, p.ChargeCents, paidCents, patient, c.TotalCents())
			}
		})
	}
}

// TestClaimsToRemittance runs the loop the clearinghouse will: claims
// written as an 837P, read back, adjudicated, answered as an 835 and
// that 835 read by the same strict reader that posts real ones. Sending
// the same batch again pays nothing.
func TestClaimsToRemittance(t *testing.T) {
	batch := x12.Batch{
		Submitter: x12.Submitter{Name: "TEND", ID: "TEND01", Contact: "BILLING", Phone: "5035550100"},
		Receiver:  x12.Party{Name: "SIMULATED CLEARINGHOUSE", ID: "SIM"},
		Reference: "B1",
		Created:   time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC),
	}
	for i := range 5 {
		batch.Claims = append(batch.Claims, claim(fmt.Sprintf("INV-%d", i+1)))
		batch.Claims[i].Lines[0].Date = day("2026-11-24").AddDate(0, 0, i)
	}
	batch.Claims[4].MemberID = "W55550000" // denied: unknown member
	env := x12.Envelope{SenderID: "TEND01", ReceiverID: "SIM", Control: 7}

	paidBefore := map[Service]bool{}
	answer := func(control int64) []x12.Remittance {
		t.Helper()
		file, err := x12.WriteClaims(batch, env)
		if err != nil {
			t.Fatal(err)
		}
		received, err := x12.ReadClaims(file)
		if err != nil {
			t.Fatal(err)
		}
		var payments []x12.ClaimPayment
		for _, c := range received.Claims {
			p := Adjudicate(c, TermsFor("aetna"), func(s Service) bool { return paidBefore[s] })
			for _, s := range Accepted(c, p) {
				paidBefore[s] = true
			}
			payments = append(payments, p)
		}
		payee := x12.Party{Name: "ANA RIVERA", IDQualifier: "XX", ID: "1234567893"}
		r := Remit("AETNA", payee, payments, day("2026-12-21"))
		out, err := x12.WriteRemittances([]x12.Remittance{r},
			x12.Envelope{SenderID: "SIM", ReceiverID: "TEND01", Control: control}, batch.Created)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := x12.ReadRemittances(out)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}

	first := answer(1)[0]
	// Four claims of 180.00 each allowed 157.50, less a 25.00 copay.
	if first.TotalCents != 4*13250 || first.Method != "CHK" ||
		first.Payer.Name != "SIMULATED AETNA" || len(first.Claims) != 5 ||
		!first.Claims[4].Denied() {
		t.Errorf("first answer: %+v", first)
	}
	again := answer(2)[0]
	if again.TotalCents != 0 || again.Method != "NON" || again.Handling != "H" {
		t.Errorf("second answer pays %d by %s", again.TotalCents, again.Method)
	}
	for _, c := range again.Claims[:4] {
		if !c.Denied() || c.Services[0].Adjustments[0].Reason != "18" {
			t.Errorf("claim %s paid twice: %+v", c.ControlNumber, c)
		}
	}
}

func TestAnswerDate(t *testing.T) {
	received := time.Date(2026, 12, 4, 23, 30, 0, 0, time.UTC)
	seen := map[int]bool{}
	for i := range 200 {
		control := fmt.Sprintf("INV-%d", i)
		d := AnswerDate(control, received)
		days := int(d.Sub(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)).Hours() / 24)
		if days < 14 || days > 21 {
			t.Fatalf("%s answered after %d days", control, days)
		}
		if !AnswerDate(control, received).Equal(d) {
			t.Fatalf("%s answered on two dates", control)
		}
		seen[days] = true
	}
	if len(seen) < 6 {
		t.Errorf("answers fall on only %d different days", len(seen))
	}
}

func TestTermsFor(t *testing.T) {
	if got := TermsFor("no-such-payer"); got.Allowed["90837"] != 15000 || got.CopayCents != 2500 {
		t.Errorf("default terms: %+v", got)
	}
	if got := TermsFor("medicare"); got.Allowed["90837"] != 12000 || got.CoinsurancePercent != 20 {
		t.Errorf("medicare terms: %+v", got)
	}
}
