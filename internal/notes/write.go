package notes

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// ErrNotSigned is returned (joined with a validation error on "text")
// when an addendum is added to a note that is still a draft: drafts are
// edited, not amended.
var ErrNotSigned = errors.New("notes: the note is not signed yet")

// Create starts a draft note about clientID from template (intake, soap,
// dap, birp or free) with the given sections. appointmentID may be "";
// otherwise it must be one of the same client's appointments. Only the
// client's provider may create one (others get store.ErrNotFound); bad
// input is a validation error and nothing is written.
func (s *Service) Create(ctx context.Context, actor access.Actor, clientID, template,
	appointmentID string, fields map[string]string) (Note, error) {
	var n Note
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.ownClient(ctx, tx, actor, clientID); err != nil {
			return err
		}

		var errs validation.Errors
		def, ok := LookupTemplate(template)
		if !ok {
			errs.Add("template", "Choose a note template.")
		}
		var clean map[string]string
		if ok {
			var err error
			if clean, err = cleanFields(def, fields); err != nil {
				fe, _ := validation.From(err)
				errs = append(errs, fe...)
			}
		}
		appointmentID = strings.TrimSpace(appointmentID)
		if appointmentID != "" {
			if err := s.checkAppointment(ctx, tx, clientID, appointmentID); err != nil {
				if !isNotFound(err) {
					return err
				}
				errs.Add("appointment_id", "Choose one of this client's appointments.")
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}

		now := s.now()
		n = Note{ID: store.NewID(), ClientID: clientID, ProviderID: actor.ProviderID,
			AppointmentID: appointmentID, Template: template, Fields: clean,
			Status: StatusDraft, Version: 1, CreatedAt: now, UpdatedAt: now}
		sealed, err := s.sealFields(n.ID, clean)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO notes (id, client_id,
			provider_id, appointment_id, template, content, status, signed_by,
			content_hash, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '', '', $8, $9, $9)`,
			n.ID, n.ClientID, n.ProviderID, nullable(appointmentID),
			n.Template, sealed, n.Status, n.Version, now)
		if err != nil {
			return fmt.Errorf("notes: insert: %w", err)
		}
		return s.audit(ctx, tx, actor, "notes.note.create", n, "template="+n.Template)
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// checkAppointment returns store.ErrNotFound unless appointmentID is
// one of clientID's appointments.
func (s *Service) checkAppointment(ctx context.Context, q store.Querier, clientID,
	appointmentID string) error {
	if !store.ValidID(appointmentID) {
		return store.ErrNotFound
	}
	var owner string
	err := q.QueryRowContext(ctx,
		`SELECT client_id FROM appointments WHERE id = $1`, appointmentID).Scan(&owner)
	if err != nil {
		return fmt.Errorf("notes: find appointment: %w", store.Translate(err))
	}
	if owner != clientID {
		return store.ErrNotFound
	}
	return nil
}

// SaveDraft replaces the sections of a draft note (autosave): sections
// left out become empty. A signed note gives ErrLocked. It overwrites
// whatever was saved last; editors that can be open twice should use
// SaveDraftVersion.
func (s *Service) SaveDraft(ctx context.Context, actor access.Actor, id string,
	fields map[string]string) (Note, error) {
	return s.saveDraft(ctx, actor, id, 0, fields)
}

// SaveDraftVersion is SaveDraft that refuses, with store.ErrConflict, to
// overwrite a draft saved since the caller read version (Note.Version),
// so two tabs never silently undo each other. Saving unchanged content
// writes nothing and returns the note as it is.
func (s *Service) SaveDraftVersion(ctx context.Context, actor access.Actor, id string,
	version int, fields map[string]string) (Note, error) {
	if version < 1 {
		return Note{}, validation.New("version", "Reload the note before saving.")
	}
	return s.saveDraft(ctx, actor, id, version, fields)
}

func (s *Service) saveDraft(ctx context.Context, actor access.Actor, id string,
	version int, fields map[string]string) (Note, error) {
	var n Note
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = s.loadDraft(ctx, tx, actor, id, version); err != nil {
			return err
		}
		def, _ := LookupTemplate(n.Template)
		clean, err := cleanFields(def, fields)
		if err != nil {
			return err
		}
		if sameFields(clean, n.Fields) {
			return nil
		}

		sealed, err := s.sealFields(n.ID, clean)
		if err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE notes
			SET content = $1, version = version + 1, updated_at = $2
			WHERE id = $3 AND status = 'draft' AND version = $4`,
			sealed, now, n.ID, n.Version)
		if err := changedOne(res, err); err != nil {
			return err
		}
		n.Fields, n.Version, n.UpdatedAt = clean, n.Version+1, now
		return s.audit(ctx, tx, actor, "notes.note.update", n, "draft saved")
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// loadDraft reads a note for a change that only drafts allow: ErrLocked
// when it is signed, store.ErrConflict when version (if not 0) is not
// the stored one.
func (s *Service) loadDraft(ctx context.Context, q store.Querier, actor access.Actor,
	id string, version int) (Note, error) {
	n, err := s.load(ctx, q, actor, id)
	if err != nil {
		return Note{}, err
	}
	if n.Status != StatusDraft {
		return Note{}, ErrLocked
	}
	if version != 0 && version != n.Version {
		return Note{}, fmt.Errorf("notes: note %s was saved elsewhere (version %d, not %d): %w",
			n.ID, n.Version, version, store.ErrConflict)
	}
	return n, nil
}

// Sign signs a draft note as the actor: it records the signer and time
// and the content hash, and locks the note. A note with no text is a
// validation error; a signed one gives ErrLocked.
func (s *Service) Sign(ctx context.Context, actor access.Actor, id string) (Note, error) {
	return s.sign(ctx, actor, id, 0)
}

// SignVersion is Sign that refuses, with store.ErrConflict, when the
// draft changed since the caller read version, so no one signs text
// they have not seen.
func (s *Service) SignVersion(ctx context.Context, actor access.Actor, id string,
	version int) (Note, error) {
	if version < 1 {
		return Note{}, validation.New("version", "Reload the note before signing.")
	}
	return s.sign(ctx, actor, id, version)
}

func (s *Service) sign(ctx context.Context, actor access.Actor, id string,
	version int) (Note, error) {
	var n Note
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = s.loadDraft(ctx, tx, actor, id, version); err != nil {
			return err
		}
		if blank(n.Fields) {
			return validation.New("fields", "Write the note before signing it.")
		}

		now := s.now()
		hash := ContentHash(n)
		res, err := tx.ExecContext(ctx, `UPDATE notes
			SET status = 'signed', signed_at = $1, signed_by = $2,
			    content_hash = $3, version = version + 1, updated_at = $1
			WHERE id = $4 AND status = 'draft' AND version = $5`,
			now, actor.UserID, hash, n.ID, n.Version)
		if err := changedOne(res, err); err != nil {
			return err
		}
		n.Status, n.SignedAt, n.SignedBy = StatusSigned, &now, actor.UserID
		n.ContentHash, n.Version, n.UpdatedAt = hash, n.Version+1, now
		return s.audit(ctx, tx, actor, "notes.note.sign", n, "template="+n.Template)
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// AddAddendum adds dated text to a signed note, authored by the actor,
// and returns the note with every addendum. The text is required and at
// most MaxAddendumChars characters; a draft gives ErrNotSigned.
func (s *Service) AddAddendum(ctx context.Context, actor access.Actor, id,
	text string) (Note, error) {
	var n Note
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = s.load(ctx, tx, actor, id); err != nil {
			return err
		}
		if n.Status != StatusSigned {
			return errors.Join(ErrNotSigned, validation.New("text",
				"Sign the note before adding an addendum; until then, edit the draft."))
		}
		clean, problem := cleanText(text, MaxAddendumChars)
		if problem == "" && strings.TrimSpace(clean) == "" {
			problem = "Write the addendum."
		}
		if problem != "" {
			return validation.New("text", problem)
		}

		a := Addendum{ID: store.NewID(), Text: clean, AuthorID: actor.UserID,
			CreatedAt: s.now()}
		sealed, err := s.ring.SealString(clean, addendumAD(a.ID))
		if err != nil {
			return fmt.Errorf("notes: seal addendum: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO note_addenda (id, note_id,
			author_id, text, created_at) VALUES ($1, $2, $3, $4, $5)`,
			a.ID, n.ID, a.AuthorID, sealed, a.CreatedAt)
		if err != nil {
			return fmt.Errorf("notes: insert addendum: %w", err)
		}
		if err := s.attachAddenda(ctx, tx, []*Note{&n}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "notes.note.addendum", n, "addendum="+a.ID)
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// DeleteDraft removes a draft note for good, writing notes.note.delete
// to the audit log. A signed note can never be deleted: ErrLocked.
func (s *Service) DeleteDraft(ctx context.Context, actor access.Actor, id string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		n, err := s.loadDraft(ctx, tx, actor, id, 0)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx,
			`DELETE FROM notes WHERE id = $1 AND status = 'draft'`, n.ID)
		if err := changedOne(res, err); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "notes.note.delete", n, "template="+n.Template)
	})
}

// audit records action on n in tx; call it last in the transaction.
func (s *Service) audit(ctx context.Context, tx *sql.Tx, actor access.Actor,
	action string, n Note, detail string) error {
	err := s.log.Record(ctx, tx, actor, audit.Entry{
		Action: action, ObjectType: "note", ObjectID: n.ID,
		ProviderID: n.ProviderID, ClientID: n.ClientID, Detail: detail,
	})
	if err != nil {
		return fmt.Errorf("notes: audit %s: %w", action, err)
	}
	return nil
}

// changedOne turns an UPDATE or DELETE that matched no row — the note
// changed between reading and writing it — into store.ErrConflict.
func changedOne(res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("notes: write: %w", store.Translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("notes: write: %w", err)
	}
	if n != 1 {
		return fmt.Errorf("notes: note changed while saving: %w", store.ErrConflict)
	}
	return nil
}

func sameFields(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
