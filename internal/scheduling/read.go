package scheduling

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// apptColumns selects an appointment with its client's display name and
// the provider's zone; scanAppt reads them in this order.
const apptColumns = `a.id, a.provider_id, a.client_id, COALESCE(a.series_id, ''),
	a.kind, a.type_key, a.starts_at, a.ends_at, a.location, a.office_id,
	a.cpt_code, a.notes_for_client, a.status, a.cancel_reason, a.canceled_by,
	a.canceled_at, a.sequence, a.source, c.first_name, c.last_name,
	c.preferred_name, p.time_zone, a.created_at, a.updated_at`

// apptFrom joins the client (name, search) and provider (zone).
const apptFrom = ` FROM appointments a JOIN clients c ON c.id = a.client_id
	JOIN providers p ON p.id = a.provider_id`

type rowScanner interface{ Scan(dest ...any) error }

func scanAppt(row rowScanner, extra ...any) (Appointment, error) {
	var (
		a                 Appointment
		canceled          sql.NullTime
		first, last, pref string
		zone              string
	)
	dest := append([]any{&a.ID, &a.ProviderID, &a.ClientID, &a.SeriesID, &a.Kind,
		&a.TypeKey, &a.Start, &a.End, &a.Location, &a.OfficeID, &a.CPT,
		&a.NotesForClient, &a.Status, &a.CancelReason, &a.CanceledBy, &canceled,
		&a.Sequence, &a.Source, &first, &last, &pref, &zone, &a.CreatedAt,
		&a.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Appointment{}, err
	}
	if pref != "" {
		first = pref
	}
	a.ClientName = first + " " + last
	a.Start, a.End = a.Start.UTC(), a.End.UTC()
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if canceled.Valid {
		t := canceled.Time.UTC()
		a.CanceledAt = &t
	}
	loc, err := loadZone(zone)
	if err != nil {
		loc = time.UTC
	}
	a.LocalStart, a.LocalEnd = a.Start.In(loc), a.End.In(loc)
	return a, nil
}

// queryAppts runs a query selecting apptColumns.
func queryAppts(ctx context.Context, q store.Querier, query string, args ...any) ([]Appointment, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, store.Translate(err)
	}
	defer rows.Close()
	out := []Appointment{}
	for rows.Next() {
		a, err := scanAppt(rows)
		if err != nil {
			return nil, fmt.Errorf("scan appointment: %w", err)
		}
		out = append(out, a)
	}
	return out, store.Translate(rows.Err())
}

// loadAppt reads one appointment, unscoped: callers check access.
func loadAppt(ctx context.Context, q store.Querier, id string) (Appointment, error) {
	if !store.ValidID(id) {
		return Appointment{}, store.ErrNotFound
	}
	a, err := scanAppt(q.QueryRowContext(ctx, `SELECT `+apptColumns+apptFrom+
		` WHERE a.id = $1`, id))
	return a, store.Translate(err)
}

// visible reports whether actor may see a.
func visible(actor access.Actor, a Appointment) bool {
	switch {
	case actor.IsProvider():
		return a.ProviderID == actor.ProviderID
	case actor.IsClient():
		return a.ClientID == actor.ClientID
	}
	return false
}

// Get returns one appointment of the acting provider, or of the acting
// client. Anything else is store.ErrNotFound. The read is audited.
func (s *Service) Get(ctx context.Context, actor access.Actor, id string) (Appointment, error) {
	a, err := loadAppt(ctx, s.db.Reader(), id)
	if err == nil && !visible(actor, a) {
		err = store.ErrNotFound
	}
	if err == nil {
		err = s.audit(ctx, nil, actor, "scheduling.appointment.read", a, "")
	}
	if err != nil {
		return Appointment{}, fmt.Errorf("scheduling: get: %w", err)
	}
	return a, nil
}

// Range returns the acting provider's appointments that overlap
// [from, to), cancelled ones included, by start: the calendar views.
func (s *Service) Range(ctx context.Context, actor access.Actor, from, to time.Time) ([]Appointment, error) {
	if !actor.IsProvider() {
		return nil, fmt.Errorf("scheduling: range: %w", access.ErrForbidden)
	}
	if !from.Before(to) || to.Sub(from) > 400*24*time.Hour {
		return nil, fmt.Errorf("scheduling: range: %w", errBadRange)
	}
	out, err := queryAppts(ctx, s.db.Reader(), `SELECT `+apptColumns+apptFrom+`
		WHERE a.provider_id = $1 AND a.starts_at < $2 AND a.ends_at > $3
		AND a.starts_at >= $4 ORDER BY a.starts_at, a.id`, actor.ProviderID,
		to.UTC(), from.UTC(), from.Add(-maxSession).UTC())
	if err == nil {
		err = s.log.Record(ctx, nil, actor, audit.Entry{Action: "scheduling.appointment.list",
			ObjectType: "appointment", ProviderID: actor.ProviderID,
			Detail: fmt.Sprintf("view=range results=%d", len(out))})
	}
	if err != nil {
		return nil, fmt.Errorf("scheduling: range: %w", err)
	}
	return out, nil
}

// Today returns the acting provider's appointments that start today in
// their time zone and are not cancelled, by start.
func (s *Service) Today(ctx context.Context, actor access.Actor) ([]Appointment, error) {
	if !actor.IsProvider() {
		return nil, fmt.Errorf("scheduling: today: %w", access.ErrForbidden)
	}
	loc, err := s.providerZone(ctx, s.db.Reader(), actor.ProviderID)
	if err != nil {
		return nil, fmt.Errorf("scheduling: today: %w", err)
	}
	local := s.clk.Now().In(loc)
	y, m, d := local.Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, loc)
	to := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	all, err := s.Range(ctx, actor, from, to)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if !a.Start.Before(from) && a.Status != StatusCanceled && a.Status != StatusLateCanceled {
			out = append(out, a)
		}
	}
	return out, nil
}

// ForClient returns every appointment of one client, latest first: for
// the client's own provider, or for the client themself.
func (s *Service) ForClient(ctx context.Context, actor access.Actor, clientID string) ([]Appointment, error) {
	ok := false
	switch {
	case !store.ValidID(clientID):
	case actor.IsClient():
		ok = actor.ClientID == clientID
	case actor.IsProvider():
		var n int
		err := s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM clients
			WHERE id = $1 AND provider_id = $2`, clientID, actor.ProviderID).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("scheduling: for client: %w", store.Translate(err))
		}
		ok = n == 1
	}
	if !ok {
		return nil, fmt.Errorf("scheduling: for client: %w", store.ErrNotFound)
	}
	out, err := queryAppts(ctx, s.db.Reader(), `SELECT `+apptColumns+apptFrom+`
		WHERE a.client_id = $1 ORDER BY a.starts_at DESC, a.id DESC`, clientID)
	if err == nil {
		err = s.log.Record(ctx, nil, actor, audit.Entry{Action: "scheduling.appointment.list",
			ObjectType: "appointment", ClientID: clientID,
			Detail: fmt.Sprintf("view=client results=%d", len(out))})
	}
	if err != nil {
		return nil, fmt.Errorf("scheduling: for client: %w", err)
	}
	return out, nil
}

// providerZone loads a provider's time zone.
func (s *Service) providerZone(ctx context.Context, q store.Querier, providerID string) (*time.Location, error) {
	var zone string
	err := q.QueryRowContext(ctx, `SELECT time_zone FROM providers WHERE id = $1`,
		providerID).Scan(&zone)
	if err != nil {
		return nil, store.Translate(err)
	}
	return loadZone(zone)
}

// audit records one action on one appointment.
func (s *Service) audit(ctx context.Context, q store.Querier, actor access.Actor,
	action string, a Appointment, detail string) error {
	return s.log.Record(ctx, q, actor, audit.Entry{Action: action,
		ObjectType: "appointment", ObjectID: a.ID, ProviderID: a.ProviderID,
		ClientID: a.ClientID, Detail: detail})
}
