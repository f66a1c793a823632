package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
)

// clientProvider returns the provider of the signed-in client actor.
func (b *Booking) clientProvider(ctx context.Context, actor access.Actor) (scheduling.PublicProvider, error) {
	if !actor.IsClient() {
		return scheduling.PublicProvider{}, fmt.Errorf("booking: %w", access.ErrForbidden)
	}
	var providerID string
	err := b.d.DB.Reader().QueryRowContext(ctx, `SELECT provider_id FROM clients WHERE id = $1`,
		actor.ClientID).Scan(&providerID)
	if err != nil {
		return scheduling.PublicProvider{}, fmt.Errorf("booking: %w", store.Translate(err))
	}
	avail, err := b.d.Scheduling.AvailabilityForProvider(ctx, providerID)
	if err != nil {
		return scheduling.PublicProvider{}, fmt.Errorf("booking: %w", err)
	}
	p, err := b.d.Scheduling.ProviderBySlug(ctx, avail.Slug)
	if err != nil {
		return scheduling.PublicProvider{}, fmt.Errorf("booking: %w", err)
	}
	return p, nil
}

// ClientSlots returns the open slots of type typeKey (a follow-up type;
// "" for the first) with the signed-in client's provider, in tz (nil:
// the provider's zone).
func (b *Booking) ClientSlots(ctx context.Context, actor access.Actor, from, to time.Time,
	typeKey string, tz *time.Location) ([]Slot, error) {
	p, err := b.clientProvider(ctx, actor)
	if err != nil {
		return nil, err
	}
	key, err := typeOf(p.Types, scheduling.KindFollowUp, typeKey)
	if err != nil {
		return nil, err
	}
	return b.slots(ctx, p.ID, from, to, key, zoneOr(tz, p.TimeZone))
}

// ClientBook books a follow-up for the signed-in client on an open slot
// with their provider; location (office or telehealth) matters only for
// slots offering both. Archived clients are refused with the
// clients.ErrArchived message; a lost slot is SlotTakenError.
func (b *Booking) ClientBook(ctx context.Context, actor access.Actor, start time.Time,
	typeKey, location string) (scheduling.Appointment, error) {
	p, err := b.clientProvider(ctx, actor)
	if err != nil {
		return scheduling.Appointment{}, err
	}
	key, err := typeOf(p.Types, scheduling.KindFollowUp, typeKey)
	if err != nil {
		return scheduling.Appointment{}, err
	}
	return b.book(ctx, actor, p, actor.ClientID, start, key, location)
}

// ClientReschedule moves one of the signed-in client's appointments to
// start, which must be an open slot, outside the provider's cancellation
// window (scheduling.ErrOutsideWindow, with its message, otherwise).
func (b *Booking) ClientReschedule(ctx context.Context, actor access.Actor, appointmentID string,
	start time.Time) (scheduling.Appointment, error) {
	if !actor.IsClient() {
		return scheduling.Appointment{}, fmt.Errorf("booking: %w", access.ErrForbidden)
	}
	start = start.UTC()
	out, err := b.d.Scheduling.Reschedule(ctx, actor, appointmentID, scheduling.ScopeThis,
		scheduling.Change{Start: &start})
	if err != nil {
		return scheduling.Appointment{}, fmt.Errorf("booking: %w", err)
	}
	return out[0], nil
}

// ClientCancel cancels one of the signed-in client's appointments,
// outside the provider's cancellation window (scheduling.ErrOutsideWindow,
// with its message, otherwise).
func (b *Booking) ClientCancel(ctx context.Context, actor access.Actor, appointmentID,
	reason string) (scheduling.Appointment, error) {
	if !actor.IsClient() {
		return scheduling.Appointment{}, fmt.Errorf("booking: %w", access.ErrForbidden)
	}
	out, err := b.d.Scheduling.Cancel(ctx, actor, appointmentID, scheduling.ScopeThis, reason)
	if err != nil {
		return scheduling.Appointment{}, fmt.Errorf("booking: %w", err)
	}
	return out[0], nil
}
