package clients

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// errBookingActor means a booking-only path was called by someone other
// than the system actor that the public booking page acts as.
var errBookingActor = fmt.Errorf("only the public booking page may do this: %w", access.ErrForbidden)

// CreateFromBooking adds a client of providerID from the public booking
// page, which acts as the system actor (access.System with the
// visitor's IP): nobody is signed in. timeZone is the visitor's IANA
// zone, kept for the times in their mail; an unknown zone is dropped.
// Problems with in come back as validation.Errors and nothing is
// written; an email another client of the provider has is one of them,
// so callers that must not reveal it check first.
func (s *Service) CreateFromBooking(ctx context.Context, actor access.Actor, providerID string,
	in Input, timeZone string) (Client, error) {
	if actor.Role != access.System().Role || !store.ValidID(providerID) {
		return Client{}, fmt.Errorf("clients: create from booking: %w", errBookingActor)
	}
	if _, err := time.LoadLocation(timeZone); err != nil || timeZone == "Local" {
		timeZone = ""
	}
	now := s.now()
	id := store.NewID()
	var out Client
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		rec, err := s.check(ctx, tx, providerID, "", in, now)
		if err != nil {
			return err
		}
		if err := insertClient(ctx, tx, id, providerID, rec, now); err != nil {
			return emailTaken(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET time_zone = $1 WHERE id = $2`,
			timeZone, id); err != nil {
			return fmt.Errorf("set time zone: %w", err)
		}
		if err := s.audit(ctx, tx, actor, "clients.client.create", id, providerID,
			"source=public_booking"); err != nil {
			return err
		}
		out, err = s.load(ctx, tx, id, now)
		return err
	})
	if err != nil {
		return Client{}, fmt.Errorf("clients: create from booking: %w", err)
	}
	return out, nil
}

// ErrInUse means a client made by a booking already has appointments,
// forms or an account, so DiscardBooking leaves it.
var ErrInUse = errors.New("clients: the client already has records")

// DiscardBooking deletes a client that CreateFromBooking made when the
// booking that was to follow failed (the slot was just taken), so a
// failed booking leaves no client behind. It refuses (ErrInUse) a client
// that has any appointment, form or account. The deletion is audited.
func (s *Service) DiscardBooking(ctx context.Context, actor access.Actor, providerID, clientID string) error {
	if actor.Role != access.System().Role {
		return fmt.Errorf("clients: discard booking: %w", errBookingActor)
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM appointments WHERE client_id = $1) +
			(SELECT COUNT(*) FROM form_assignments WHERE client_id = $1) +
			(SELECT COUNT(*) FROM users WHERE client_id = $1)`, clientID).Scan(&n)
		if err != nil {
			return fmt.Errorf("count records: %w", err)
		}
		if n > 0 {
			return ErrInUse
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM clients WHERE id = $1 AND provider_id = $2`,
			clientID, providerID)
		if err != nil {
			return fmt.Errorf("delete client: %w", store.Translate(err))
		}
		if gone, err := res.RowsAffected(); err != nil || gone != 1 {
			return store.ErrNotFound
		}
		return s.audit(ctx, tx, actor, "clients.client.discard", clientID, providerID,
			"reason=booking_failed")
	})
	if err != nil {
		return fmt.Errorf("clients: discard booking: %w", err)
	}
	return nil
}

// CheckBookingInput checks in as CreateFromBooking would, except for
// whether another client of providerID has the email: the public
// booking page must answer the same either way, so it settles every
// other problem first. Problems come back as validation.Errors.
func (s *Service) CheckBookingInput(ctx context.Context, in Input) error {
	rec, errs := normalize(in, s.now())
	if id := rec.Insurance.PayerID; id != "" && !errs.Has("insurance.payer_id") {
		var n int
		err := s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM payers WHERE id = $1`, id).Scan(&n)
		if err != nil {
			return fmt.Errorf("clients: check booking input: %w", store.Translate(err))
		}
		if n == 0 {
			errs.Add("insurance.payer_id", "Choose an insurance company from the list.")
		}
	}
	return errs.Err()
}
