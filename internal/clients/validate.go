package clients

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/validation"
)

// Length limits, in characters.
const (
	maxName         = 100
	maxPronouns     = 40
	maxEmail        = 254
	maxAddressLine  = 200
	maxCity         = 100
	maxContactName  = 200
	maxRelationship = 100
	maxPolicyField  = 50
	maxDescription  = 250
	maxDiagnoses    = 12
	maxBillingNotes = 2000
)

// usStates are the two-letter codes of the states, the District of
// Columbia and the inhabited territories.
var usStates = strings.Fields(`AL AK AZ AR CA CO CT DE DC FL GA HI ID IL
	IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK
	OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI`)

// checker collects the problems with one Input while normalising it.
type checker struct {
	errs validation.Errors
	now  time.Time
}

// normalize trims and checks in, returning the cleaned copy to store
// and every problem found. It does not touch the database; the service
// adds the checks that need it (payer, duplicate email).
func normalize(in Input, now time.Time) (Input, validation.Errors) {
	c := &checker{now: now}
	out := in
	out.FirstName = c.text("first_name", in.FirstName, maxName, true)
	out.LastName = c.text("last_name", in.LastName, maxName, true)
	out.PreferredName = c.text("preferred_name", in.PreferredName, maxName, false)
	out.Pronouns = c.text("pronouns", in.Pronouns, maxPronouns, false)
	out.Email = c.email("email", in.Email)
	out.Phone = c.phone("phone", in.Phone)
	out.DateOfBirth = c.birthDate("date_of_birth", in.DateOfBirth)
	out.Type = c.clientType(in.Type)
	out.Address = c.address(in.Address)
	out.EmergencyContact = c.contact("emergency_contact", in.EmergencyContact)
	out.Guardian = c.contact("guardian", in.Guardian)
	out.Insurance = c.insurance(in.CashPay, in.Insurance)
	out.Diagnoses = c.diagnoses(in.Diagnoses)
	out.BillingNotes = c.text("billing_notes", in.BillingNotes, maxBillingNotes, false)

	if out.Type == TypeMinor {
		c.minor(out)
	}
	return out, c.errs
}

// text trims s and checks it is present when required, within max
// characters and free of control characters (newlines are allowed in
// long text only).
func (c *checker) text(field, s string, max int, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		c.errs.Add(field, "This field is required.")
	case !utf8.ValidString(s):
		c.errs.Add(field, "Use plain text.")
	case utf8.RuneCountInString(s) > max:
		c.errs.Add(field, fmt.Sprintf("Use at most %d characters.", max))
	case strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && (max < maxBillingNotes || (r != '\n' && r != '\r' && r != '\t'))
	}):
		c.errs.Add(field, "Use plain text without control characters.")
	}
	return s
}

func (c *checker) email(field, s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	addr, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	if err != nil || addr.Address != s || len(s) > maxEmail ||
		at < 0 || !strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		c.errs.Add(field, "Enter a valid email address, like name@example.com.")
	}
	return s
}

func (c *checker) phone(field, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	p, err := NormalizePhone(s)
	if err != nil {
		c.errs.Add(field, "Enter a valid phone number, like (212) 555-0147 or +44 20 7946 0958.")
		return strings.TrimSpace(s)
	}
	return p
}

func (c *checker) birthDate(field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	d, err := time.Parse(time.DateOnly, s)
	today := c.now.UTC().Truncate(24 * time.Hour)
	switch {
	case err != nil:
		c.errs.Add(field, "Enter the date of birth as YYYY-MM-DD.")
	case d.After(today):
		c.errs.Add(field, "The date of birth cannot be in the future.")
	case d.Year() < 1900:
		c.errs.Add(field, "Enter a date of birth after 1900.")
	}
	return s
}

func (c *checker) clientType(t string) string {
	t = strings.TrimSpace(t)
	if t == "" {
		return TypeAdult
	}
	if t != TypeAdult && t != TypeMinor && t != TypeCoupleFamily {
		c.errs.Add("type", "Choose adult, minor or couple/family.")
	}
	return t
}

func (c *checker) address(a Address) Address {
	a.Line1 = c.text("address.line1", a.Line1, maxAddressLine, false)
	a.Line2 = c.text("address.line2", a.Line2, maxAddressLine, false)
	a.City = c.text("address.city", a.City, maxCity, false)
	a.State = strings.ToUpper(strings.TrimSpace(a.State))
	if a.State != "" && !slices.Contains(usStates, a.State) {
		c.errs.Add("address.state", "Use a two-letter US state code, like NY.")
	}
	a.PostalCode = strings.TrimSpace(a.PostalCode)
	if a.PostalCode != "" && !validZIP(a.PostalCode) {
		c.errs.Add("address.postal_code", "Enter a ZIP code like 11201 or 11201-1234.")
	}
	return a
}

// validZIP accepts five digits, optionally followed by - and four more.
func validZIP(s string) bool {
	if len(s) != 5 && len(s) != 10 {
		return false
	}
	for i := range len(s) {
		if i == 5 {
			if s[i] != '-' {
				return false
			}
			continue
		}
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func (c *checker) contact(prefix string, k Contact) Contact {
	k.Name = c.text(prefix+".name", k.Name, maxContactName, false)
	k.Relationship = c.text(prefix+".relationship", k.Relationship, maxRelationship, false)
	k.Phone = c.phone(prefix+".phone", k.Phone)
	k.Email = c.email(prefix+".email", k.Email)
	if k.Name == "" && (k.Phone != "" || k.Email != "") && !c.errs.Has(prefix+".name") {
		c.errs.Add(prefix+".name", "Enter the contact's name.")
	}
	return k
}

// minor checks what a minor's record needs: a guardian to reach and a
// date of birth less than 18 years ago.
func (c *checker) minor(in Input) {
	g := in.Guardian
	if g.Name == "" && !c.errs.Has("guardian.name") {
		c.errs.Add("guardian.name", "A minor needs a parent or guardian; enter their name.")
	}
	if g.Phone == "" && g.Email == "" && !c.errs.Has("guardian.phone") {
		c.errs.Add("guardian.phone", "Enter a phone number or email for the guardian.")
	}
	if d, err := time.Parse(time.DateOnly, in.DateOfBirth); err == nil &&
		!d.AddDate(18, 0, 0).After(c.now) && !c.errs.Has("date_of_birth") {
		c.errs.Add("date_of_birth", "A minor must be under 18; check the date of birth or the client type.")
	}
}

// insurance clears the policy for cash-pay clients; otherwise a policy,
// once any part of it is given, needs a payer and a member id.
func (c *checker) insurance(cashPay bool, ins Insurance) Insurance {
	ins.PayerName = ""
	if cashPay {
		return Insurance{}
	}
	ins.PayerID = strings.TrimSpace(ins.PayerID)
	ins.MemberID = c.text("insurance.member_id", ins.MemberID, maxPolicyField, false)
	ins.GroupNumber = c.text("insurance.group_number", ins.GroupNumber, maxPolicyField, false)
	ins.SubscriberName = c.text("insurance.subscriber_name", ins.SubscriberName, maxContactName, false)
	ins.SubscriberRelationship = strings.ToLower(strings.TrimSpace(ins.SubscriberRelationship))
	if ins == (Insurance{}) {
		return ins
	}
	if ins.PayerID == "" {
		c.errs.Add("insurance.payer_id", "Choose the insurance company, or mark the client as cash pay.")
	}
	if ins.MemberID == "" && !c.errs.Has("insurance.member_id") {
		c.errs.Add("insurance.member_id", "Enter the member id from the insurance card.")
	}
	if ins.SubscriberRelationship == "" {
		ins.SubscriberRelationship = "self"
	}
	switch {
	case !slices.Contains(subscriberRelationships, ins.SubscriberRelationship):
		c.errs.Add("insurance.subscriber_relationship", "Choose self, spouse, child or other.")
	case ins.SubscriberRelationship != "self" && ins.SubscriberName == "" &&
		!c.errs.Has("insurance.subscriber_name"):
		c.errs.Add("insurance.subscriber_name", "Enter the name of the policy holder.")
	}
	return ins
}

func (c *checker) diagnoses(in []Diagnosis) []Diagnosis {
	if len(in) > maxDiagnoses {
		c.errs.Add("diagnoses", fmt.Sprintf("List at most %d diagnoses.", maxDiagnoses))
		return in
	}
	out := make([]Diagnosis, 0, len(in))
	seen := map[string]bool{}
	for i, d := range in {
		field := fmt.Sprintf("diagnoses[%d]", i)
		code := normalizeICD10(d.Code)
		switch {
		case code == "":
			c.errs.Add(field+".code", "Enter the ICD-10 code.")
		case !ValidICD10(code):
			c.errs.Add(field+".code", "Enter an ICD-10-CM code like F41.1 or F32.A.")
		case seen[code]:
			c.errs.Add(field+".code", "This diagnosis is listed twice.")
		}
		seen[code] = true
		desc := c.text(field+".description", d.Description, maxDescription, true)
		out = append(out, Diagnosis{Code: code, Description: desc})
	}
	return out
}
