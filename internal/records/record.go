// Package records exports a client's whole record — demographics,
// intake forms with their answers, measure scores and session notes with
// their addenda — for the client's provider, as JSON and as PDF.
//
// Export gathers the record through the areas that own each part, so
// their access rules and read audits apply unchanged, and then writes
// one records.client.export entry to the audit log. WriteJSON and
// WritePDF only format a Record; they read nothing and audit nothing.
//
// The JSON shape (format "tend.record.v1") is the Record type below:
// snake_case keys, times in RFC 3339 UTC, dates as YYYY-MM-DD, absent
// optional values as null, lists never null. New keys may be added in
// later versions; existing keys keep their meaning.
package records

import "time"

// FormatVersion names the JSON shape WriteJSON produces.
const FormatVersion = "tend.record.v1"

// Record is one client's exported record.
type Record struct {
	Format     string    `json:"format"` // FormatVersion
	ExportedAt time.Time `json:"exported_at"`
	ExportedBy string    `json:"exported_by"` // the exporting user's id
	Practice   Practice  `json:"practice"`
	Client     Client    `json:"client"`
	Forms      []Form    `json:"forms"`    // newest first
	Measures   []Measure `json:"measures"` // oldest first
	Notes      []Note    `json:"notes"`    // newest first
}

// Practice names the provider whose record this is.
type Practice struct {
	ProviderID   string `json:"provider_id"`
	ProviderName string `json:"provider_name"` // "First Last, Credentials"
	NPI          string `json:"npi"`
	TimeZone     string `json:"time_zone"` // IANA; the PDF shows times in it
}

// Client is the client's demographic, contact and coverage details.
type Client struct {
	ID               string      `json:"id"`
	FirstName        string      `json:"first_name"`
	LastName         string      `json:"last_name"`
	PreferredName    string      `json:"preferred_name"`
	Pronouns         string      `json:"pronouns"`
	DateOfBirth      string      `json:"date_of_birth"` // YYYY-MM-DD
	Email            string      `json:"email"`
	Phone            string      `json:"phone"` // E.164
	Type             string      `json:"type"`  // adult|minor|couple_family
	Address          Address     `json:"address"`
	EmergencyContact Contact     `json:"emergency_contact"`
	Guardian         Contact     `json:"guardian"`
	CashPay          bool        `json:"cash_pay"`
	Insurance        Insurance   `json:"insurance"`
	Diagnoses        []Diagnosis `json:"diagnoses"`
	BillingNotes     string      `json:"billing_notes"`
	Status           string      `json:"status"` // active|needs_follow_up|scheduled|archived
	ArchivedAt       *time.Time  `json:"archived_at"`
	ArchiveReason    string      `json:"archive_reason"`
	CreatedAt        time.Time   `json:"created_at"`
}

// Address is a postal address.
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

// Contact is an emergency contact or guardian.
type Contact struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
}

// Insurance is the client's coverage.
type Insurance struct {
	PayerName              string `json:"payer_name"`
	MemberID               string `json:"member_id"`
	GroupNumber            string `json:"group_number"`
	SubscriberName         string `json:"subscriber_name"`
	SubscriberRelationship string `json:"subscriber_relationship"`
}

// Diagnosis is one ICD-10-CM code.
type Diagnosis struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// Form is one form sent to the client, with its answers once signed.
type Form struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Kind        string     `json:"kind"`       // form|measure
	Instrument  string     `json:"instrument"` // phq9|gad7|""
	Status      string     `json:"status"`     // assigned|draft|signed
	AssignedAt  time.Time  `json:"assigned_at"`
	SignedAt    *time.Time `json:"signed_at"`
	SignedName  string     `json:"signed_name"`
	SignerIP    string     `json:"signer_ip"`
	AnswersHash string     `json:"answers_hash"`
	Answers     []Answer   `json:"answers"` // in the form's order; empty until signed
	Score       *Measure   `json:"score"`
}

// Answer is one question of a form and what the client answered, as
// text a reader understands (a scale item as its response label).
type Answer struct {
	Key      string `json:"key"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Measure is one scored questionnaire.
type Measure struct {
	FormID        string    `json:"form_id"`
	Instrument    string    `json:"instrument"` // phq9|gad7
	Total         int       `json:"total"`
	Band          string    `json:"band"` // minimal|mild|moderate|moderately_severe|severe
	At            time.Time `json:"at"`
	Item9Positive bool      `json:"item9_positive"`
}

// Note is one session note.
type Note struct {
	ID            string     `json:"id"`
	AppointmentID string     `json:"appointment_id"`
	Template      string     `json:"template"` // intake|soap|dap|birp|free
	TemplateTitle string     `json:"template_title"`
	Status        string     `json:"status"` // draft|signed
	SignedAt      *time.Time `json:"signed_at"`
	SignedBy      string     `json:"signed_by"` // user id
	ContentHash   string     `json:"content_hash"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Sections      []Section  `json:"sections"` // the template's, in order
	Addenda       []Addendum `json:"addenda"`  // oldest first
}

// Section is one headed part of a note.
type Section struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// Addendum is dated text added to a signed note.
type Addendum struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"author_id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}
