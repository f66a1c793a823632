package clients

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// Create adds a client for the acting provider. Problems with the input
// come back together as validation.Errors and nothing is written.
func (s *Service) Create(ctx context.Context, actor access.Actor, in Input) (Client, error) {
	if !actor.IsProvider() {
		return Client{}, fmt.Errorf("clients: create: %w", access.ErrForbidden)
	}
	now := s.now()
	id := store.NewID()
	var out Client
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		rec, err := s.check(ctx, tx, actor.ProviderID, "", in, now)
		if err != nil {
			return err
		}
		if err := insertClient(ctx, tx, id, actor.ProviderID, rec, now); err != nil {
			return emailTaken(err)
		}
		if err := s.audit(ctx, tx, actor, "clients.client.create", id, actor.ProviderID, ""); err != nil {
			return err
		}
		out, err = s.load(ctx, tx, id, now)
		return err
	})
	if err != nil {
		return Client{}, fmt.Errorf("clients: create: %w", err)
	}
	return out, nil
}

// Get returns one client: a provider's own client, or the acting
// client's own record. Anything else is store.ErrNotFound. The read is
// audited.
func (s *Service) Get(ctx context.Context, actor access.Actor, id string) (Client, error) {
	if !s.reaches(ctx, actor, id) {
		return Client{}, fmt.Errorf("clients: get: %w", store.ErrNotFound)
	}
	c, err := s.load(ctx, s.db.Reader(), id, s.now())
	if err != nil {
		return Client{}, fmt.Errorf("clients: get: %w", err)
	}
	if err := s.audit(ctx, nil, actor, "clients.client.read", c.ID, c.ProviderID, ""); err != nil {
		return Client{}, fmt.Errorf("clients: get: %w", err)
	}
	return c, nil
}

// Update replaces the editable fields of a provider's own client with
// in. Problems come back as validation.Errors and nothing changes.
func (s *Service) Update(ctx context.Context, actor access.Actor, id string, in Input) (Client, error) {
	now := s.now()
	var out Client
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		old, err := s.own(ctx, tx, actor, id, now)
		if err != nil {
			return err
		}
		rec, err := s.check(ctx, tx, old.ProviderID, id, in, now)
		if err != nil {
			return err
		}
		if err := updateClient(ctx, tx, id, rec, now); err != nil {
			return emailTaken(err)
		}
		detail := "fields=" + changedFields(old.Input(), rec)
		if err := s.audit(ctx, tx, actor, "clients.client.update", id, old.ProviderID, detail); err != nil {
			return err
		}
		out, err = s.load(ctx, tx, id, now)
		return err
	})
	if err != nil {
		return Client{}, fmt.Errorf("clients: update: %w", err)
	}
	return out, nil
}

// Archive takes a provider's own client off the active tabs for reason
// (discharged, referred_out, left_care or paused_care). An archived
// client keeps every record but cannot book.
func (s *Service) Archive(ctx context.Context, actor access.Actor, id, reason string) (Client, error) {
	valid := false
	for _, r := range ArchiveReasons() {
		valid = valid || r == reason
	}
	return s.setArchived(ctx, actor, id, valid, reason)
}

// Unarchive returns a provider's archived client to the active tabs.
func (s *Service) Unarchive(ctx context.Context, actor access.Actor, id string) (Client, error) {
	return s.setArchived(ctx, actor, id, true, "")
}

func (s *Service) setArchived(ctx context.Context, actor access.Actor, id string,
	validReason bool, reason string) (Client, error) {
	now := s.now()
	var out Client
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.own(ctx, tx, actor, id, now)
		if err != nil {
			return err
		}
		archive := reason != "" || !validReason
		var at any
		action, detail := "clients.client.unarchive", ""
		switch {
		case archive && !validReason:
			return validation.New("reason", "Choose why the client is archived: "+
				"discharged, referred out, left care or paused care.")
		case archive && c.ArchivedAt != nil:
			return validation.New("reason", "This client is already archived.")
		case !archive && c.ArchivedAt == nil:
			return validation.New("reason", "This client is not archived.")
		case archive:
			at, action, detail = now, "clients.client.archive", "reason="+reason
		}
		_, err = tx.ExecContext(ctx, `UPDATE clients SET archived_at = $1,
			archive_reason = $2, updated_at = $3 WHERE id = $4`, at, reason, now, id)
		if err != nil {
			return fmt.Errorf("set archived: %w", err)
		}
		if err := s.audit(ctx, tx, actor, action, id, c.ProviderID, detail); err != nil {
			return err
		}
		out, err = s.load(ctx, tx, id, now)
		return err
	})
	if err != nil {
		return Client{}, fmt.Errorf("clients: archive: %w", err)
	}
	return out, nil
}

// CheckCanBook reports whether the client may book an appointment. An
// archived client gets an error wrapping ErrArchived that says why and
// what to do; an unknown id gets store.ErrNotFound. The caller has
// already checked who may book for this client.
func (s *Service) CheckCanBook(ctx context.Context, clientID string) error {
	var (
		at     nullTime
		reason string
	)
	err := s.db.Reader().QueryRowContext(ctx,
		`SELECT archived_at, archive_reason FROM clients WHERE id = $1`,
		clientID).Scan(&at, &reason)
	if err != nil {
		return fmt.Errorf("clients: check booking: %w", store.Translate(err))
	}
	if !at.Valid {
		return nil
	}
	return fmt.Errorf("%w (%s on %s) and cannot book appointments; "+
		"unarchive the client from their page to book again",
		ErrArchived, ReasonLabel(reason), at.Time.Format("Jan 2, 2006"))
}

// Payers returns the instance's payer list, by name.
func (s *Service) Payers(ctx context.Context) ([]Payer, error) {
	rows, err := s.db.Reader().QueryContext(ctx,
		`SELECT id, name, code FROM payers ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("clients: payers: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Payer
	for rows.Next() {
		var p Payer
		if err := rows.Scan(&p.ID, &p.Name, &p.Code); err != nil {
			return nil, fmt.Errorf("clients: payers: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("clients: payers: %w", store.Translate(err))
	}
	return out, nil
}

func (s *Service) now() time.Time {
	return s.clk.Now().UTC().Truncate(time.Microsecond)
}

// reaches reports whether actor may see client id at all.
func (s *Service) reaches(ctx context.Context, actor access.Actor, id string) bool {
	switch {
	case !store.ValidID(id):
		return false
	case actor.IsClient():
		return actor.ClientID == id
	case actor.IsProvider():
		var n int
		err := s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM clients
			WHERE id = $1 AND provider_id = $2`, id, actor.ProviderID).Scan(&n)
		return err == nil && n == 1
	}
	return false
}

// own loads a client the acting provider may change.
func (s *Service) own(ctx context.Context, q store.Querier, actor access.Actor,
	id string, now time.Time) (Client, error) {
	if !actor.IsProvider() || !store.ValidID(id) {
		return Client{}, store.ErrNotFound
	}
	c, err := s.load(ctx, q, id, now)
	if err != nil {
		return Client{}, err
	}
	if c.ProviderID != actor.ProviderID {
		return Client{}, store.ErrNotFound
	}
	return c, nil
}

// load reads one client by id, unscoped: callers check access first.
func (s *Service) load(ctx context.Context, q store.Querier, id string, now time.Time) (Client, error) {
	c, err := scanClient(q.QueryRowContext(ctx,
		`SELECT `+clientColumns("$1")+clientFrom+` WHERE c.id = $2`, now, id))
	if err != nil {
		return Client{}, store.Translate(err)
	}
	return c, nil
}

// check normalises in and adds the checks that need the database: the
// payer exists and no other client of the provider has the email.
func (s *Service) check(ctx context.Context, q store.Querier, providerID, selfID string,
	in Input, now time.Time) (Input, error) {
	rec, errs := normalize(in, now)
	if id := rec.Insurance.PayerID; id != "" && !errs.Has("insurance.payer_id") {
		var n int
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM payers WHERE id = $1`, id).Scan(&n)
		if err != nil {
			return Input{}, fmt.Errorf("check payer: %w", err)
		}
		if n == 0 {
			errs.Add("insurance.payer_id", "Choose an insurance company from the list.")
		}
	}
	if rec.Email != "" && !errs.Has("email") {
		var n int
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients
			WHERE provider_id = $1 AND email = $2 AND id <> $3`,
			providerID, rec.Email, selfID).Scan(&n)
		if err != nil {
			return Input{}, fmt.Errorf("check email: %w", err)
		}
		if n > 0 {
			errs.Add("email", emailTakenMessage)
		}
	}
	if err := errs.Err(); err != nil {
		return Input{}, err
	}
	return rec, nil
}

const emailTakenMessage = "Another of your clients already has this email address."

// emailTaken turns the unique index's conflict (a race the check above
// lost) into the same validation error.
func emailTaken(err error) error {
	if errors.Is(store.Translate(err), store.ErrConflict) {
		return validation.New("email", emailTakenMessage)
	}
	return err
}

func (s *Service) audit(ctx context.Context, q store.Querier, actor access.Actor,
	action, id, providerID, detail string) error {
	return s.log.Record(ctx, q, actor, audit.Entry{
		Action: action, ObjectType: "client", ObjectID: id,
		ProviderID: providerID, ClientID: id, Detail: detail,
	})
}

// encodeDiagnoses stores the list as JSON.
func encodeDiagnoses(d []Diagnosis) string {
	if len(d) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(d) // a slice of string structs always encodes
	return string(b)
}
