package booking

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
)

// LinkPath is where a client's booking link points, followed by the
// token.
const LinkPath = "/book/client/"

// A link token is base64url(client id "." nonce) "." base64url(MAC),
// the MAC an HMAC-SHA256, keyed with the vault's "booking-link" subkey,
// over the client id, their provider's id and the nonce stored on the
// client row. Replacing the nonce revokes every earlier link. Decoding
// is strict, so a token has one spelling: a last character changed only
// in bits base64 leaves unused is refused, not read as the same token.
var b64 = base64.RawURLEncoding.Strict()

// mac computes a link's signature.
func (b *Booking) mac(clientID, providerID, nonce string) []byte {
	m := hmac.New(sha256.New, b.linkKey)
	m.Write([]byte("booking-link\x00" + clientID + "\x00" + providerID + "\x00" + nonce))
	return m.Sum(nil)
}

// ClientLink returns the booking link of one of the acting provider's
// clients: BaseURL + LinkPath + token. The link stays the same until
// RevokeClientLink. Another provider's client is store.ErrNotFound; an
// archived client's link is refused with the clients.ErrArchived
// message.
func (b *Booking) ClientLink(ctx context.Context, actor access.Actor, clientID string) (string, error) {
	var token string
	err := b.d.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := b.ownClient(ctx, tx, actor, clientID); err != nil {
			return err
		}
		if err := b.d.Clients.CheckCanBook(ctx, clientID); err != nil {
			return err
		}
		fresh, err := newNonce()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET booking_nonce = $1
			WHERE id = $2 AND booking_nonce = ''`, fresh, clientID); err != nil {
			return fmt.Errorf("set link nonce: %w", store.Translate(err))
		}
		var nonce string
		if err := tx.QueryRowContext(ctx, `SELECT booking_nonce FROM clients WHERE id = $1`,
			clientID).Scan(&nonce); err != nil {
			return fmt.Errorf("read link nonce: %w", store.Translate(err))
		}
		token = b64.EncodeToString([]byte(clientID+"."+nonce)) + "." +
			b64.EncodeToString(b.mac(clientID, actor.ProviderID, nonce))
		return b.linkAudit(ctx, tx, actor, "booking.link.issue", clientID)
	})
	if err != nil {
		return "", fmt.Errorf("booking: client link: %w", err)
	}
	return b.d.BaseURL + LinkPath + token, nil
}

// RevokeClientLink makes every booking link issued for the acting
// provider's client invalid; the next ClientLink is a new one.
func (b *Booking) RevokeClientLink(ctx context.Context, actor access.Actor, clientID string) error {
	err := b.d.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := b.ownClient(ctx, tx, actor, clientID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET booking_nonce = '' WHERE id = $1`,
			clientID); err != nil {
			return fmt.Errorf("clear link nonce: %w", store.Translate(err))
		}
		return b.linkAudit(ctx, tx, actor, "booking.link.revoke", clientID)
	})
	if err != nil {
		return fmt.Errorf("booking: revoke client link: %w", err)
	}
	return nil
}

// LinkClient is what a client booking link opens: whose link it is and
// the provider to book with. It names no one beyond the provider.
type LinkClient struct {
	ClientID string
	Provider scheduling.PublicProvider
}

// ClientFromLink checks a link token and returns whom it books for. A
// malformed, tampered or revoked token is ErrInvalidLink; an archived
// client's is refused with the clients.ErrArchived message.
func (b *Booking) ClientFromLink(ctx context.Context, token string) (LinkClient, error) {
	clientID, providerID, err := b.openToken(ctx, token)
	if err != nil {
		return LinkClient{}, err
	}
	if err := b.d.Clients.CheckCanBook(ctx, clientID); err != nil {
		return LinkClient{}, fmt.Errorf("booking: %w", err)
	}
	avail, err := b.d.Scheduling.AvailabilityForProvider(ctx, providerID)
	if err != nil {
		return LinkClient{}, fmt.Errorf("booking: %w", err)
	}
	p, err := b.d.Scheduling.ProviderBySlug(ctx, avail.Slug)
	if err != nil {
		return LinkClient{}, fmt.Errorf("booking: %w", err)
	}
	return LinkClient{ClientID: clientID, Provider: p}, nil
}

// LinkSlots returns the open slots of type typeKey (a follow-up type;
// "" for the first) for the client of a link token, in tz.
func (b *Booking) LinkSlots(ctx context.Context, token string, from, to time.Time,
	typeKey string, tz *time.Location) ([]Slot, error) {
	lc, err := b.ClientFromLink(ctx, token)
	if err != nil {
		return nil, err
	}
	key, err := typeOf(lc.Provider.Types, scheduling.KindFollowUp, typeKey)
	if err != nil {
		return nil, err
	}
	return b.slots(ctx, lc.Provider.ID, from, to, key, zoneOr(tz, lc.Provider.TimeZone))
}

// BookFollowUp books a follow-up of type typeKey ("" for the provider's
// first follow-up type) at start for the client of a link token, on an
// open slot, as the system actor with source public (the IP and user
// agent come from the actor on ctx, if any). A lost slot is
// SlotTakenError with fresh slots; an archived client is refused.
func (b *Booking) BookFollowUp(ctx context.Context, token string, start time.Time,
	typeKey string) (scheduling.Appointment, error) {
	lc, err := b.ClientFromLink(ctx, token)
	if err != nil {
		return scheduling.Appointment{}, err
	}
	key, err := typeOf(lc.Provider.Types, scheduling.KindFollowUp, typeKey)
	if err != nil {
		return scheduling.Appointment{}, err
	}
	from := access.From(ctx)
	return b.book(ctx, publicActor(from.IP, from.UserAgent), lc.Provider, lc.ClientID,
		start, key, "")
}

// book books one session on an open slot for a client who books for
// themself (by link or in the portal).
func (b *Booking) book(ctx context.Context, actor access.Actor, p scheduling.PublicProvider,
	clientID string, start time.Time, typeKey, asked string) (scheduling.Appointment, error) {
	zone := zoneOr(nil, p.TimeZone)
	slot, err := b.openSlot(ctx, p.ID, start.UTC(), typeKey, zone)
	if err != nil {
		return scheduling.Appointment{}, err
	}
	loc, office := location(slot, asked)
	source := scheduling.SourceClient
	if actor.Role == access.System().Role {
		source = scheduling.SourcePublic
	}
	out, err := b.d.Scheduling.Create(ctx, actor, scheduling.NewAppointment{ClientID: clientID,
		Start: slot.Start, TypeKey: typeKey, Location: loc, OfficeID: office, Source: source})
	if errors.Is(err, scheduling.ErrSlotTaken) {
		return scheduling.Appointment{}, b.taken(ctx, p.ID, slot.Start, typeKey, zone)
	}
	if err != nil {
		return scheduling.Appointment{}, fmt.Errorf("booking: %w", err)
	}
	return out[0], nil
}

// openToken checks a token's form and signature against the client row
// and returns the client's and provider's ids.
func (b *Booking) openToken(ctx context.Context, token string) (clientID, providerID string, err error) {
	body, sig, ok := strings.Cut(strings.TrimSpace(token), ".")
	raw, err1 := b64.DecodeString(body)
	mac, err2 := b64.DecodeString(sig)
	if !ok || err1 != nil || err2 != nil {
		return "", "", fmt.Errorf("booking: %w", ErrInvalidLink)
	}
	clientID, nonce, ok := strings.Cut(string(raw), ".")
	if !ok || !store.ValidID(clientID) || nonce == "" {
		return "", "", fmt.Errorf("booking: %w", ErrInvalidLink)
	}
	var stored string
	err = b.d.DB.Reader().QueryRowContext(ctx, `SELECT provider_id, booking_nonce
		FROM clients WHERE id = $1`, clientID).Scan(&providerID, &stored)
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return "", "", fmt.Errorf("booking: %w", ErrInvalidLink)
	}
	if err != nil {
		return "", "", fmt.Errorf("booking: read link: %w", store.Translate(err))
	}
	if stored == "" || !hmac.Equal([]byte(stored), []byte(nonce)) ||
		!hmac.Equal(mac, b.mac(clientID, providerID, stored)) {
		return "", "", fmt.Errorf("booking: %w", ErrInvalidLink)
	}
	return clientID, providerID, nil
}

// ownClient checks that clientID is the acting provider's client.
func (b *Booking) ownClient(ctx context.Context, q store.Querier, actor access.Actor, clientID string) error {
	if !actor.IsProvider() || !store.ValidID(clientID) {
		return store.ErrNotFound
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients WHERE id = $1
		AND provider_id = $2`, clientID, actor.ProviderID).Scan(&n)
	if err != nil {
		return store.Translate(err)
	}
	if n != 1 {
		return store.ErrNotFound
	}
	return nil
}

func (b *Booking) linkAudit(ctx context.Context, tx *sql.Tx, actor access.Actor, action, clientID string) error {
	return b.d.Audit.Record(ctx, tx, actor, audit.Entry{Action: action, ObjectType: "client",
		ObjectID: clientID, ProviderID: actor.ProviderID, ClientID: clientID})
}

// newNonce returns 16 random bytes, base64url.
func newNonce() (string, error) {
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("link nonce: %w", err)
	}
	return b64.EncodeToString(buf), nil
}
