package forms

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// UpdateTemplate replaces the title, description and fields of one of
// the provider's own forms, checked as CreateTemplate checks a new one.
// Forms already sent keep the copy they were sent, so an edit changes
// only what is sent from now on. Tend's library and other providers'
// forms are store.ErrNotFound.
func (s *Service) UpdateTemplate(ctx context.Context, actor access.Actor, id string, t Template) (Template, error) {
	if !actor.IsProvider() || !store.ValidID(id) {
		return Template{}, fmt.Errorf("forms: update template: %w", store.ErrNotFound)
	}
	old, err := loadTemplate(ctx, s.db.Reader(), actor.ProviderID, id)
	if err != nil || old.ProviderID != actor.ProviderID {
		return Template{}, fmt.Errorf("forms: update template: %w", store.ErrNotFound)
	}
	t.ID, t.ProviderID, t.Kind, t.Instrument = id, actor.ProviderID, KindForm, ""
	t.CreatedAt, t.ArchivedAt = old.CreatedAt, old.ArchivedAt
	t.Fields = append([]Field(nil), t.Fields...)
	if errs := checkTemplate(&t); len(errs) > 0 {
		return Template{}, errs
	}
	t.Slug = slugify(t.Title)
	fields, err := json.Marshal(t.Fields)
	if err != nil {
		return Template{}, fmt.Errorf("forms: update template: %w", err)
	}

	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE form_templates
			SET slug = $1, title = $2, description = $3, fields = $4, updated_at = $5
			WHERE id = $6 AND provider_id = $7`,
			t.Slug, t.Title, t.Description, string(fields), s.now(), id, actor.ProviderID)
		if err != nil {
			return store.Translate(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return store.ErrNotFound
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action: "forms.template.update", ObjectType: "form_template", ObjectID: id,
			ProviderID: actor.ProviderID, Detail: fmt.Sprintf("fields=%d", len(t.Fields)),
		})
	})
	if errors.Is(err, store.ErrConflict) {
		return Template{}, validation.New("title", "You already have a form with this title.")
	}
	if err != nil {
		return Template{}, fmt.Errorf("forms: update template: %w", err)
	}
	return t, nil
}
