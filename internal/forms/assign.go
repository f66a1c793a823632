package forms

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// MailTemplate is the mail sent to a client when a form is assigned. It
// carries only a link to the portal: no form name, no PHI.
const MailTemplate = "forms_assigned"

// errWaiting means the client already has the template to complete.
var errWaiting = errors.New("form already waiting")

// errArchivedTemplate means the provider archived the form being sent.
var errArchivedTemplate = errors.New("form template archived")

// Assign sends a template to one of the provider's clients. The client
// is mailed a link to BaseURL/portal/forms/{id} in the same transaction
// (no mail when the client has no email address; archived clients can
// still be sent forms). A client who already has the same template
// waiting is refused with a validation error on "template_id". Another
// provider's client or template is store.ErrNotFound.
func (s *Service) Assign(ctx context.Context, actor access.Actor, clientID, templateID string) (Assignment, error) {
	list, err := s.AssignAll(ctx, actor, clientID, []string{templateID})
	if err != nil {
		return Assignment{}, err
	}
	return list[0], nil
}

// AssignAll sends several templates to one client at once, as Assign
// does, all or none, with a single email: a client given their intake
// paperwork gets one message linking to their list of forms, not one
// per form.
func (s *Service) AssignAll(ctx context.Context, actor access.Actor, clientID string, templateIDs []string) ([]Assignment, error) {
	if !actor.IsProvider() || !store.ValidID(clientID) || len(templateIDs) == 0 {
		return nil, fmt.Errorf("forms: assign: %w", store.ErrNotFound)
	}
	for _, id := range templateIDs {
		if !store.ValidID(id) {
			return nil, fmt.Errorf("forms: assign: %w", store.ErrNotFound)
		}
	}
	if err := s.SeedInstanceTemplates(ctx); err != nil {
		return nil, err
	}
	var list []Assignment
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		list = list[:0]
		email, err := clientEmail(ctx, tx, actor.ProviderID, clientID)
		if err != nil {
			return err
		}
		for _, templateID := range templateIDs {
			a, err := s.insertAssignment(ctx, tx, actor, clientID, templateID)
			if err != nil {
				return err
			}
			if err := s.audit.Record(ctx, tx, actor, audit.Entry{
				Action:     "forms.assignment.create",
				ObjectType: "form_assignment",
				ObjectID:   a.ID,
				ProviderID: actor.ProviderID,
				ClientID:   clientID,
				Detail:     fmt.Sprintf("template=%s mailed=%t", templateID, email != ""),
			}); err != nil {
				return err
			}
			list = append(list, a)
		}
		if email == "" {
			return nil
		}
		msg := mail.Message{To: email, Template: MailTemplate,
			Data: map[string]string{"Link": s.baseURL + "/portal/forms/" + list[0].ID}}
		if len(list) > 1 {
			msg.Data = map[string]string{"Link": s.baseURL + "/portal/forms",
				"Count": fmt.Sprint(len(list))}
		}
		return s.outbox.Enqueue(ctx, tx, msg)
	})
	if errors.Is(err, errArchivedTemplate) {
		return nil, validation.New("template_id",
			"This form is archived. Restore it in Forms & letterhead to send it.")
	}
	if errors.Is(err, errWaiting) || errors.Is(err, store.ErrConflict) {
		// The unique index catches a concurrent assignment of the same form.
		return nil, validation.New("template_id",
			"This client already has this form waiting to be completed.")
	}
	if err != nil {
		return nil, fmt.Errorf("forms: assign: %w", err)
	}
	return list, nil
}

// insertAssignment writes one assignment of templateID to clientID,
// copying the template's fields so later edits of the template leave it
// as sent.
func (s *Service) insertAssignment(ctx context.Context, tx *sql.Tx, actor access.Actor,
	clientID, templateID string) (Assignment, error) {
	a := Assignment{ID: store.NewID(), ClientID: clientID, ProviderID: actor.ProviderID,
		TemplateID: templateID, Status: StatusAssigned, AssignedAt: s.now()}
	t, err := loadTemplate(ctx, tx, actor.ProviderID, templateID)
	if err != nil {
		return Assignment{}, err
	}
	if t.ArchivedAt != nil {
		return Assignment{}, errArchivedTemplate
	}
	a.TemplateTitle, a.Kind, a.Instrument = t.Title, t.Kind, t.Instrument

	var waiting int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM form_assignments
		WHERE client_id = $1 AND template_id = $2 AND status <> 'signed'`,
		clientID, templateID).Scan(&waiting)
	if err != nil {
		return Assignment{}, err
	}
	if waiting > 0 {
		return Assignment{}, errWaiting
	}

	fields, err := json.Marshal(t.Fields)
	if err != nil {
		return Assignment{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO form_assignments (id,
		provider_id, client_id, template_id, template_title,
		template_fields, kind, instrument, status, assigned_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		a.ID, a.ProviderID, a.ClientID, a.TemplateID, a.TemplateTitle,
		string(fields), a.Kind, a.Instrument, a.Status, a.AssignedAt)
	if err != nil {
		return Assignment{}, err
	}
	return a, nil
}

// clientEmail checks that clientID is providerID's client and returns
// the address to mail: the client record's, else their account's, else
// "".
func clientEmail(ctx context.Context, q store.Querier, providerID, clientID string) (string, error) {
	var owner, email string
	err := q.QueryRowContext(ctx, `SELECT provider_id, email FROM clients WHERE id = $1`,
		clientID).Scan(&owner, &email)
	if err != nil {
		return "", store.Translate(err)
	}
	if owner != providerID {
		return "", store.ErrNotFound
	}
	if email != "" {
		return email, nil
	}
	err = q.QueryRowContext(ctx, `SELECT email FROM users
		WHERE client_id = $1 AND role = 'client' AND disabled_at IS NULL
		ORDER BY created_at LIMIT 1`, clientID).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return email, store.Translate(err)
}

// ForClient lists a client's forms, newest first, for their provider or
// for the client themself. The list (with scores) is audited as one
// read.
func (s *Service) ForClient(ctx context.Context, actor access.Actor, clientID string) ([]Assignment, error) {
	owner, err := reachClient(ctx, s.db.Reader(), actor, clientID)
	if err != nil {
		return nil, fmt.Errorf("forms: list: %w", err)
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT `+assignmentColumns+`
		WHERE a.client_id = $1 ORDER BY a.assigned_at DESC, a.id DESC`, clientID)
	if err != nil {
		return nil, fmt.Errorf("forms: list: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		r, err := scanAssignment(rows)
		if err != nil {
			return nil, fmt.Errorf("forms: list: %w", err)
		}
		if err := s.openSignature(&r); err != nil {
			return nil, fmt.Errorf("forms: list: %w", err)
		}
		out = append(out, r.Assignment)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forms: list: %w", store.Translate(err))
	}

	err = s.audit.Record(ctx, nil, actor, audit.Entry{
		Action:     "forms.assignment.list",
		ObjectType: "client",
		ObjectID:   clientID,
		ProviderID: owner,
		ClientID:   clientID,
		Detail:     fmt.Sprintf("count=%d", len(out)),
	})
	if err != nil {
		return nil, fmt.Errorf("forms: list: %w", err)
	}
	return out, nil
}

// reachClient returns the provider of clientID when actor is that
// provider or the client themself, and store.ErrNotFound otherwise.
func reachClient(ctx context.Context, q store.Querier, actor access.Actor, clientID string) (string, error) {
	if !store.ValidID(clientID) || !(actor.IsProvider() || actor.IsClient()) {
		return "", store.ErrNotFound
	}
	var owner string
	err := q.QueryRowContext(ctx, `SELECT provider_id FROM clients WHERE id = $1`,
		clientID).Scan(&owner)
	if err != nil {
		return "", store.Translate(err)
	}
	switch {
	case actor.IsClient() && actor.ClientID == clientID:
	case actor.IsProvider() && actor.ProviderID == owner:
	default:
		return "", store.ErrNotFound
	}
	return owner, nil
}
