package x12

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sampleBatch is two claims of one therapist: an adult client's
// telehealth session and a family session billed on a parent's plan.
func sampleBatch() Batch {
	therapist := Provider{
		LastName: "RIVERA", FirstName: "ANA", NPI: "1234567893", TaxID: "123456789",
		Taxonomy: "101YP2500X",
		Address:  Address{Line1: "12 ELM ST", Line2: "SUITE 4", City: "PORTLAND", State: "OR", ZIP: "972051234"},
	}
	payer := Party{Name: "BLUE MEADOW HEALTH", IDQualifier: "PI", ID: "BMH01"}
	home := Address{Line1: "9 OAK AVE", City: "PORTLAND", State: "OR", ZIP: "97201"}
	return Batch{
		Submitter: Submitter{Name: "TEND PRACTICE", ID: "TEND01", Contact: "BILLING", Phone: "5035550100"},
		Receiver:  Party{Name: "CLEARING HOUSE", IDQualifier: "46", ID: "CH99"},
		Reference: "B20261204",
		Created:   time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC),
		Claims: []Claim{{
			ControlNumber: "INV-1001", BillingProvider: therapist, Payer: payer,
			FilingIndicator: "CI", MemberID: "XJ123456", GroupNumber: "GRP7",
			Subscriber: Person{LastName: "DOE", FirstName: "JAMIE", BirthDate: day("1990-05-01"),
				Sex: "F", Address: home},
			PlaceOfService: "10",
			Diagnoses:      []string{"F411", "F320"},
			Lines: []Line{{Procedure: "90837", Modifiers: []string{"95"}, ChargeCents: 18000,
				Units: 1, Pointers: []int{1, 2}, Date: day("2026-12-01")}},
		}, {
			ControlNumber: "INV-1002", BillingProvider: therapist, Payer: payer,
			FilingIndicator: "CI", MemberID: "XJ999000",
			Subscriber: Person{LastName: "SMITH", FirstName: "PAT"},
			Patient: &Person{LastName: "SMITH", FirstName: "LEE", MiddleName: "R",
				BirthDate: day("2012-02-29"), Sex: "U", Address: home},
			Relationship:   "19",
			PlaceOfService: "11",
			Diagnoses:      []string{"F900"},
			Lines: []Line{
				{Procedure: "90847", ChargeCents: 15050, Units: 1, Pointers: []int{1}, Date: day("2026-11-24")},
				{Procedure: "90846", ChargeCents: 14000, Units: 1, Pointers: []int{1}, Date: day("2026-12-01")},
			},
		}},
	}
}

var sampleEnvelope = Envelope{SenderID: "TEND01", ReceiverID: "CH99", Control: 42, LineBreaks: true}

func TestWriteClaimsReadsBack(t *testing.T) {
	b := sampleBatch()
	data, err := WriteClaims(b, sampleEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{
		"ISA*00*          *00*          *ZZ*TEND01         *ZZ*CH99           *261204*0930*^*00501*000000042*0*T*:~\n",
		"GS*HC*TEND01*CH99*20261204*0930*42*X*005010X222A1~\n",
		"HL*1**20*1~\nPRV*BI*PXC*101YP2500X~\nNM1*85*1*RIVERA*ANA****XX*1234567893~\n",
		"REF*EI*123456789~\nHL*2*1*22*0~\nSBR*P*18*GRP7******CI~\n",
		"DMG*D8*19900501*F~\nNM1*PR*2*BLUE MEADOW HEALTH*****PI*BMH01~\n",
		"CLM*INV-1001*180***10:B:1*Y*A*Y*Y~\nHI*ABK:F411*ABF:F320~\n",
		"LX*1~\nSV1*HC:90837:95*180*UN*1***1:2~\nDTP*472*D8*20261201~\n",
		"HL*3*1*22*1~\nSBR*P********CI~\n",
		"HL*4*3*23*0~\nPAT*19~\nNM1*QC*1*SMITH*LEE*R~\n",
		"CLM*INV-1002*290.5***11:B:1*Y*A*Y*Y~\n",
		"SE*42*0001~\nGE*1*42~\nIEA*1*000000042~\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the file lacks %q\n%s", want, text)
		}
	}

	got, err := ReadClaims(data)
	if err != nil {
		t.Fatalf("ReadClaims: %v", err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Errorf("read back\n got %+v\nwant %+v", got, b)
	}
}

func TestWriteClaimsCleansText(t *testing.T) {
	b := sampleBatch()
	b.Claims[0].Subscriber.LastName = "O'Brien-Müller*~"
	b.Claims[0].Subscriber.FirstName = "Zoë:^ Ann"
	b.Claims[0].Diagnoses = []string{"f41.1", "F32.0"}
	data, err := WriteClaims(b, sampleEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"NM1*IL*1*O'BRIEN-MULLER*ZOE ANN****MI*XJ123456~",
		"HI*ABK:F411*ABF:F320~",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the file lacks %q", want)
		}
	}
}

func TestWriteClaimsRefusesBadClaims(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(*Batch, *Envelope)
		want   string
	}{
		{"no claims", func(b *Batch, _ *Envelope) { b.Claims = nil }, "at least one claim"},
		{"control number zero", func(_ *Batch, e *Envelope) { e.Control = 0 }, "control number 0"},
		{"sender id with separator", func(_ *Batch, e *Envelope) { e.SenderID = "A*B" }, "sender and receiver"},
		{"submitter phone", func(b *Batch, _ *Envelope) { b.Submitter.Phone = "555-0100" }, "ten digits"},
		{"same claim twice", func(b *Batch, _ *Envelope) { b.Claims[1].ControlNumber = "INV-1001" },
			"appears twice"},
		{"long control number", func(b *Batch, _ *Envelope) {
			b.Claims[0].ControlNumber = strings.Repeat("A", 21)
		}, "1 to 20"},
		{"lowercase control number", func(b *Batch, _ *Envelope) { b.Claims[0].ControlNumber = "inv:1" },
			"capital letters"},
		{"NPI check digit", func(b *Batch, _ *Envelope) { b.Claims[0].BillingProvider.NPI = "1234567890" },
			"not a valid NPI"},
		{"tax id", func(b *Batch, _ *Envelope) { b.Claims[0].BillingProvider.TaxID = "12-3456789" },
			"tax id"},
		{"five-digit provider ZIP", func(b *Batch, _ *Envelope) {
			b.Claims[0].BillingProvider.Address.ZIP = "97205"
		}, "ZIP+4"},
		{"provider PO box", func(b *Batch, _ *Envelope) {
			b.Claims[0].BillingProvider.Address.Line1 = "P.O. Box 12"
		}, "not a PO box"},
		{"taxonomy", func(b *Batch, _ *Envelope) { b.Claims[0].BillingProvider.Taxonomy = "therapist" },
			"taxonomy"},
		{"filing indicator", func(b *Batch, _ *Envelope) { b.Claims[0].FilingIndicator = "XX" },
			"filing indicator"},
		{"member id with separator", func(b *Batch, _ *Envelope) { b.Claims[0].MemberID = "XJ:1" },
			"member id"},
		{"subscriber without birth date", func(b *Batch, _ *Envelope) {
			b.Claims[0].Subscriber.BirthDate = time.Time{}
		}, "subscriber date of birth"},
		{"patient sex", func(b *Batch, _ *Envelope) { b.Claims[1].Patient.Sex = "X" }, "patient sex"},
		{"relationship", func(b *Batch, _ *Envelope) { b.Claims[1].Relationship = "18" }, "relationship"},
		{"state", func(b *Batch, _ *Envelope) { b.Claims[0].Subscriber.Address.State = "Oregon" },
			"subscriber state"},
		{"place of service", func(b *Batch, _ *Envelope) { b.Claims[0].PlaceOfService = "office" },
			"place of service"},
		{"ICD-9 code", func(b *Batch, _ *Envelope) { b.Claims[0].Diagnoses = []string{"300.02"} },
			"not an ICD-10-CM code"},
		{"thirteen diagnoses", func(b *Batch, _ *Envelope) {
			b.Claims[0].Diagnoses = strings.Split("F411 F320 F321 F322 F323 F324 F325 F328 F329 F330 F331 F332 F333", " ")
		}, "1 to 12 diagnoses"},
		{"CPT code", func(b *Batch, _ *Envelope) { b.Claims[0].Lines[0].Procedure = "9083" }, "not a CPT"},
		{"modifier", func(b *Batch, _ *Envelope) { b.Claims[0].Lines[0].Modifiers = []string{"095"} }, "modifier"},
		{"free session", func(b *Batch, _ *Envelope) { b.Claims[0].Lines[0].ChargeCents = 0 }, "more than zero"},
		{"no units", func(b *Batch, _ *Envelope) { b.Claims[0].Lines[0].Units = 0 }, "units"},
		{"pointer past the diagnoses", func(b *Batch, _ *Envelope) {
			b.Claims[0].Lines[0].Pointers = []int{3}
		}, "pointer 3"},
		{"service after the batch", func(b *Batch, _ *Envelope) {
			b.Claims[0].Lines[0].Date = day("2026-12-05")
		}, "date of service"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, env := sampleBatch(), sampleEnvelope
			tt.break_(&b, &env)
			data, err := WriteClaims(b, env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if data != nil {
				t.Errorf("a file was written for a refused batch")
			}
		})
	}
}

func TestWriteClaimsListsEveryProblem(t *testing.T) {
	b := sampleBatch()
	b.Claims[0].Lines[0].Procedure = "x"
	b.Claims[1].MemberID = ""
	_, err := WriteClaims(b, sampleEnvelope)
	if err == nil || !strings.Contains(err.Error(), "claim INV-1001: line 1: procedure") ||
		!strings.Contains(err.Error(), "claim INV-1002: member id") {
		t.Fatalf("err = %v, want both problems", err)
	}
}

func TestReadClaimsRealFiles(t *testing.T) {
	names, err := filepath.Glob("testdata/837P/*.837")
	if err != nil || len(names) == 0 {
		t.Fatalf("no 837 files: %v", err)
	}
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data := readFile(t, name)
			b, err := ReadClaims(data)
			if strings.Contains(string(data), "HC>") {
				// These files write ">" though their ISA says ":".
				if err == nil || !strings.Contains(err.Error(), "component separator") {
					t.Fatalf("err = %v, want the separator named", err)
				}
				b, err = ReadClaims([]byte(strings.ReplaceAll(string(data), ">", ":")))
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Claims) == 0 {
				t.Fatal("no claims")
			}
			for _, c := range b.Claims {
				if c.ControlNumber == "" || c.BillingProvider.NPI == "" ||
					len(c.Lines) == 0 || c.Lines[0].Date.IsZero() {
					t.Errorf("claim incomplete: %+v", c)
				}
			}
		})
	}
}

func TestReadClaimsExample1(t *testing.T) {
	b, err := ReadClaims(readFile(t, "testdata/837P/demo.example1.837"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Claims) != 1 {
		t.Fatalf("%d claims", len(b.Claims))
	}
	c := b.Claims[0]
	got := []any{c.ControlNumber, c.TotalCents(), len(c.Lines), c.Patient.FirstName,
		c.Relationship, c.Payer.ID, c.Diagnoses, c.BillingProvider.TaxID,
		c.Lines[2].Procedure, c.Lines[2].Pointers, c.Lines[2].Date}
	want := []any{"26463774", int64(10000), 4, "TED", "19", "999996666",
		[]string{"0340", "V7389"}, "587654321", "99214", []int{2}, day("2006-10-10")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestReadClaimsRefusesWrongTotal(t *testing.T) {
	data := fix(readFile(t, "testdata/837P/demo.example1.837"),
		"CLM*26463774*100.00*", "CLM*26463774*110.00*")
	_, err := ReadClaims(data)
	if err == nil || !strings.Contains(err.Error(), "total 110 is not the sum of its lines, 100") {
		t.Fatalf("err = %v", err)
	}
}
