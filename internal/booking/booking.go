// Package booking lets clients book for themselves: new clients through
// a provider's public link (/book/{slug}), existing clients through a
// signed link of their own or from the portal once signed in.
//
// The public page is open to anyone, so it is guarded: a honeypot field
// (a filled one gets a success answer and changes nothing), rate limits
// per IP address and per email address, and no account enumeration: an
// email that already belongs to one of the provider's clients gets the
// same answer as a new one, and that address is mailed a note pointing
// to the portal instead of a second client record.
//
// Bookings go through internal/scheduling, which takes a per-provider
// lock and re-checks the open slots inside its transaction, so two
// visitors never get the same time; the loser gets SlotTakenError with
// fresh slots. Confirmations, invitations and reminders come from the
// scheduling notifier (internal/notify).
package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// Deps is what the booking service works with. Every field but Logger
// is required.
type Deps struct {
	DB         *store.DB
	Clock      clock.Clock
	Audit      *audit.Log
	Ring       *vault.Ring // for the link and rate-limit keys
	Outbox     *mail.Outbox
	Scheduling *scheduling.Service
	Clients    *clients.Service
	Forms      *forms.Service
	Auth       *auth.Service
	BaseURL    string // e.g. "https://tend.example"; links start with it
	Logger     *slog.Logger

	// Welcome, when set, sends the provider's welcome message to a client
	// who just booked through the public page, in tx; the messaging area
	// decides whether the provider turned it on and sends it only once.
	Welcome func(ctx context.Context, tx *sql.Tx, providerID, clientID string) error

	// Limit is how many public bookings one IP address, and one email
	// address, may make per Window; zero means 5 per hour.
	Limit  int
	Window time.Duration
}

// Booking is the self-service booking service.
type Booking struct {
	d       Deps
	linkKey []byte
	rateKey []byte
}

// New returns the booking service.
func New(d Deps) *Booking {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Limit <= 0 {
		d.Limit = 5
	}
	if d.Window <= 0 {
		d.Window = time.Hour
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	return &Booking{d: d, linkKey: d.Ring.Subkey("booking-link"),
		rateKey: d.Ring.Subkey("booking-rate")}
}

// Errors callers tell apart (wrapped).
var (
	// ErrRateLimited means too many bookings from one IP address or
	// email address; RateLimitedError says how long to wait. Show 429.
	ErrRateLimited = errors.New("too many booking requests")
	// ErrInvalidLink means a client booking link is malformed, tampered
	// with or revoked.
	ErrInvalidLink = errors.New("this booking link is not valid; ask your provider for a new one")
)

// RateLimitedError is ErrRateLimited with the time to wait.
type RateLimitedError struct {
	RetryAfter time.Duration
}

// Error says what to do.
func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many booking requests; please try again in %d minutes",
		int((e.RetryAfter+time.Minute-1)/time.Minute))
}

// Unwrap makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitedError) Unwrap() error { return ErrRateLimited }

// SlotTakenError means the chosen time is no longer open; Fresh holds
// open slots from the same day on, in the visitor's zone, to offer
// instead. errors.Is(err, scheduling.ErrSlotTaken) is true.
type SlotTakenError struct {
	Fresh []Slot
}

// Error says what happened and what to do.
func (e *SlotTakenError) Error() string { return scheduling.ErrSlotTaken.Error() }

// Unwrap makes errors.Is(err, scheduling.ErrSlotTaken) true.
func (e *SlotTakenError) Unwrap() error { return scheduling.ErrSlotTaken }

// Slot is an open time. Start and End are UTC; LocalStart and LocalEnd
// are the same instants in the zone asked for (the visitor's). Mode is
// office, telehealth or both; OfficeID names the office for office
// slots.
type Slot struct {
	Start, End           time.Time
	LocalStart, LocalEnd time.Time
	Mode                 string
	OfficeID             string
}

// freshDays is how far ahead SlotTakenError looks for other times, and
// freshMax how many it offers.
const (
	freshDays = 14
	freshMax  = 20
)

// PublicProvider returns what the public booking page shows about the
// provider with slug; an unknown slug is store.ErrNotFound.
func (b *Booking) PublicProvider(ctx context.Context, slug string) (scheduling.PublicProvider, error) {
	p, err := b.d.Scheduling.ProviderBySlug(ctx, strings.TrimSpace(slug))
	if err != nil {
		return scheduling.PublicProvider{}, fmt.Errorf("booking: provider: %w", err)
	}
	return p, nil
}

// PublicSlots returns the open intake slots of the provider with slug
// starting in [from, to), with local times in tz (the visitor's zone;
// nil means the provider's).
func (b *Booking) PublicSlots(ctx context.Context, slug string, from, to time.Time,
	tz *time.Location) ([]Slot, error) {
	p, err := b.PublicProvider(ctx, slug)
	if err != nil {
		return nil, err
	}
	key, err := typeOf(p.Types, scheduling.KindIntake, "")
	if err != nil {
		return nil, err
	}
	return b.slots(ctx, p.ID, from, to, key, zoneOr(tz, p.TimeZone))
}

// slots lists a provider's open slots for a type, in zone.
func (b *Booking) slots(ctx context.Context, providerID string, from, to time.Time,
	typeKey string, zone *time.Location) ([]Slot, error) {
	open, err := b.d.Scheduling.Slots(ctx, providerID, from, to, typeKey)
	if err != nil {
		return nil, fmt.Errorf("booking: slots: %w", err)
	}
	out := make([]Slot, len(open))
	for i, s := range open {
		out[i] = Slot{Start: s.Start.UTC(), End: s.End.UTC(), LocalStart: s.Start.In(zone),
			LocalEnd: s.End.In(zone), Mode: s.Mode.String(), OfficeID: s.OfficeID}
	}
	return out, nil
}

// openSlot returns the open slot starting at start, or a SlotTakenError
// with fresh slots when there is none.
func (b *Booking) openSlot(ctx context.Context, providerID string, start time.Time,
	typeKey string, zone *time.Location) (Slot, error) {
	list, err := b.slots(ctx, providerID, start, start.Add(time.Minute), typeKey, zone)
	if err != nil {
		return Slot{}, err
	}
	for _, s := range list {
		if s.Start.Equal(start) {
			return s, nil
		}
	}
	return Slot{}, b.taken(ctx, providerID, start, typeKey, zone)
}

// taken builds the SlotTakenError for a lost start: open slots from
// that day (or now, if later) on.
func (b *Booking) taken(ctx context.Context, providerID string, start time.Time,
	typeKey string, zone *time.Location) error {
	from := time.Date(start.In(zone).Year(), start.In(zone).Month(), start.In(zone).Day(), 0, 0, 0, 0, zone)
	if now := b.d.Clock.Now(); from.Before(now) {
		from = now
	}
	fresh, err := b.slots(ctx, providerID, from, from.AddDate(0, 0, freshDays), typeKey, zone)
	if err != nil {
		return err
	}
	if len(fresh) > freshMax {
		fresh = fresh[:freshMax]
	}
	return &SlotTakenError{Fresh: fresh}
}

// location picks where a session in slot s takes place: the slot's
// mode, or for "both" the visitor's choice (telehealth by default).
func location(s Slot, asked string) (loc, officeID string) {
	switch s.Mode {
	case slots.Office.String():
		return scheduling.LocationOffice, s.OfficeID
	case slots.Both.String():
		if asked == scheduling.LocationOffice {
			return scheduling.LocationOffice, s.OfficeID
		}
	}
	return scheduling.LocationTelehealth, ""
}

// typeOf returns the key of the provider's type: want if it is one of
// kind, else the first of kind.
func typeOf(types []scheduling.AppointmentType, kind, want string) (string, error) {
	for _, t := range types {
		if t.Kind == kind && (want == "" || t.Key == want) {
			return t.Key, nil
		}
	}
	return "", fmt.Errorf("booking: %w", errNoType(kind))
}

// zoneOr returns tz, or the named zone, or UTC.
func zoneOr(tz *time.Location, name string) *time.Location {
	if tz != nil {
		return tz
	}
	if z, err := time.LoadLocation(name); err == nil && name != "" {
		return z
	}
	return time.UTC
}
