package forms

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

// SeedInstanceTemplates writes the instance's templates (see
// InstanceTemplates), adding missing ones by slug and bringing existing
// ones up to date with the code. It is safe to run at every start and
// from several processes at once. The Service also runs it once on
// first use, so calling it at start only moves that work earlier.
// Forms already assigned keep the copy they were sent.
func (s *Service) SeedInstanceTemplates(ctx context.Context) error {
	s.seedMu.Lock()
	defer s.seedMu.Unlock()
	if s.seeded {
		return nil
	}
	now := s.now()
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		for _, t := range InstanceTemplates() {
			if errs := checkTemplate(&t); len(errs) > 0 {
				return fmt.Errorf("template %s: %w", t.Slug, errs)
			}
			fields, err := json.Marshal(t.Fields)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO form_templates (id,
				provider_id, slug, title, description, kind, instrument,
				fields, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
				ON CONFLICT (provider_id, slug) DO UPDATE SET
				title = excluded.title, description = excluded.description,
				kind = excluded.kind, instrument = excluded.instrument,
				fields = excluded.fields, updated_at = excluded.updated_at
				WHERE form_templates.fields <> excluded.fields
				OR form_templates.title <> excluded.title
				OR form_templates.description <> excluded.description`,
				store.NewID(), instanceProviderID, t.Slug, t.Title,
				t.Description, t.Kind, t.Instrument, string(fields), now)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forms: seed instance templates: %w", err)
	}
	s.seeded = true
	return nil
}

// Templates lists the templates a provider can send: the instance's and
// their own that are not archived, instance templates first, then by
// title. Clients and anyone else get access.ErrForbidden.
func (s *Service) Templates(ctx context.Context, actor access.Actor) ([]Template, error) {
	return s.listTemplates(ctx, actor, `(provider_id = '' OR provider_id = $1)
		AND archived_at IS NULL`)
}

// ArchivedTemplates lists the provider's own archived forms by title.
func (s *Service) ArchivedTemplates(ctx context.Context, actor access.Actor) ([]Template, error) {
	return s.listTemplates(ctx, actor, `provider_id = $1 AND archived_at IS NOT NULL`)
}

// listTemplates lists the templates matching where, a condition on the
// acting provider's id ($1).
func (s *Service) listTemplates(ctx context.Context, actor access.Actor, where string) ([]Template, error) {
	if !actor.IsProvider() {
		return nil, access.ErrForbidden
	}
	if err := s.SeedInstanceTemplates(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT `+templateColumns+`
		FROM form_templates WHERE `+where+`
		ORDER BY provider_id, kind, title, id`, actor.ProviderID)
	if err != nil {
		return nil, fmt.Errorf("forms: list templates: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Template
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, fmt.Errorf("forms: list templates: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forms: list templates: %w", store.Translate(err))
	}
	return out, nil
}

// Template returns one template the provider can send (an instance
// template or their own); any other id is store.ErrNotFound.
func (s *Service) Template(ctx context.Context, actor access.Actor, id string) (Template, error) {
	if !actor.IsProvider() || !store.ValidID(id) {
		return Template{}, fmt.Errorf("forms: template: %w", store.ErrNotFound)
	}
	if err := s.SeedInstanceTemplates(ctx); err != nil {
		return Template{}, err
	}
	t, err := loadTemplate(ctx, s.db.Reader(), actor.ProviderID, id)
	if err != nil {
		return Template{}, fmt.Errorf("forms: template: %w", err)
	}
	return t, nil
}

// CreateTemplate saves a provider's own form built from typed fields
// (short text, long text, single and multiple choice, date, signature).
// Every problem is returned at once as validation.Errors and nothing is
// saved; see checkTemplate for the field names used.
func (s *Service) CreateTemplate(ctx context.Context, actor access.Actor, t Template) (Template, error) {
	if !actor.IsProvider() {
		return Template{}, access.ErrForbidden
	}
	t.ID, t.ProviderID, t.Kind, t.Instrument = store.NewID(), actor.ProviderID, KindForm, ""
	t.Fields = append([]Field(nil), t.Fields...)
	if errs := checkTemplate(&t); len(errs) > 0 {
		return Template{}, errs
	}
	t.Slug = slugify(t.Title)
	t.CreatedAt = s.now()
	fields, err := json.Marshal(t.Fields)
	if err != nil {
		return Template{}, fmt.Errorf("forms: create template: %w", err)
	}

	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO form_templates (id,
			provider_id, slug, title, description, kind, instrument, fields,
			created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			t.ID, t.ProviderID, t.Slug, t.Title, t.Description, t.Kind,
			t.Instrument, string(fields), t.CreatedAt)
		if err != nil {
			return store.Translate(err)
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action:     "forms.template.create",
			ObjectType: "form_template",
			ObjectID:   t.ID,
			ProviderID: actor.ProviderID,
			Detail:     fmt.Sprintf("fields=%d", len(t.Fields)),
		})
	})
	if errors.Is(err, store.ErrConflict) {
		return Template{}, validation.New("title", "You already have a form with this title.")
	}
	if err != nil {
		return Template{}, fmt.Errorf("forms: create template: %w", err)
	}
	return t, nil
}

// ArchiveTemplate retires or restores one of the provider's own forms.
// An archived form is no longer offered for sending; forms already sent
// keep their copy, and it can still be printed and copied. Tend's
// library and other providers' forms are store.ErrNotFound.
func (s *Service) ArchiveTemplate(ctx context.Context, actor access.Actor, id string, archived bool) error {
	if !actor.IsProvider() || !store.ValidID(id) {
		return fmt.Errorf("forms: archive template: %w", store.ErrNotFound)
	}
	var at *time.Time
	action := "forms.template.unarchive"
	if archived {
		now := s.now()
		at, action = &now, "forms.template.archive"
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE form_templates
			SET archived_at = $1, updated_at = $2
			WHERE id = $3 AND provider_id = $4`, at, s.now(), id, actor.ProviderID)
		if err != nil {
			return store.Translate(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return store.ErrNotFound
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action: action, ObjectType: "form_template", ObjectID: id,
			ProviderID: actor.ProviderID,
		})
	})
	if err != nil {
		return fmt.Errorf("forms: archive template: %w", err)
	}
	return nil
}

const templateColumns = `id, provider_id, slug, title, description, kind,
	instrument, fields, created_at, archived_at`

// loadTemplate reads a template that is the instance's or providerID's.
func loadTemplate(ctx context.Context, q store.Querier, providerID, id string) (Template, error) {
	row := q.QueryRowContext(ctx, `SELECT `+templateColumns+`
		FROM form_templates WHERE id = $1 AND (provider_id = '' OR provider_id = $2)`,
		id, providerID)
	return scanTemplate(row)
}

type scanner interface{ Scan(dest ...any) error }

func scanTemplate(r scanner) (Template, error) {
	var t Template
	var fields string
	var archived sql.NullTime
	err := r.Scan(&t.ID, &t.ProviderID, &t.Slug, &t.Title, &t.Description,
		&t.Kind, &t.Instrument, &fields, &t.CreatedAt, &archived)
	if err != nil {
		return Template{}, store.Translate(err)
	}
	t.CreatedAt = t.CreatedAt.UTC()
	if archived.Valid {
		at := archived.Time.UTC()
		t.ArchivedAt = &at
	}
	if err := json.Unmarshal([]byte(fields), &t.Fields); err != nil {
		return Template{}, fmt.Errorf("decode fields of template %s: %w", t.ID, err)
	}
	return t, nil
}
