package forms

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/tasks"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/vault"
)

// Open returns a form with its answers for the client's provider or the
// client. A provider sees answers once the form is signed; until then
// Answers is empty. Every Open is audited.
func (s *Service) Open(ctx context.Context, actor access.Actor, assignmentID string) (Submission, error) {
	x, err := loadAssignment(ctx, s.db.Reader(), actor, assignmentID)
	if err != nil {
		return Submission{}, fmt.Errorf("forms: open: %w", err)
	}
	sub := Submission{Assignment: x.Assignment, SignerIP: x.signerIP,
		Answers: map[string]string{}}
	sub.Template = Template{ID: x.TemplateID, Title: x.TemplateTitle, Kind: x.Kind,
		Instrument: x.Instrument}
	if err := json.Unmarshal([]byte(x.fields), &sub.Template.Fields); err != nil {
		return Submission{}, fmt.Errorf("forms: open: decode fields: %w", err)
	}
	if err := s.openSignature(&x); err != nil {
		return Submission{}, fmt.Errorf("forms: open: %w", err)
	}
	sub.SignedName, sub.AnswersHash = x.SignedName, x.AnswersHash
	if actor.IsClient() || x.Status == StatusSigned {
		if sub.Answers, err = s.openAnswers(x); err != nil {
			return Submission{}, fmt.Errorf("forms: open: %w", err)
		}
	}

	err = s.audit.Record(ctx, nil, actor, audit.Entry{
		Action:     "forms.submission.read",
		ObjectType: "form_assignment",
		ObjectID:   x.ID,
		ProviderID: x.owner,
		ClientID:   x.ClientID,
		Detail:     "status=" + x.Status,
	})
	if err != nil {
		return Submission{}, fmt.Errorf("forms: open: %w", err)
	}
	return sub, nil
}

// SaveDraft stores the client's answers so far. Only the client the
// form was sent to may save it; a signed form is ErrLocked. Answers are
// checked as Sign checks them, except that nothing is required yet;
// answers to questions not on the form are dropped.
func (s *Service) SaveDraft(ctx context.Context, actor access.Actor, assignmentID string, answers map[string]string) error {
	if !actor.IsClient() {
		return fmt.Errorf("forms: save draft: %w", store.ErrNotFound)
	}
	x, clean, err := s.prepare(ctx, actor, assignmentID, answers, false)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE form_assignments
			SET status = 'draft', updated_at = $1
			WHERE id = $2 AND status <> 'signed'`, now, x.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(ErrLocked, err)
		}
		if err := s.writeAnswers(ctx, tx, x.ID, clean, now); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action:     "forms.submission.save_draft",
			ObjectType: "form_assignment",
			ObjectID:   x.ID,
			ProviderID: x.owner,
			ClientID:   x.ClientID,
			Detail:     fmt.Sprintf("answers=%d", len(clean)),
		})
	})
	if err != nil {
		return fmt.Errorf("forms: save draft: %w", err)
	}
	return nil
}

// prepare loads the client's unsigned assignment and checks answers
// against the fields it was sent with.
func (s *Service) prepare(ctx context.Context, actor access.Actor, id string,
	answers map[string]string, final bool) (row, map[string]string, error) {
	x, err := loadAssignment(ctx, s.db.Reader(), actor, id)
	if err != nil {
		return row{}, nil, fmt.Errorf("forms: %w", err)
	}
	if x.Status == StatusSigned {
		return row{}, nil, ErrLocked
	}
	var fields []Field
	if err := json.Unmarshal([]byte(x.fields), &fields); err != nil {
		return row{}, nil, fmt.Errorf("forms: decode fields: %w", err)
	}
	clean, errs := checkAnswers(fields, answers, final)
	if len(errs) > 0 {
		return row{}, nil, errs
	}
	return x, clean, nil
}

// writeAnswers seals answers into the assignment's submission row.
func (s *Service) writeAnswers(ctx context.Context, tx *sql.Tx, id string,
	answers map[string]string, now time.Time) error {
	plain, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	sealed, err := s.ring.SealString(string(plain), vault.Bind("form_submissions", "answers", id))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO form_submissions
		(assignment_id, answers, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (assignment_id) DO UPDATE SET
		answers = excluded.answers, updated_at = excluded.updated_at`,
		id, sealed, now)
	return err
}

// Sign checks every answer (required fields, choices among the options,
// valid dates, a typed name in each signature field, scale items 0 to
// 3), then records the typed name, the time, the actor's IP and the
// SHA-256 of the answers, scores a measure, and locks the form. Problems
// come back as validation.Errors named by field key, or "typed_name".
// A PHQ-9 with item 9 above zero raises an urgent task for the provider
// in the same transaction.
func (s *Service) Sign(ctx context.Context, actor access.Actor, assignmentID string,
	answers map[string]string, typedName string) (Assignment, error) {
	if !actor.IsClient() {
		return Assignment{}, fmt.Errorf("forms: sign: %w", store.ErrNotFound)
	}
	x, clean, err := s.prepare(ctx, actor, assignmentID, answers, true)
	var errs validation.Errors
	if e, ok := validation.From(err); ok {
		errs, err = e, nil
	}
	if err != nil {
		return Assignment{}, err
	}
	typedName = strings.Join(strings.Fields(typedName), " ")
	switch {
	case typedName == "":
		errs.Add("typed_name", "Type your full name to sign.")
	case utf8.RuneCountInString(typedName) > maxSignature:
		errs.Add("typed_name", "Type your name in under 200 characters.")
	}
	if len(errs) > 0 {
		return Assignment{}, errs
	}

	a := x.Assignment
	now := s.now()
	a.Status, a.SignedAt, a.SignedName = StatusSigned, &now, typedName
	a.AnswersHash = HashAnswers(clean)
	if a.Score, err = scoreOf(a.Instrument, clean); err != nil {
		return Assignment{}, fmt.Errorf("forms: sign: %w", err)
	}
	if a.Score != nil {
		a.Score.AssignmentID, a.Score.At = a.ID, now
	}

	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		return s.recordSignature(ctx, tx, actor, x.owner, a, clean)
	})
	if err != nil {
		return Assignment{}, fmt.Errorf("forms: sign: %w", err)
	}
	return a, nil
}

// recordSignature stores a signed form and what follows from it.
func (s *Service) recordSignature(ctx context.Context, tx *sql.Tx, actor access.Actor,
	owner string, a Assignment, answers map[string]string) error {
	var total any
	band, item9 := "", false
	if a.Score != nil {
		total, band, item9 = a.Score.Total, a.Score.Band, a.Score.Item9Positive
	}
	res, err := tx.ExecContext(ctx, `UPDATE form_assignments SET status = 'signed',
		updated_at = $1, signed_at = $1, score_total = $2, score_band = $3,
		item9_positive = $4 WHERE id = $5 AND status <> 'signed'`,
		*a.SignedAt, total, band, item9, a.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(ErrLocked, err)
	}
	if err := s.writeAnswers(ctx, tx, a.ID, answers, *a.SignedAt); err != nil {
		return err
	}
	sig, err := json.Marshal(signatureRecord{Name: a.SignedName, Hash: a.AnswersHash})
	if err != nil {
		return err
	}
	sealed, err := s.ring.SealString(string(sig),
		vault.Bind("form_submissions", "signature", a.ID))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE form_submissions SET signature = $1,
		signer_ip = $2 WHERE assignment_id = $3`, sealed, actor.IP, a.ID)
	if err != nil {
		return err
	}

	if item9 {
		err := tasks.Raise(ctx, tx, tasks.Task{
			ProviderID: owner,
			ClientID:   a.ClientID,
			Kind:       tasks.KindPHQ9Item9,
			Title:      "Urgent: PHQ-9 item 9 answered above 0 — review today",
			Urgent:     true,
			CreatedAt:  *a.SignedAt,
			Link:       "/clients/" + a.ClientID,
		})
		if err != nil {
			return err
		}
	}
	detail := "instrument=" + a.Instrument
	if a.Score != nil {
		detail += fmt.Sprintf(" item9_task=%t", item9)
	}
	return s.audit.Record(ctx, tx, actor, audit.Entry{
		Action:     "forms.submission.sign",
		ObjectType: "form_assignment",
		ObjectID:   a.ID,
		ProviderID: owner,
		ClientID:   a.ClientID,
		Detail:     detail,
	})
}
