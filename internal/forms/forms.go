// Package forms is intake paperwork and scored questionnaires: form
// templates (the instance's own and each provider's), forms assigned to
// a client, filled in and e-signed in the client portal, and the PHQ-9
// and GAD-7 measures scored with their severity bands.
//
// Answers are sealed with the key ring (see internal/vault) and every
// view of them is written to the audit log. A signed form is locked: it
// records the typed name, time, IP and a SHA-256 hash of its answers,
// and nothing changes it afterwards.
//
// Access follows the rule of every area: a provider reaches only their
// own clients' forms, a client only their own; anything else, malformed
// ids included, is store.ErrNotFound.
package forms

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// ErrLocked means the form is signed and can no longer change.
var ErrLocked = errors.New("forms: the form is signed and locked")

// FieldType is the kind of answer a field takes.
type FieldType string

// The field types. Answers are strings (see Submission.Answers for how
// each type is written).
const (
	ShortText    FieldType = "short_text"
	LongText     FieldType = "long_text"
	SingleChoice FieldType = "single_choice"
	MultiChoice  FieldType = "multi_choice"
	Date         FieldType = "date"
	Signature    FieldType = "signature"
	// Scale is a measure item answered 0 to 3; Options holds the four
	// response labels in order. Only the instance's measures use it.
	Scale FieldType = "scale"
)

// Field is one question of a form.
type Field struct {
	Key      string    `json:"key"` // unique within the form, [a-z0-9_]
	Label    string    `json:"label"`
	Help     string    `json:"help,omitempty"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required,omitempty"`
	Options  []string  `json:"options,omitempty"` // choices and scale labels
}

// Template kinds.
const (
	KindForm    = "form"
	KindMeasure = "measure"
)

// Instruments: the scored measures.
const (
	InstrumentPHQ9 = "phq9"
	InstrumentGAD7 = "gad7"
)

// Template is a form that can be sent to clients.
type Template struct {
	ID          string
	ProviderID  string // "" for the instance's templates
	Slug        string // unique per owner, e.g. "phq-9"
	Title       string
	Description string
	Kind        string // KindForm or KindMeasure
	Instrument  string // InstrumentPHQ9, InstrumentGAD7 or ""
	Fields      []Field
	CreatedAt   time.Time
	// ArchivedAt is set when the provider retired their form: it can
	// still be printed and copied, not sent.
	ArchivedAt *time.Time
}

// Assignment statuses.
const (
	StatusAssigned = "assigned" // sent, not opened for writing yet
	StatusDraft    = "draft"    // the client saved answers
	StatusSigned   = "signed"   // signed and locked
)

// Assignment is one form sent to one client.
type Assignment struct {
	ID            string
	ClientID      string
	ProviderID    string
	TemplateID    string
	TemplateTitle string
	Kind          string
	Instrument    string
	Status        string // StatusAssigned, StatusDraft or StatusSigned
	AssignedAt    time.Time
	SignedAt      *time.Time
	SignedName    string // the typed name, once signed
	AnswersHash   string // hex SHA-256 of the signed answers (HashAnswers)
	Score         *Score // signed measures only
}

// Submission is an assignment opened with its form and answers.
//
// Answers maps a field's Key to its answer: text as typed; a choice as
// the option's text; several choices joined by JoinChoices; a date as
// YYYY-MM-DD; a signature field as the typed name; a scale item as "0"
// to "3". Empty answers are left out.
type Submission struct {
	Assignment
	Template Template // as it was when assigned
	Answers  map[string]string
	SignerIP string
}

// Score is a signed measure's result.
type Score struct {
	AssignmentID  string
	Instrument    string // InstrumentPHQ9 or InstrumentGAD7
	Total         int
	Band          string // BandMinimal ... BandSevere
	At            time.Time
	Item9Positive bool // PHQ-9 item 9 answered above zero
}

// Service manages templates, assignments and submissions.
type Service struct {
	db      *store.DB
	clk     clock.Clock
	audit   *audit.Log
	ring    *vault.Ring
	outbox  *mail.Outbox
	baseURL string

	seedMu sync.Mutex
	seeded bool
}

// New returns a Service. baseURL (e.g. "https://tend.example") starts
// the links mailed to clients.
func New(db *store.DB, clk clock.Clock, log *audit.Log, ring *vault.Ring,
	outbox *mail.Outbox, baseURL string) *Service {
	return &Service{
		db:      db,
		clk:     clk,
		audit:   log,
		ring:    ring,
		outbox:  outbox,
		baseURL: strings.TrimRight(baseURL, "/"),
	}
}

// now reads the clock in UTC, to the microsecond both databases keep.
func (s *Service) now() time.Time {
	return s.clk.Now().UTC().Truncate(time.Microsecond)
}

// choiceSep separates the options of a multiple-choice answer.
const choiceSep = "\n"

// JoinChoices writes the options chosen in a multiple-choice field as
// one answer.
func JoinChoices(choices []string) string {
	return strings.Join(choices, choiceSep)
}

// SplitChoices reads a multiple-choice answer back into its options.
func SplitChoices(answer string) []string {
	if answer == "" {
		return nil
	}
	return strings.Split(answer, choiceSep)
}
