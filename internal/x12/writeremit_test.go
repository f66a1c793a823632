package x12

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// sampleRemittance is what a payer might answer to sampleBatch: the
// first claim paid less a copay and the contractual write-off, the
// second denied, and interest for paying late.
func sampleRemittance() Remittance {
	return Remittance{
		Payer:        Party{Name: "BLUE MEADOW HEALTH"},
		PayerAddress: Address{Line1: "1 PAYER WAY", City: "SALEM", State: "OR", ZIP: "97301"},
		PayerPhone:   "8005550199",
		Payee:        Party{Name: "ANA RIVERA", IDQualifier: "XX", ID: "1234567893"},
		Handling:     "C", Method: "CHK", TotalCents: 12125,
		IssuedOn: day("2026-12-18"), Trace: "CHK000123", TraceIssuer: "1999999999",
		Claims: []ClaimPayment{{
			ControlNumber: "INV-1001", Status: "1", FilingIndicator: "12",
			ChargeCents: 18000, PaidCents: 12000, PatientCents: 2000,
			PayerClaimID: "BMH-77",
			Patient:      Person{LastName: "DOE", FirstName: "JAMIE"}, MemberID: "XJ123456",
			Services: []ServicePayment{{
				Qualifier: "HC", Code: "90837", Modifiers: []string{"95"},
				ChargeCents: 18000, PaidCents: 12000, Date: day("2026-12-01"),
				Adjustments: []Adjustment{{"CO", "45", 4000}, {"PR", "3", 2000}},
			}},
		}, {
			ControlNumber: "INV-1002", Status: "4", FilingIndicator: "12",
			ChargeCents: 29050, PaidCents: 0,
			Patient:     Person{LastName: "SMITH", FirstName: "LEE", MiddleName: "R"},
			Adjustments: []Adjustment{{"CO", "27", 29050}},
		}},
		ProviderAdjustments: []ProviderAdjustment{{Reason: "L6", Reference: "INV-1001", AmountCents: -125}},
	}
}

func TestWriteRemittancesReadsBack(t *testing.T) {
	r := sampleRemittance()
	created := time.Date(2026, 12, 18, 6, 0, 0, 0, time.UTC)
	data, err := WriteRemittances([]Remittance{r}, sampleEnvelope, created)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"GS*HP*TEND01*CH99*20261218*0600*42*X*005010X221A1~\nST*835*0001~\n",
		"BPR*C*121.25*C*CHK************20261218~\nTRN*1*CHK000123*1999999999~\n",
		"CLP*INV-1001*1*180*120*20*12*BMH-77~\nNM1*QC*1*DOE*JAMIE****MI*XJ123456~\n",
		"SVC*HC:90837:95*180*120~\nDTM*472*20261201~\nCAS*CO*45*40~\nCAS*PR*3*20~\n",
		"CLP*INV-1002*4*290.5*0*0*12~\nCAS*CO*27*290.5~\n",
		"PLB*1234567893*20261231*L6:INV-1001*-1.25~\n",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the file lacks %q\n%s", want, data)
		}
	}
	got, err := ReadRemittances(data)
	if err != nil {
		t.Fatalf("ReadRemittances: %v", err)
	}
	if !reflect.DeepEqual(got, []Remittance{r}) {
		t.Errorf("read back\n got %+v\nwant %+v", got, []Remittance{r})
	}
}

func TestCASSegmentsSplitAtSixAmounts(t *testing.T) {
	var as []Adjustment
	for i := range 7 {
		as = append(as, Adjustment{"CO", "45", int64(i + 1)})
	}
	as = append(as, Adjustment{"PR", "1", 100})
	got := casSegments(as)
	want := []Segment{
		{"CAS", "CO", "45", "0.01", "", "45", "0.02", "", "45", "0.03", "", "45", "0.04",
			"", "45", "0.05", "", "45", "0.06"},
		{"CAS", "CO", "45", "0.07"},
		{"CAS", "PR", "1", "1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestWriteRemittancesRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Remittance)
		want string
	}{
		{"does not balance", func(r *Remittance) { r.TotalCents = 12000 }, "payment 120 is not"},
		{"claim does not balance", func(r *Remittance) { r.Claims[1].Adjustments = nil },
			"claim INV-1002 does not balance"},
		{"ACH", func(r *Remittance) { r.Method = "ACH" }, "not CHK or NON"},
		{"no payment that pays", func(r *Remittance) { r.Method = "NON" }, "pays nothing"},
		{"no trace", func(r *Remittance) { r.Trace = "" }, "trace number"},
		{"payer address", func(r *Remittance) { r.PayerAddress.ZIP = "9730" }, "payer ZIP"},
		{"claim without patient", func(r *Remittance) { r.Claims[0].Patient.LastName = "" },
			"patient are required"},
		{"service code", func(r *Remittance) { r.Claims[0].Services[0].Code = "90837*1" },
			"not an HC procedure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleRemittance()
			tt.edit(&r)
			data, err := WriteRemittances([]Remittance{r}, sampleEnvelope, day("2026-12-18"))
			if err == nil || !strings.Contains(err.Error(), tt.want) || data != nil {
				t.Fatalf("err = %v, want it to mention %q and no file", err, tt.want)
			}
		})
	}
}
