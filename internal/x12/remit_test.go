package x12

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadRemittancesManagedCare(t *testing.T) {
	// The file's payment date, BPR16, is 20002316: month 23.
	data := readFile(t, "testdata/835/managed-care.835")
	if _, err := ReadRemittances(data); err == nil ||
		!strings.Contains(err.Error(), "20002316") {
		t.Fatalf("the file with month 23 was read: %v", err)
	}
	got, err := ReadRemittances(fix(data, "*20002316~", "*20020316~"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Remittance{{
		Payer: Party{Name: "RUSHMORE LIFE"},
		PayerAddress: Address{Line1: "10 SOUTH AVENUE", City: "RAPID CITY",
			State: "SD", ZIP: "55111"},
		Payee:       Party{Name: "ACME MEDICAL CENTER", IDQualifier: "XX", ID: "5544667733"},
		Handling:    "I",
		Method:      "ACH",
		TotalCents:  94500,
		IssuedOn:    day("2002-03-16"),
		Trace:       "7170066655",
		TraceIssuer: "1935665544",
		Claims: []ClaimPayment{{
			ControlNumber: "5554555444", Status: "1",
			ChargeCents: 80000, PaidCents: 45000, PatientCents: 30000,
			PayerClaimID: "94060555410000", FilingIndicator: "12",
			Patient:     Person{LastName: "BUDD", FirstName: "WILLIAM"},
			MemberID:    "33344555510",
			Adjustments: []Adjustment{{"CO", "A2", 5000}},
			Services: []ServicePayment{{
				Qualifier: "HC", Code: "99211", Date: day("2002-03-01"),
				ChargeCents: 80000, PaidCents: 50000,
				Adjustments: []Adjustment{{"PR", "1", 30000}},
			}},
		}, {
			ControlNumber: "8765432112", Status: "1",
			ChargeCents: 120000, PaidCents: 49500, PatientCents: 60000,
			PayerClaimID: "94077799230000", FilingIndicator: "12",
			Patient:     Person{LastName: "SETTLE", FirstName: "SUSAN"},
			MemberID:    "44455666610",
			Adjustments: []Adjustment{{"CO", "A2", 5500}},
			Services: []ServicePayment{{
				Qualifier: "HC", Code: "93555", Date: day("2002-03-10"),
				ChargeCents: 120000, PaidCents: 55000,
				Adjustments: []Adjustment{{"PR", "1", 60000}, {"CO", "45", 5000}},
			}},
		}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// fix returns data with old replaced by new, failing the test when old
// is not there, so a correction cannot silently stop applying.
func fix(data []byte, old, new string) []byte {
	s := string(data)
	if !strings.Contains(s, old) {
		panic("fix: " + old + " is not in the file")
	}
	return []byte(strings.ReplaceAll(s, old, new))
}

func TestReadRemittancesRealFiles(t *testing.T) {
	tests := []struct {
		file string
		// refused is what the file as copied is refused for, and fixes
		// are the corrections that make it readable; both empty when
		// the file reads as it is.
		refused string
		fixes   []string
		total   int64
		claims  []string // control number and status of each claim
		plb     int64
	}{
		{file: "medicare-part-a.835", total: 15000000,
			claims: []string{"666123/1", "777777/1"}, plb: -127},
		{file: "secondary-payment.835", refused: `qualifier "HC>12345>26"`,
			fixes: []string{"HC>", "HC:", "5>26", "5:26", "3>26", "3:26"},
			total: 122200, claims: []string{"L0004828311/2", "0001000053/2"}},
		{file: "cob-contractural-adjustment.835", refused: "HC>55669",
			fixes: []string{"HC>", "HC:"},
			total: 3400, claims: []string{"0001000055/2"}},
		{file: "tertiary-payment.835", refused: "no procedure code",
			fixes: []string{"SVC*HC*24599.00*", "SVC*HC:24599*"},
			total: 18750, claims: []string{"0001000054/3"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFile(t, filepath.Join("testdata/835", tt.file))
			if tt.refused != "" {
				_, err := ReadRemittances(data)
				if err == nil || !strings.Contains(err.Error(), tt.refused) {
					t.Fatalf("err = %v, want it to mention %s", err, tt.refused)
				}
				for i := 0; i < len(tt.fixes); i += 2 {
					data = fix(data, tt.fixes[i], tt.fixes[i+1])
				}
			}
			rs, err := ReadRemittances(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != 1 {
				t.Fatalf("%d remittances, want 1", len(rs))
			}
			r := rs[0]
			var claims []string
			for _, c := range r.Claims {
				claims = append(claims, c.ControlNumber+"/"+c.Status)
			}
			var plb int64
			for _, pa := range r.ProviderAdjustments {
				plb += pa.AmountCents
			}
			if r.TotalCents != tt.total || !reflect.DeepEqual(claims, tt.claims) ||
				plb != tt.plb {
				t.Errorf("total %d claims %v plb %d; want %d %v %d",
					r.TotalCents, claims, plb, tt.total, tt.claims, tt.plb)
			}
		})
	}
}

func TestReadRemittancesRefusesWhatDoesNotBalance(t *testing.T) {
	data := readFile(t, "testdata/835/managed-care.835")
	data = fix(data, "*20002316~", "*20020316~")
	tests := []struct {
		name, old, new, want string
	}{
		{"payment total", "BPR*I*945.00*", "BPR*I*954.00*",
			"payment 954 is not the claims paid less provider adjustments, 945"},
		{"claim adjustment", "CAS*CO*A2*50.00~", "CAS*CO*A2*5.00~",
			"claim 5554555444 does not balance"},
		{"service payment", "SVC*HC:99211*800.00*500.00~", "SVC*HC:99211*800.00*550.00~",
			"service 99211 does not balance"},
		{"fraction of a cent", "CAS*PR*1*300.00~", "CAS*PR*1*300.001~",
			"fractions of a cent"},
		{"claim without amounts", "CLP*5554555444*1*800.00*450.00*", "CLP*5554555444*1**450.00*",
			"empty"},
		{"adjustment before any claim", "LX*1~", "CAS*CO*45*1.00~",
			"before any claim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := fix(data, tt.old, tt.new)
			_, err := ReadRemittances(bad)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestReadRemittancesRefusesOtherTransactions(t *testing.T) {
	_, err := ReadRemittances(readFile(t, "testdata/837P/demo.example1.837"))
	if err == nil || !strings.Contains(err.Error(), "not an 835") {
		t.Fatalf("an 837 was read as a remittance: %v", err)
	}
}
