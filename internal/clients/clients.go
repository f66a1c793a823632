// Package clients keeps a provider's client records: who the client is,
// how to reach them, how they pay and what they are being treated for.
//
// A client's status (active, needs follow-up, scheduled, archived) is
// never stored. Every query derives it from archived_at and the
// appointments table at the clock's now, so it changes the moment an
// appointment is booked, cancelled or takes place. Providers reach only
// their own clients and a client only their own record; anything else,
// including a malformed id, is store.ErrNotFound. Every read and write
// is written to the audit log.
package clients

import (
	"errors"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
)

// Status is where a client stands, derived from their appointments.
type Status string

// The statuses, each also the name of a tab on the clients page. A
// client's Status is the most specific that applies: archived, then
// scheduled, then needs follow-up, then active.
const (
	// StatusActive is every client who is not archived.
	StatusActive Status = "active"
	// StatusNeedsFollowUp is an active client with at least one
	// appointment that took place and none booked ahead.
	StatusNeedsFollowUp Status = "needs_follow_up"
	// StatusScheduled is an active client with a future appointment
	// that is not cancelled.
	StatusScheduled Status = "scheduled"
	// StatusArchived is a client taken off the active list.
	StatusArchived Status = "archived"
)

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusActive, StatusNeedsFollowUp, StatusScheduled, StatusArchived:
		return true
	}
	return false
}

// Client types.
const (
	TypeAdult        = "adult"
	TypeMinor        = "minor"         // needs a guardian contact
	TypeCoupleFamily = "couple_family" // a couple or family seen together
)

// Archive reasons.
const (
	ReasonDischarged  = "discharged"
	ReasonReferredOut = "referred_out"
	ReasonLeftCare    = "left_care"
	ReasonPausedCare  = "paused_care"
)

// ArchiveReasons lists the reasons Archive accepts, in the order a form
// offers them.
func ArchiveReasons() []string {
	return []string{ReasonDischarged, ReasonReferredOut, ReasonLeftCare, ReasonPausedCare}
}

// ReasonLabel returns the words for an archive reason, e.g. "referred
// out" for referred_out.
func ReasonLabel(reason string) string {
	switch reason {
	case ReasonDischarged:
		return "discharged"
	case ReasonReferredOut:
		return "referred out"
	case ReasonLeftCare:
		return "left care"
	case ReasonPausedCare:
		return "paused care"
	}
	return reason
}

// Subscriber relationships: the client's relation to the insurance
// policy holder.
var subscriberRelationships = []string{"self", "spouse", "child", "other"}

// SubscriberRelationships lists the accepted Insurance.SubscriberRelationship
// values.
func SubscriberRelationships() []string {
	return append([]string(nil), subscriberRelationships...)
}

// Address is a postal address. State is a two-letter US state code.
type Address struct {
	Line1, Line2, City, State, PostalCode string
}

// Contact is a person to call about the client: the emergency contact,
// or a minor's parent or guardian. Phone is E.164 once saved.
type Contact struct {
	Name, Relationship, Phone, Email string
}

// Insurance is the client's coverage. PayerID names a row of the payer
// list; PayerName is filled in on reads and ignored on writes.
// SubscriberRelationship is self, spouse, child or other.
type Insurance struct {
	PayerID, PayerName, MemberID, GroupNumber string
	SubscriberName, SubscriberRelationship    string
}

// Diagnosis is one ICD-10-CM code with its description.
type Diagnosis struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// Client is one client record as a provider sees it.
type Client struct {
	ID, ProviderID                     string
	FirstName, LastName, PreferredName string
	Pronouns                           string
	Email                              string // lowercase
	Phone                              string // E.164, e.g. +12125550147
	DateOfBirth                        string // YYYY-MM-DD
	Type                               string // adult, minor or couple_family
	Address                            Address
	EmergencyContact, Guardian         Contact
	CashPay                            bool
	Insurance                          Insurance
	Diagnoses                          []Diagnosis
	BillingNotes                       string
	Status                             Status // derived, read-only
	ArchivedAt                         *time.Time
	ArchiveReason                      string
	NextAppointmentAt                  *time.Time // first future booked one
	LastAppointmentAt                  *time.Time // latest that took place
	CreatedAt, UpdatedAt               time.Time
}

// DisplayName is the name to address the client by: the preferred name
// (or first name) and the last name.
func (c Client) DisplayName() string {
	first := c.FirstName
	if c.PreferredName != "" {
		first = c.PreferredName
	}
	return first + " " + c.LastName
}

// Input is the editable part of a client record, for Create and Update.
// Update replaces every field, so callers that change a few start from
// Client.Input.
type Input struct {
	FirstName, LastName, PreferredName string
	Pronouns                           string
	Email                              string
	Phone                              string // any common format
	DateOfBirth                        string // YYYY-MM-DD
	Type                               string // "" means adult
	Address                            Address
	EmergencyContact, Guardian         Contact
	CashPay                            bool
	Insurance                          Insurance
	Diagnoses                          []Diagnosis
	BillingNotes                       string
}

// Input returns the client's editable fields, to change some and pass
// to Update.
func (c Client) Input() Input {
	return Input{
		FirstName: c.FirstName, LastName: c.LastName,
		PreferredName: c.PreferredName, Pronouns: c.Pronouns,
		Email: c.Email, Phone: c.Phone, DateOfBirth: c.DateOfBirth,
		Type: c.Type, Address: c.Address,
		EmergencyContact: c.EmergencyContact, Guardian: c.Guardian,
		CashPay: c.CashPay, Insurance: c.Insurance,
		Diagnoses:    append([]Diagnosis(nil), c.Diagnoses...),
		BillingNotes: c.BillingNotes,
	}
}

// Payer is one insurance company on the instance's payer list.
type Payer struct {
	ID, Name, Code string
}

// ErrArchived is returned (wrapped, with the reason and what to do) when
// an archived client is asked to book.
var ErrArchived = errors.New("client is archived")

// Service reads and writes client records.
type Service struct {
	db    *store.DB
	clk   clock.Clock
	log   *audit.Log
	stmts stmtCache
}

// New returns a Service over db that reads the time from clk and audits
// to log.
func New(db *store.DB, clk clock.Clock, log *audit.Log) *Service {
	return &Service{db: db, clk: clk, log: log}
}
