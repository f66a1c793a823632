// Package notes keeps a provider's session notes: intake assessments,
// SOAP, DAP, BIRP and free-form notes about one client, optionally tied
// to one appointment.
//
// A note starts as a draft that autosaves (SaveDraft, or SaveDraftVersion
// to refuse overwriting a newer save from another tab). Signing records
// the signer, the time and a SHA-256 hash of the content (see
// ContentHash) and locks the note for good: after that only dated
// addenda are added, and nothing is edited or deleted. Database triggers
// hold the same line.
//
// Notes are the clinician's own record. Only the provider who owns the
// client reaches them; a client, an administrator, another provider or
// a malformed id all get store.ErrNotFound, so no one learns a note
// exists. Sections and addenda are sealed with the vault, and every
// read and write is written to the audit log, writes in the same
// transaction as the change.
package notes

import (
	"errors"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// ErrLocked is returned when a signed note would be edited, signed
// again or deleted, or an addendum is added to a draft.
var ErrLocked = errors.New("notes: the note is signed and locked")

// The states of a note.
const (
	StatusDraft  = "draft"
	StatusSigned = "signed"
)

// Note is one session note with its addenda.
type Note struct {
	ID            string
	ClientID      string
	ProviderID    string
	AppointmentID string // "" when the note is not tied to an appointment
	Template      string // intake|soap|dap|birp|free
	// Fields maps each of the template's section keys to its text; every
	// section is present, unwritten ones as "".
	Fields      map[string]string
	Status      string // draft|signed
	SignedAt    *time.Time
	SignedBy    string // the user id of the signer
	ContentHash string // lowercase hex SHA-256, set when signed
	Addenda     []Addendum
	// Version counts saves; pass it back to SaveDraftVersion so a stale
	// tab cannot overwrite a newer draft.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Addendum is dated text added to a signed note by its author. It can
// never be changed or removed.
type Addendum struct {
	ID        string
	Text      string
	AuthorID  string
	CreatedAt time.Time
}

// Service reads and writes notes.
type Service struct {
	db   *store.DB
	clk  clock.Clock
	log  *audit.Log
	ring *vault.Ring
}

// New returns a Service over db that stamps times with clk, audits to
// log and seals content with ring.
func New(db *store.DB, clk clock.Clock, log *audit.Log, ring *vault.Ring) *Service {
	return &Service{db: db, clk: clk, log: log, ring: ring}
}

// now is the service's clock in UTC, cut to microseconds so a time read
// back from either database equals the one written.
func (s *Service) now() time.Time {
	return s.clk.Now().UTC().Truncate(time.Microsecond)
}
