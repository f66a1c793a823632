package x12

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/validation"
)

// Limits the 005010X222A1 guide sets on a claim.
const (
	maxControlNumber = 20 // CLM01 as payers read it
	maxDiagnoses     = 12 // HI
	maxLines         = 50 // loop 2400
	maxPointers      = 4  // SV107
	maxModifiers     = 4  // SV101-3 to -6
	maxUnits         = 9999
)

var (
	controlNumber = regexp.MustCompile(`^[0-9A-Z-]{1,20}$`)
	procedureCode = regexp.MustCompile(`^[0-9A-Z][0-9]{3}[0-9A-Z]$`)
	modifierCode  = regexp.MustCompile(`^[0-9A-Z]{2}$`)
	icd10Code     = regexp.MustCompile(`^[A-TV-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$`)
	digits        = regexp.MustCompile(`^[0-9]+$`)
	identifier    = regexp.MustCompile(`^[0-9A-Za-z-]{1,80}$`)
	taxonomyCode  = regexp.MustCompile(`^[0-9]{3}[0-9A-Z]{6}X$`)
	stateCode     = regexp.MustCompile(`^[A-Z]{2}$`)
	posCode       = regexp.MustCompile(`^[0-9]{2}$`)
)

// checkBatch lists everything in b and env that would make the file
// wrong, so a biller sees every problem at once rather than one per try.
func checkBatch(b Batch, env Envelope) error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}

	errs = append(errs, checkEnvelope(env)...)
	if b.Submitter.Name == "" || b.Submitter.Contact == "" ||
		!identifier.MatchString(b.Submitter.ID) {
		add("submitter name, id (letters, digits and -) and contact are required")
	}
	if len(b.Submitter.Phone) != 10 || !digits.MatchString(b.Submitter.Phone) {
		add("submitter phone must be ten digits")
	}
	if b.Receiver.Name == "" || !identifier.MatchString(b.Receiver.ID) {
		add("receiver name and id (letters, digits and -) are required")
	}
	if !identifier.MatchString(b.Reference) || len(b.Reference) > 30 ||
		b.Created.IsZero() {
		add("batch reference (1 to 30 characters) and creation time are required")
	}
	if len(b.Claims) == 0 {
		add("a batch needs at least one claim")
	}
	seen := map[string]bool{}
	for i, c := range b.Claims {
		name := fmt.Sprintf("claim %d", i+1)
		if c.ControlNumber != "" {
			name = "claim " + c.ControlNumber
		}
		if seen[c.ControlNumber] {
			add("%s: control number appears twice in the batch", name)
		}
		seen[c.ControlNumber] = true
		for _, err := range checkClaim(c, b.Created) {
			add("%s: %w", name, err)
		}
	}
	return errors.Join(errs...)
}

// checkEnvelope lists what is wrong with the ids and control number of
// a file.
func checkEnvelope(env Envelope) []error {
	var errs []error
	if !identifier.MatchString(env.SenderID) || len(env.SenderID) > 15 ||
		!identifier.MatchString(env.ReceiverID) || len(env.ReceiverID) > 15 {
		errs = append(errs, errors.New("sender and receiver ids must be 1 to 15 letters, digits and -"))
	}
	if env.Control < 1 || env.Control > 999999999 {
		errs = append(errs, fmt.Errorf("control number %d is not between 1 and 999999999", env.Control))
	}
	return errs
}

// checkClaim lists what is wrong with one claim.
func checkClaim(c Claim, created time.Time) []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}

	if !controlNumber.MatchString(c.ControlNumber) {
		add("control number must be 1 to %d capital letters, digits and -",
			maxControlNumber)
	}
	errs = append(errs, checkProvider(c.BillingProvider)...)
	if c.Payer.Name == "" || !identifier.MatchString(c.Payer.ID) {
		add("payer name and id (letters, digits and -) are required")
	}
	if !validFilingIndicator(c.FilingIndicator) {
		add("claim filing indicator %q is not one the 837P allows", c.FilingIndicator)
	}
	if !identifier.MatchString(c.MemberID) {
		add("member id is required and may hold only letters, digits and -")
	}
	errs = append(errs, checkPerson("subscriber", c.Subscriber, c.Patient == nil)...)
	if c.Patient != nil {
		errs = append(errs, checkPerson("patient", *c.Patient, true)...)
		switch c.Relationship {
		case "01", "19", "20", "21", "39", "40", "53", "G8":
		default:
			add("patient relationship %q is not a PAT01 code", c.Relationship)
		}
	}
	if !posCode.MatchString(c.PlaceOfService) {
		add("place of service %q is not a two-digit code", c.PlaceOfService)
	}
	if len(c.Diagnoses) == 0 || len(c.Diagnoses) > maxDiagnoses {
		add("a claim needs 1 to %d diagnoses", maxDiagnoses)
	}
	for _, d := range c.Diagnoses {
		if !icd10Code.MatchString(diagnosisCode(d)) {
			add("diagnosis %q is not an ICD-10-CM code", d)
		}
	}
	if len(c.Lines) == 0 || len(c.Lines) > maxLines {
		add("a claim needs 1 to %d service lines", maxLines)
	}
	for i, l := range c.Lines {
		for _, err := range checkLine(l, len(c.Diagnoses), created) {
			add("line %d: %w", i+1, err)
		}
	}
	return errs
}

func checkLine(l Line, diagnoses int, created time.Time) []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if !procedureCode.MatchString(l.Procedure) {
		add("procedure %q is not a CPT or HCPCS code", l.Procedure)
	}
	if len(l.Modifiers) > maxModifiers {
		add("at most %d modifiers", maxModifiers)
	}
	for _, m := range l.Modifiers {
		if !modifierCode.MatchString(m) {
			add("modifier %q is not two letters or digits", m)
		}
	}
	if l.ChargeCents <= 0 {
		add("the charge must be more than zero")
	}
	if l.Units < 1 || l.Units > maxUnits {
		add("units must be 1 to %d", maxUnits)
	}
	if len(l.Pointers) == 0 || len(l.Pointers) > maxPointers {
		add("a line points to 1 to %d diagnoses", maxPointers)
	}
	for _, p := range l.Pointers {
		if p < 1 || p > diagnoses {
			add("diagnosis pointer %d is not one of the claim's diagnoses", p)
		}
	}
	if l.Date.IsZero() || l.Date.After(created) {
		add("the date of service must be set and not after the batch")
	}
	return errs
}

func checkProvider(p Provider) []error {
	var errs []error
	if p.Organization == "" && (p.LastName == "" || p.FirstName == "") {
		errs = append(errs, errors.New("billing provider needs an organization or a full name"))
	}
	if !validation.ValidNPI(p.NPI) {
		errs = append(errs, fmt.Errorf("billing provider NPI %q is not a valid NPI", p.NPI))
	}
	if p.Taxonomy != "" && !taxonomyCode.MatchString(p.Taxonomy) {
		errs = append(errs, fmt.Errorf("billing provider taxonomy %q is not a taxonomy code", p.Taxonomy))
	}
	if len(p.TaxID) != 9 || !digits.MatchString(p.TaxID) {
		errs = append(errs, errors.New("billing provider tax id must be nine digits"))
	}
	// The guide wants the billing provider's street address, with ZIP+4.
	a := p.Address
	if len(a.ZIP) != 9 {
		errs = append(errs, errors.New("billing provider ZIP code must have nine digits (ZIP+4)"))
	}
	if line := strings.ToUpper(strings.ReplaceAll(a.Line1, ".", "")); strings.HasPrefix(line, "PO BOX") ||
		strings.HasPrefix(line, "P O BOX") {
		errs = append(errs, errors.New("billing provider address must be a street address, not a PO box"))
	}
	return append(errs, checkAddress("billing provider", a)...)
}

func checkPerson(role string, p Person, isPatient bool) []error {
	var errs []error
	if p.LastName == "" || p.FirstName == "" {
		errs = append(errs, fmt.Errorf("%s first and last name are required", role))
	}
	if !isPatient {
		return errs
	}
	if p.BirthDate.IsZero() {
		errs = append(errs, fmt.Errorf("%s date of birth is required", role))
	}
	switch p.Sex {
	case "F", "M", "U":
	default:
		errs = append(errs, fmt.Errorf("%s sex must be F, M or U", role))
	}
	return append(errs, checkAddress(role, p.Address)...)
}

func checkAddress(role string, a Address) []error {
	var errs []error
	if a.Line1 == "" || a.City == "" {
		errs = append(errs, fmt.Errorf("%s street and city are required", role))
	}
	if !stateCode.MatchString(a.State) {
		errs = append(errs, fmt.Errorf("%s state must be two capital letters", role))
	}
	if !digits.MatchString(a.ZIP) || len(a.ZIP) != 5 && len(a.ZIP) != 9 {
		errs = append(errs, fmt.Errorf("%s ZIP code must be five or nine digits", role))
	}
	return errs
}

// validFilingIndicator reports whether code is one of SBR09's values.
func validFilingIndicator(code string) bool {
	switch code {
	case "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI",
		"DS", "FI", "HM", "LM", "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ":
		return true
	}
	return false
}

// diagnosisCode writes an ICD-10 code as the HI segment wants it:
// capitals, no dot.
func diagnosisCode(d string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(d), ".", ""))
}
