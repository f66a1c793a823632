package clients

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// recordColumns are the stored columns of an Input plus the search keys
// kept from it, in the order recordValues returns them.
const recordColumns = `first_name, last_name, preferred_name, pronouns,
	email, phone, date_of_birth, client_type, address_line1, address_line2,
	address_city, address_state, address_postal_code, emergency_name,
	emergency_relationship, emergency_phone, emergency_email, guardian_name,
	guardian_relationship, guardian_phone, guardian_email, cash_pay,
	payer_id, member_id, group_number, subscriber_name,
	subscriber_relationship, diagnoses, billing_notes, search_name,
	sort_name, phone_digits, phone_national`

// recordValues returns a normalised Input as values for recordColumns.
func recordValues(in Input) []any {
	digits, national := nationalDigits(in.Phone)
	a, e, g, ins := in.Address, in.EmergencyContact, in.Guardian, in.Insurance
	return []any{in.FirstName, in.LastName, in.PreferredName, in.Pronouns,
		in.Email, in.Phone, in.DateOfBirth, in.Type, a.Line1, a.Line2,
		a.City, a.State, a.PostalCode, e.Name, e.Relationship, e.Phone,
		e.Email, g.Name, g.Relationship, g.Phone, g.Email, in.CashPay,
		nullable(ins.PayerID), ins.MemberID, ins.GroupNumber,
		ins.SubscriberName, ins.SubscriberRelationship,
		encodeDiagnoses(in.Diagnoses), in.BillingNotes,
		searchName(in.FirstName, in.LastName, in.PreferredName),
		sortName(in.FirstName, in.LastName), digits, national}
}

// placeholders returns "$from, …, $from+n-1".
func placeholders(from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(ps, ", ")
}

func insertClient(ctx context.Context, tx *sql.Tx, id, providerID string, in Input, now time.Time) error {
	vals := recordValues(in)
	args := append([]any{id, providerID, now, now}, vals...)
	q := `INSERT INTO clients (id, provider_id, created_at, updated_at, ` +
		recordColumns + `) VALUES (` + placeholders(1, len(args)) + `)`
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("insert client: %w", err)
	}
	return nil
}

func updateClient(ctx context.Context, tx *sql.Tx, id string, in Input, now time.Time) error {
	vals := recordValues(in)
	cols := strings.Split(recordColumns, ",")
	sets := make([]string, len(cols))
	for i, col := range cols {
		sets[i] = fmt.Sprintf("%s = $%d", strings.TrimSpace(col), i+1)
	}
	args := append(vals, now, id)
	q := `UPDATE clients SET ` + strings.Join(sets, ", ") +
		fmt.Sprintf(`, updated_at = $%d WHERE id = $%d`, len(vals)+1, len(vals)+2)
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("update client: %w", err)
	}
	return nil
}

// changedFields names the fields that differ between two inputs, for
// the audit detail: names only, never values.
func changedFields(old, cur Input) string {
	pairs := []struct {
		name     string
		old, cur any
	}{
		{"first_name", old.FirstName, cur.FirstName},
		{"last_name", old.LastName, cur.LastName},
		{"preferred_name", old.PreferredName, cur.PreferredName},
		{"pronouns", old.Pronouns, cur.Pronouns},
		{"email", old.Email, cur.Email},
		{"phone", old.Phone, cur.Phone},
		{"date_of_birth", old.DateOfBirth, cur.DateOfBirth},
		{"type", old.Type, cur.Type},
		{"address", old.Address, cur.Address},
		{"emergency_contact", old.EmergencyContact, cur.EmergencyContact},
		{"guardian", old.Guardian, cur.Guardian},
		{"cash_pay", old.CashPay, cur.CashPay},
		{"insurance", withoutPayerName(old.Insurance), cur.Insurance},
		{"diagnoses", encodeDiagnoses(old.Diagnoses), encodeDiagnoses(cur.Diagnoses)},
		{"billing_notes", old.BillingNotes, cur.BillingNotes},
	}
	var names []string
	for _, p := range pairs {
		if p.old != p.cur {
			names = append(names, p.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}

func withoutPayerName(i Insurance) Insurance {
	i.PayerName = ""
	return i
}
