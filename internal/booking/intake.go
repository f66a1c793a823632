package booking

import (
	"context"
	"errors"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
)

// providerActor is the provider a new client booked with, as the
// booking page acts for them to send the intake forms (forms.Assign is
// a provider's action). It has no user id, so the audit log shows the
// provider role without a person, and RequestID "public-booking" says
// where it came from.
func providerActor(providerID, ip string) access.Actor {
	return access.Actor{Role: access.RoleProvider, ProviderID: providerID, IP: ip,
		RequestID: "public-booking"}
}

// assignIntakeForms sends the new client their provider's intake
// packet (forms.IntakePacket). The booking has already been made, so a
// failure is logged for the provider to resend by hand rather than
// failing the visitor's request.
func (b *Booking) assignIntakeForms(ctx context.Context, providerID, clientID, ip string) {
	actor := providerActor(providerID, ip)
	packet, err := b.d.Forms.IntakePacket(ctx, actor)
	if err != nil {
		b.d.Logger.ErrorContext(ctx, "booking: list intake forms", "provider_id", providerID,
			"client_id", clientID, "error", err)
		return
	}
	if len(packet) == 0 {
		return
	}
	send := make([]string, len(packet))
	for i, t := range packet {
		send[i] = t.ID
	}
	// One email for the whole set, linking to the client's forms.
	if _, err := b.d.Forms.AssignAll(ctx, actor, clientID, send); err != nil {
		b.d.Logger.ErrorContext(ctx, "booking: assign intake forms", "client_id", clientID,
			"error", err)
	}
}

// createAccount gives the new client a portal account without a
// password; they sign in by emailed link. An address that already has
// an account (a client of another provider, say) keeps it and no second
// one is made: the booking stands either way, and saying so would
// reveal the account.
func (b *Booking) createAccount(ctx context.Context, actor access.Actor, c clients.Client, email string) {
	_, err := b.d.Auth.CreateUser(ctx, actor, auth.NewUser{Email: email,
		Role: access.RoleClient, DisplayName: c.FirstName, ClientID: c.ID})
	var field *auth.FieldError
	switch {
	case err == nil:
	case errors.As(err, &field) && field.Field == "email":
		b.d.Logger.InfoContext(ctx, "booking: email already has an account; none created",
			"client_id", c.ID)
	default:
		b.d.Logger.ErrorContext(ctx, "booking: create client account", "client_id", c.ID,
			"error", err)
	}
}
