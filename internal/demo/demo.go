// Package demo fills an empty database with realistic, deterministic
// data so that every page of the portal looks lived-in: an admin, two
// providers with sign-ins (in different states, each with their own
// clients), two clients with sign-ins and a directory of providers.
//
// The data is drawn from a fixed seed and dated relative to the clock's
// now, so two loads at the same instant hold the same people and a demo
// started with --clock has a history that ends "today".
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
)

// Password is the password of every demo account. It exists only in
// demo data; the README says so.
const Password = "demo-password"

// ErrNotEmpty is returned by Load when the database already holds data.
var ErrNotEmpty = errors.New("demo: the database is not empty")

// Deps is what Load needs.
type Deps struct {
	DB    *store.DB
	Clock clock.Clock
	Auth  *auth.Service
	// Messages, when set, gets demo conversations for the first
	// provider's clients.
	Messages *messaging.Service
}

// SignIn is one demo account to show to a person trying the portal.
type SignIn struct {
	Role  access.Role
	Email string
	Note  string
}

// SignIns lists the demo accounts, in the order they are shown.
func SignIns() []SignIn {
	return []SignIn{
		{access.RoleProvider, "provider@demo.test", "Dr. Maya Okafor, New York"},
		{access.RoleProvider, "provider2@demo.test", "Elena Vasquez, California"},
		{access.RoleClient, "client@demo.test", "a client of the first provider"},
		{access.RoleClient, "client2@demo.test", "a client of the second provider"},
		{access.RoleAdmin, "admin@demo.test", "administrator"},
	}
}

// IsEmpty reports whether the database holds no users, providers or
// clients, the only state Load writes into.
func IsEmpty(ctx context.Context, db *store.DB) (bool, error) {
	var n int
	const q = `SELECT (SELECT COUNT(*) FROM users) +
		(SELECT COUNT(*) FROM providers) + (SELECT COUNT(*) FROM clients)`
	if err := db.Reader().QueryRowContext(ctx, q).Scan(&n); err != nil {
		return false, fmt.Errorf("demo: count rows: %w", store.Translate(err))
	}
	return n == 0, nil
}

// Load writes the demo data into an empty database. It refuses, with
// ErrNotEmpty, a database that already holds people, so real records
// are never mixed with made-up ones.
func Load(ctx context.Context, d Deps) error {
	empty, err := IsEmpty(ctx, d.DB)
	if err != nil {
		return err
	}
	if !empty {
		return ErrNotEmpty
	}

	plan := Build(d.Clock.Now())
	err = d.DB.InTx(ctx, func(tx *sql.Tx) error {
		for _, p := range plan.Providers {
			if err := insertProvider(ctx, tx, p); err != nil {
				return err
			}
			if err := scheduling.SeedSettings(ctx, tx, availabilityOf(p), p.CreatedAt); err != nil {
				return err
			}
		}
		payers, err := payerIDs(ctx, tx)
		if err != nil {
			return err
		}
		now := d.Clock.Now()
		for _, c := range plan.Clients {
			if err := insertClient(ctx, tx, now, payers, c); err != nil {
				return err
			}
		}
		if err := insertSeries(ctx, tx, now, plan.Providers, plan.Series); err != nil {
			return err
		}
		if err := insertAppointments(ctx, tx, now, plan.Appointments); err != nil {
			return err
		}
		return insertMessages(ctx, tx, d.Messages, now, plan)
	})
	if err != nil {
		return fmt.Errorf("demo: write people: %w", err)
	}
	return createAccounts(ctx, d, plan.Accounts)
}

func insertProvider(ctx context.Context, tx *sql.Tx, p Provider) error {
	const q = `INSERT INTO providers (id, first_name, last_name, credentials,
		pronouns, time_zone, primary_state, npi, bio, referrals_on,
		created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
	_, err := tx.ExecContext(ctx, q, p.ID, p.First, p.Last, p.Credentials,
		p.Pronouns, p.TimeZone, p.State, p.NPI, p.Bio, p.ReferralsOn,
		p.CreatedAt.UTC(), p.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("insert provider: %w", err)
	}
	return nil
}

// insertClient writes a client through clients.Seed, which checks the
// record and keeps its search keys as the clients area does.
func insertClient(ctx context.Context, tx *sql.Tx, now time.Time,
	payers map[string]string, c Client) error {
	in := clients.Input{
		FirstName: c.First, LastName: c.Last, PreferredName: c.Preferred,
		Pronouns: c.Care.Pronouns, Email: c.Email, Phone: c.Phone,
		DateOfBirth: c.DateOfBirth, Type: c.Care.Type, CashPay: c.Care.CashPay,
		Diagnoses: c.Care.Diagnoses,
	}
	if c.Care.PayerCode != "" {
		in.Insurance = clients.Insurance{PayerID: payers[c.Care.PayerCode],
			MemberID: c.Care.MemberID, SubscriberRelationship: "self"}
	}
	err := clients.Seed(ctx, tx, now, clients.SeedRecord{ID: c.ID,
		ProviderID: c.ProviderID, Input: in, ArchivedAt: c.ArchivedAt,
		ArchiveReason: c.ArchiveReason, CreatedAt: c.CreatedAt})
	if err != nil {
		return fmt.Errorf("insert client: %w", err)
	}
	return nil
}

// payerIDs maps the payer list's codes to ids.
func payerIDs(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT code, id FROM payers`)
	if err != nil {
		return nil, fmt.Errorf("read payers: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, id string
		if err := rows.Scan(&code, &id); err != nil {
			return nil, fmt.Errorf("read payers: %w", err)
		}
		out[code] = id
	}
	return out, rows.Err()
}

// insertAppointments writes the appointment history with one prepared
// statement.
func insertAppointments(ctx context.Context, tx *sql.Tx, now time.Time, appts []Appointment) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO appointments (id, provider_id,
		client_id, starts_at, ends_at, status, kind, type_key, cpt_code,
		location, office_id, series_id, original_start, detached, canceled_at,
		canceled_by, cancel_reason, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
		$15, $16, $17, $18, $18)`)
	if err != nil {
		return fmt.Errorf("insert appointments: %w", err)
	}
	defer stmt.Close()
	for _, a := range appts {
		ends := a.StartsAt.Add(time.Duration(a.Minutes) * time.Minute)
		var series, original, canceledAt any
		if a.SeriesID != "" {
			series, original = a.SeriesID, a.OriginalStart.UTC()
		}
		by, reason := "", ""
		if a.Status == "canceled" {
			canceledAt, by, reason = a.StartsAt.Add(-72*time.Hour).UTC(), "client", "Schedule conflict"
		}
		_, err := stmt.ExecContext(ctx, a.ID, a.ProviderID, a.ClientID,
			a.StartsAt.UTC(), ends.UTC(), a.Status, a.Kind, a.TypeKey, a.CPT,
			a.Location, a.OfficeID, series, original, a.Detached, canceledAt,
			by, reason, now.UTC())
		if err != nil {
			return fmt.Errorf("insert appointment: %w", err)
		}
	}
	return nil
}

// createAccounts adds the demo sign-ins through the auth service, so
// each is hashed, validated and audited like any other account.
func createAccounts(ctx context.Context, d Deps, accounts []Account) error {
	for _, a := range accounts {
		_, err := d.Auth.CreateUser(ctx, access.System(), auth.NewUser{
			Email: a.Email, Password: Password, Role: a.Role,
			DisplayName: a.DisplayName, ProviderID: a.ProviderID,
			ClientID: a.ClientID,
		})
		if err != nil {
			return fmt.Errorf("demo: create %s account: %w", a.Role, err)
		}
	}
	return nil
}
