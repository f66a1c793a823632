package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/validation"
)

// NewClientRequest is the public booking form. Honeypot is the hidden
// field people never see; IP and UserAgent are the visitor's; TimeZone
// is their IANA zone (from the browser), kept for their mail. Location
// (office or telehealth) matters only for slots offering both.
type NewClientRequest struct {
	Slug                         string
	Start                        time.Time
	Location                     string
	FirstName, LastName          string
	Email, Phone                 string
	DateOfBirth                  string // YYYY-MM-DD
	State                        string // two-letter US state
	PayerID, MemberID            string
	CashPay                      bool
	ConsentTerms, ConsentPrivacy bool
	Honeypot                     string
	IP, UserAgent                string
	TimeZone                     string
}

// Confirmation is the answer to a booking request. It is built from the
// request alone, so it reads the same whether a booking was made, the
// email belonged to an existing client or the honeypot was filled.
type Confirmation struct {
	ProviderName string
	Start, End   time.Time // UTC
	TimeZone     string    // the visitor's zone if valid, else the provider's
	Location     string    // office or telehealth
}

// BookNewClient books an intake for a new client of the provider with
// req.Slug: it creates the client (with the visitor's time zone), the
// intake appointment on an open slot (scheduling.Create as the system
// actor, source public; scheduling mails both sides through the
// notifier), sends the provider's intake packet and creates the
// client's portal account (no password: they sign in by emailed link).
//
// Bad input is validation.Errors; too many attempts RateLimitedError; a
// time that is not open SlotTakenError with fresh slots. A filled
// honeypot, or an email that already belongs to one of the provider's
// clients, gets the same Confirmation and books nothing; the existing
// client is mailed a note pointing to their portal.
func (b *Booking) BookNewClient(ctx context.Context, req NewClientRequest) (Confirmation, error) {
	p, err := b.PublicProvider(ctx, req.Slug)
	if err != nil {
		return Confirmation{}, err
	}
	zone := zoneOr(nil, p.TimeZone)
	if z, err := time.LoadLocation(req.TimeZone); err == nil && req.TimeZone != "" && req.TimeZone != "Local" {
		zone = z
	} else {
		req.TimeZone = ""
	}
	intake, err := intakeType(p.Types)
	if err != nil {
		return Confirmation{}, err
	}
	conf := Confirmation{ProviderName: p.Name, Start: req.Start.UTC(),
		End:      req.Start.UTC().Add(time.Duration(intake.Minutes) * time.Minute),
		TimeZone: zone.String(), Location: scheduling.LocationTelehealth}
	if strings.TrimSpace(req.Honeypot) != "" {
		b.d.Logger.InfoContext(ctx, "booking honeypot filled", "provider_id", p.ID)
		return conf, nil
	}
	if err := b.admit(ctx, req.IP, req.Email); err != nil {
		return Confirmation{}, err
	}
	in := req.input()
	if err := b.check(ctx, req, in); err != nil {
		return Confirmation{}, err
	}
	slot, err := b.openSlot(ctx, p.ID, req.Start.UTC(), intake.Key, zone)
	if err != nil {
		return Confirmation{}, err
	}
	conf.Location, _ = location(slot, req.Location)

	existing, err := b.existingClient(ctx, p.ID, in.Email)
	if err != nil {
		return Confirmation{}, err
	}
	if existing {
		return conf, b.noteExisting(ctx, p, in.Email)
	}
	if err := b.createNew(ctx, req, in, p, slot, intake.Key); err != nil {
		return Confirmation{}, err
	}
	return conf, nil
}

// intakeType returns the provider's first intake type.
func intakeType(types []scheduling.AppointmentType) (scheduling.AppointmentType, error) {
	for _, t := range types {
		if t.Kind == scheduling.KindIntake {
			return t, nil
		}
	}
	return scheduling.AppointmentType{}, fmt.Errorf("booking: %w", errNoType(scheduling.KindIntake))
}

// input is the client record the request makes.
func (req NewClientRequest) input() clients.Input {
	in := clients.Input{FirstName: req.FirstName, LastName: req.LastName,
		Email: strings.ToLower(strings.TrimSpace(req.Email)), Phone: req.Phone,
		DateOfBirth: req.DateOfBirth, CashPay: req.CashPay,
		Address: clients.Address{State: strings.ToUpper(strings.TrimSpace(req.State))}}
	if !req.CashPay {
		in.Insurance = clients.Insurance{PayerID: req.PayerID, MemberID: req.MemberID,
			SubscriberRelationship: "self"}
	}
	return in
}

// check finds every problem with the request that does not depend on
// who else exists: what the booking page requires, then the client
// record's own rules (formats, state code, payer).
func (b *Booking) check(ctx context.Context, req NewClientRequest, in clients.Input) error {
	var errs validation.Errors
	required := []struct{ field, value, msg string }{
		{"first_name", req.FirstName, "Enter your first name."},
		{"last_name", req.LastName, "Enter your last name."},
		{"email", req.Email, "Enter your email address; we send your confirmation there."},
		{"phone", req.Phone, "Enter a phone number we can reach you at."},
		{"date_of_birth", req.DateOfBirth, "Enter your date of birth."},
		{"state", req.State, "Choose the state you live in."},
	}
	for _, r := range required {
		if strings.TrimSpace(r.value) == "" {
			errs.Add(r.field, r.msg)
		}
	}
	if req.Start.IsZero() {
		errs.Add("start", "Choose a time.")
	}
	if !req.CashPay && strings.TrimSpace(req.PayerID) == "" {
		errs.Add("payer_id", "Choose your insurance company, or choose to pay yourself.")
	}
	if !req.CashPay && strings.TrimSpace(req.MemberID) == "" {
		errs.Add("member_id", "Enter the member id from your insurance card.")
	}
	if !req.ConsentTerms {
		errs.Add("consent_terms", "Agree to the terms to book.")
	}
	if !req.ConsentPrivacy {
		errs.Add("consent_privacy", "Acknowledge the privacy notice to book.")
	}
	if _, err := netmail.ParseAddress(in.Email); in.Email != "" && err != nil {
		errs.Add("email", "Enter a valid email address, like name@example.com.")
	}
	err := b.d.Clients.CheckBookingInput(ctx, in)
	if more, ok := validation.From(err); ok {
		for _, fe := range more {
			field := strings.TrimPrefix(strings.TrimPrefix(fe.Field, "insurance."), "address.")
			if !errs.Has(field) {
				errs.Add(field, fe.Message)
			}
		}
	} else if err != nil {
		return fmt.Errorf("booking: %w", err)
	}
	return errs.Err()
}

// existingClient reports whether one of the provider's clients has the
// email.
func (b *Booking) existingClient(ctx context.Context, providerID, email string) (bool, error) {
	var n int
	err := b.d.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM clients
		WHERE provider_id = $1 AND email = $2`, providerID, email).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("booking: check email: %w", err)
	}
	return n > 0, nil
}

// noteExisting mails an existing client that their request made
// nothing and where to book instead.
func (b *Booking) noteExisting(ctx context.Context, p scheduling.PublicProvider, email string) error {
	err := b.d.Outbox.Enqueue(ctx, nil, mail.Message{To: email, Template: TemplateReceived,
		Data: map[string]string{"With": p.Name, "Link": b.d.BaseURL + "/portal"}})
	if err != nil {
		return fmt.Errorf("booking: note to existing client: %w", err)
	}
	b.d.Logger.InfoContext(ctx, "booking request for an existing client", "provider_id", p.ID)
	return nil
}

// TemplateReceived is the note an existing client gets when their email
// is used on the new-client form.
const TemplateReceived = "booking_received"

// createNew makes the client and the intake; if the slot is lost on the
// way, the client is removed again and the error offers fresh slots.
func (b *Booking) createNew(ctx context.Context, req NewClientRequest, in clients.Input,
	p scheduling.PublicProvider, slot Slot, typeKey string) error {
	actor := publicActor(req.IP, req.UserAgent)
	c, err := b.d.Clients.CreateFromBooking(ctx, actor, p.ID, in, req.TimeZone)
	if err != nil {
		return fmt.Errorf("booking: %w", err)
	}
	loc, office := location(slot, req.Location)
	_, err = b.d.Scheduling.Create(ctx, actor, scheduling.NewAppointment{ClientID: c.ID,
		Start: slot.Start, Kind: scheduling.KindIntake, TypeKey: typeKey, Location: loc,
		OfficeID: office, Source: scheduling.SourcePublic})
	if err != nil {
		if derr := b.d.Clients.DiscardBooking(ctx, actor, p.ID, c.ID); derr != nil {
			b.d.Logger.ErrorContext(ctx, "booking: remove client after failed booking",
				"client_id", c.ID, "error", derr)
		}
		if errors.Is(err, scheduling.ErrSlotTaken) {
			return b.taken(ctx, p.ID, slot.Start, typeKey, slot.LocalStart.Location())
		}
		return fmt.Errorf("booking: %w", err)
	}
	b.assignIntakeForms(ctx, p.ID, c.ID, req.IP)
	b.createAccount(ctx, actor, c, in.Email)
	b.sendWelcome(ctx, p.ID, c.ID)
	return nil
}

// sendWelcome sends the provider's welcome message, if they use one. Like
// the intake forms, a failure here is logged and the booking stands.
func (b *Booking) sendWelcome(ctx context.Context, providerID, clientID string) {
	if b.d.Welcome == nil {
		return
	}
	err := b.d.DB.InTx(ctx, func(tx *sql.Tx) error {
		return b.d.Welcome(ctx, tx, providerID, clientID)
	})
	if err != nil {
		b.d.Logger.ErrorContext(ctx, "booking: welcome message not sent",
			"client_id", clientID, "error", err)
	}
}

// publicActor is who the public booking page acts as: the system, from
// the visitor's address.
func publicActor(ip, ua string) access.Actor {
	a := access.System()
	a.IP, a.UserAgent = ip, ua
	return a
}
