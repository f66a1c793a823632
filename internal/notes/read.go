package notes

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// noteColumns matches scanNote.
const noteColumns = `n.id, n.client_id, n.provider_id, n.appointment_id,
	n.template, n.content, n.status, n.signed_at, n.signed_by,
	n.content_hash, n.version, n.created_at, n.updated_at`

// Get returns one note with its addenda. Only the provider who owns the
// note's client gets it; everyone else, administrators and clients
// included, gets store.ErrNotFound. Every read is audited as
// notes.note.read.
func (s *Service) Get(ctx context.Context, actor access.Actor, id string) (Note, error) {
	n, err := s.load(ctx, s.db.Reader(), actor, id)
	if err != nil {
		return Note{}, err
	}
	if err := s.attachAddenda(ctx, s.db.Reader(), []*Note{&n}); err != nil {
		return Note{}, err
	}
	err = s.log.Record(ctx, nil, actor, audit.Entry{
		Action: "notes.note.read", ObjectType: "note", ObjectID: n.ID,
		ProviderID: n.ProviderID, ClientID: n.ClientID,
	})
	if err != nil {
		return Note{}, fmt.Errorf("notes: audit read: %w", err)
	}
	return n, nil
}

// List returns every note about one client, newest first, each with its
// sections and addenda. Only the client's own provider gets them (others
// get store.ErrNotFound); the read is audited once, as notes.note.list.
func (s *Service) List(ctx context.Context, actor access.Actor, clientID string) ([]Note, error) {
	if err := s.ownClient(ctx, s.db.Reader(), actor, clientID); err != nil {
		return nil, err
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT `+noteColumns+`
		FROM notes n
		WHERE n.client_id = $1
		ORDER BY n.created_at DESC, n.id DESC`, clientID)
	if err != nil {
		return nil, fmt.Errorf("notes: list: %w", store.Translate(err))
	}
	defer rows.Close()

	var out []Note
	for rows.Next() {
		n, err := s.scanNote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notes: list: %w", store.Translate(err))
	}
	ptrs := make([]*Note, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.attachAddenda(ctx, s.db.Reader(), ptrs); err != nil {
		return nil, err
	}

	err = s.log.Record(ctx, nil, actor, audit.Entry{
		Action: "notes.note.list", ObjectType: "client", ObjectID: clientID,
		ProviderID: actor.ProviderID, ClientID: clientID,
		Detail: "count=" + strconv.Itoa(len(out)),
	})
	if err != nil {
		return nil, fmt.Errorf("notes: audit list: %w", err)
	}
	return out, nil
}

// ownClient returns nil when actor is the provider of clientID, and
// store.ErrNotFound for anyone or anything else.
func (s *Service) ownClient(ctx context.Context, q store.Querier, actor access.Actor,
	clientID string) error {
	if !actor.IsProvider() || !store.ValidID(clientID) {
		return store.ErrNotFound
	}
	var providerID string
	err := q.QueryRowContext(ctx,
		`SELECT provider_id FROM clients WHERE id = $1`, clientID).Scan(&providerID)
	if err != nil {
		return fmt.Errorf("notes: find client: %w", store.Translate(err))
	}
	if providerID != actor.ProviderID {
		return store.ErrNotFound
	}
	return nil
}

// load reads one note the actor may reach, without addenda and without
// auditing; callers audit what they do with it.
func (s *Service) load(ctx context.Context, q store.Querier, actor access.Actor,
	id string) (Note, error) {
	if !actor.IsProvider() || !store.ValidID(id) {
		return Note{}, store.ErrNotFound
	}
	row := q.QueryRowContext(ctx, `SELECT `+noteColumns+`
		FROM notes n JOIN clients c ON c.id = n.client_id
		WHERE n.id = $1 AND c.provider_id = $2`, id, actor.ProviderID)
	return s.scanNote(row)
}

type scanner interface{ Scan(dest ...any) error }

// scanNote reads the noteColumns of one row and opens the content. A
// signed note whose content no longer matches its hash is an error, so
// altered text is never shown as what was signed.
func (s *Service) scanNote(r scanner) (Note, error) {
	var (
		n             Note
		appointmentID sql.NullString
		content       string
		signedAt      sql.NullTime
	)
	err := r.Scan(&n.ID, &n.ClientID, &n.ProviderID, &appointmentID,
		&n.Template, &content, &n.Status, &signedAt, &n.SignedBy,
		&n.ContentHash, &n.Version, &n.CreatedAt, &n.UpdatedAt)
	if err != nil {
		return Note{}, fmt.Errorf("notes: read note: %w", store.Translate(err))
	}
	n.AppointmentID = appointmentID.String
	if signedAt.Valid {
		t := signedAt.Time.UTC()
		n.SignedAt = &t
	}
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()

	fields, err := s.openFields(n.ID, content)
	if err != nil {
		return Note{}, err
	}
	n.Fields = fields
	if def, ok := LookupTemplate(n.Template); ok {
		for _, sec := range def.Sections {
			if _, ok := n.Fields[sec.Key]; !ok {
				n.Fields[sec.Key] = ""
			}
		}
	}
	if n.Status == StatusSigned && ContentHash(n) != n.ContentHash {
		return Note{}, fmt.Errorf("notes: note %s does not match its signed content hash", n.ID)
	}
	return n, nil
}

// attachAddenda loads the addenda of notes, oldest first per note.
func (s *Service) attachAddenda(ctx context.Context, q store.Querier, notes []*Note) error {
	if len(notes) == 0 {
		return nil
	}
	byID := make(map[string]*Note, len(notes))
	for _, n := range notes {
		byID[n.ID] = n
	}
	// One note: ask for it; several: ask for the client's, all at once.
	query := `SELECT a.id, a.note_id, a.author_id, a.text, a.created_at
		FROM note_addenda a WHERE a.note_id = $1
		ORDER BY a.created_at, a.id`
	arg := notes[0].ID
	if len(notes) > 1 {
		query = `SELECT a.id, a.note_id, a.author_id, a.text, a.created_at
			FROM note_addenda a JOIN notes n ON n.id = a.note_id
			WHERE n.client_id = $1
			ORDER BY a.created_at, a.id`
		arg = notes[0].ClientID
	}
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return fmt.Errorf("notes: read addenda: %w", store.Translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var (
			a              Addendum
			noteID, sealed string
			at             time.Time
		)
		if err := rows.Scan(&a.ID, &noteID, &a.AuthorID, &sealed, &at); err != nil {
			return fmt.Errorf("notes: read addenda: %w", store.Translate(err))
		}
		n, ok := byID[noteID]
		if !ok {
			continue
		}
		text, err := s.ring.OpenString(sealed, addendumAD(a.ID))
		if err != nil {
			return fmt.Errorf("notes: open addendum %s: %w", a.ID, err)
		}
		a.Text, a.CreatedAt = text, at.UTC()
		n.Addenda = append(n.Addenda, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("notes: read addenda: %w", store.Translate(err))
	}
	return nil
}

// isNotFound reports whether err means "no such note for this actor".
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
