package clients_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

// aetna is a payer the migration seeds.
const aetna = "0190a000-0000-7000-8000-000000000001"

func TestCreateValidation(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*clients.Input)
		fields []string // every field that must be reported
	}{
		{"future date of birth", func(in *clients.Input) { in.DateOfBirth = "2026-03-03" },
			[]string{"date_of_birth"}},
		{"date of birth before 1900", func(in *clients.Input) { in.DateOfBirth = "1899-12-31" },
			[]string{"date_of_birth"}},
		{"date of birth not a date", func(in *clients.Input) { in.DateOfBirth = "05/17/1990" },
			[]string{"date_of_birth"}},
		{"malformed email", func(in *clients.Input) { in.Email = "jamie@" }, []string{"email"}},
		{"email with a display name", func(in *clients.Input) { in.Email = "Jamie <j@example.com>" },
			[]string{"email"}},
		{"email without a domain dot", func(in *clients.Input) { in.Email = "jamie@localhost" },
			[]string{"email"}},
		{"malformed phone", func(in *clients.Input) { in.Phone = "555-CALL-NOW" }, []string{"phone"}},
		{"names missing", func(in *clients.Input) { in.FirstName, in.LastName = " ", "" },
			[]string{"first_name", "last_name"}},
		{"name too long", func(in *clients.Input) { in.LastName = string(make([]byte, 101)) },
			[]string{"last_name"}},
		{"unknown type", func(in *clients.Input) { in.Type = "child" }, []string{"type"}},
		{"minor without guardian", func(in *clients.Input) {
			in.Type, in.DateOfBirth = clients.TypeMinor, "2014-01-01"
		}, []string{"guardian.name", "guardian.phone"}},
		{"minor who is an adult", func(in *clients.Input) {
			in.Type = clients.TypeMinor
			in.Guardian = clients.Contact{Name: "Pat Chen", Phone: "212 555 0100"}
		}, []string{"date_of_birth"}},
		{"malformed ICD-10 code", func(in *clients.Input) {
			in.Diagnoses = []clients.Diagnosis{{Code: "F4.11", Description: "PTSD"}}
		}, []string{"diagnoses[0].code"}},
		{"diagnosis without description", func(in *clients.Input) {
			in.Diagnoses = []clients.Diagnosis{{Code: "F41.1"}}
		}, []string{"diagnoses[0].description"}},
		{"unknown payer", func(in *clients.Input) {
			in.Insurance = clients.Insurance{PayerID: store.NewID(), MemberID: "W123"}
		}, []string{"insurance.payer_id"}},
		{"insurance without member id", func(in *clients.Input) {
			in.Insurance = clients.Insurance{PayerID: aetna}
		}, []string{"insurance.member_id"}},
		{"bad subscriber relationship", func(in *clients.Input) {
			in.Insurance = clients.Insurance{PayerID: aetna, MemberID: "W1",
				SubscriberRelationship: "cousin"}
		}, []string{"insurance.subscriber_relationship"}},
		{"bad state and zip", func(in *clients.Input) {
			in.Address = clients.Address{State: "XX", PostalCode: "1120"}
		}, []string{"address.state", "address.postal_code"}},
		{"emergency contact without name", func(in *clients.Input) {
			in.EmergencyContact = clients.Contact{Phone: "212 555 0199"}
		}, []string{"emergency_contact.name"}},
		{"several problems at once", func(in *clients.Input) {
			in.Email, in.Phone, in.DateOfBirth = "nope", "12", "3000-01-01"
		}, []string{"email", "phone", "date_of_birth"}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := input("Jamie", "Chen", "jamie@example.com")
				tt.edit(&in)
				_, err := e.svc.Create(ctx, e.a, in)
				errs, ok := validation.From(err)
				if !ok {
					t.Fatalf("Create = %v, want validation errors", err)
				}
				for _, f := range tt.fields {
					if !errs.Has(f) {
						t.Errorf("no problem reported for %s; got %v", f, errs)
					}
				}
				if len(errs) != len(tt.fields) {
					t.Errorf("got %d problems (%v), want %d", len(errs), errs, len(tt.fields))
				}
			})
		}
		if n := e.count(t, e.a); n != 0 {
			t.Fatalf("rejected creates left %d clients", n)
		}
	})
}

func TestCreateNormalizes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		in := input(" Jamie ", "Chen", " Jamie.Chen@Example.COM ")
		in.Phone = "212.555.0147"
		in.Type = clients.TypeMinor
		in.DateOfBirth = "2012-06-01"
		in.Guardian = clients.Contact{Name: "Pat Chen", Relationship: "parent", Phone: "(718) 555-0100"}
		in.Diagnoses = []clients.Diagnosis{{Code: "f411", Description: "Generalized anxiety disorder"}}
		in.Insurance = clients.Insurance{PayerID: aetna, MemberID: "W123", SubscriberRelationship: "child",
			SubscriberName: "Pat Chen"}
		c := e.create(t, e.a, in)
		if c.FirstName != "Jamie" || c.Email != "jamie.chen@example.com" || c.Phone != "+12125550147" {
			t.Errorf("not normalised: %q %q %q", c.FirstName, c.Email, c.Phone)
		}
		if c.Guardian.Phone != "+17185550100" || c.Diagnoses[0].Code != "F41.1" {
			t.Errorf("guardian phone %q, code %q", c.Guardian.Phone, c.Diagnoses[0].Code)
		}
		if c.Insurance.PayerName != "Aetna" || c.Status != clients.StatusActive || c.Type != clients.TypeMinor {
			t.Errorf("payer %q, status %q, type %q", c.Insurance.PayerName, c.Status, c.Type)
		}

		// Cash pay clears the policy.
		in2 := c.Input()
		in2.CashPay = true
		got, err := e.svc.Update(context.Background(), e.a, c.ID, in2)
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		if !got.CashPay || got.Insurance != (clients.Insurance{}) {
			t.Errorf("cash pay kept insurance %+v", got.Insurance)
		}
	})
}

func TestDuplicateEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		first := e.create(t, e.a, input("Jamie", "Chen", "jamie@example.com"))

		_, err := e.svc.Create(ctx, e.a, input("James", "Chen", "JAMIE@example.com"))
		if errs, ok := validation.From(err); !ok || !errs.Has("email") {
			t.Fatalf("second client with the same email = %v, want a problem on email", err)
		}
		// Another provider may have a client with the same address.
		e.create(t, e.b, input("Jamie", "Chen", "jamie@example.com"))

		// Changing another client to the taken address fails too, and
		// changes nothing.
		other := e.create(t, e.a, input("Kai", "Lee", "kai@example.com"))
		in := other.Input()
		in.Email, in.FirstName = "jamie@example.com", "Kaito"
		_, err = e.svc.Update(ctx, e.a, other.ID, in)
		if errs, ok := validation.From(err); !ok || !errs.Has("email") {
			t.Fatalf("update to a taken email = %v, want a problem on email", err)
		}
		got, err := e.svc.Get(ctx, e.a, other.ID)
		if err != nil || got.FirstName != "Kai" || got.Email != "kai@example.com" {
			t.Fatalf("rejected update changed the client: %+v, %v", got, err)
		}
		// Keeping one's own address is fine.
		if _, err := e.svc.Update(ctx, e.a, first.ID, first.Input()); err != nil {
			t.Fatalf("update keeping own email: %v", err)
		}
		if n := e.count(t, e.a); n != 2 {
			t.Fatalf("provider A has %d clients, want 2", n)
		}
	})
}

// count returns how many clients the provider has, in every tab.
func (e *env) count(t testing.TB, actor interface{}) int {
	t.Helper()
	var n int
	err := e.db.Reader().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM clients WHERE provider_id = $1`, e.a.ProviderID).Scan(&n)
	if err != nil {
		t.Fatalf("count clients: %v", err)
	}
	return n
}

var _ = errors.Is
