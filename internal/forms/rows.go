package forms

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// assignmentColumns selects an assignment with its client's current
// provider (owner) and its sealed submission, if any; scanAssignment
// reads them.
const assignmentColumns = `a.id, a.client_id, a.provider_id, c.provider_id,
	a.template_id, a.template_title, a.template_fields, a.kind, a.instrument,
	a.status, a.assigned_at, a.signed_at, a.score_total, a.score_band,
	a.item9_positive, COALESCE(s.answers, ''), COALESCE(s.signature, ''),
	COALESCE(s.signer_ip, '')
	FROM form_assignments a
	JOIN clients c ON c.id = a.client_id
	LEFT JOIN form_submissions s ON s.assignment_id = a.id`

// row is an assignment as stored, before unsealing.
type row struct {
	Assignment
	owner           string // the client's provider now
	fields          string // the template's fields as assigned, JSON
	answersSealed   string
	signatureSealed string // sealed signature JSON, "" until signed
	signerIP        string
}

func scanAssignment(r scanner) (row, error) {
	var x row
	var band string
	var item9 bool
	var signedAt sql.NullTime
	var total sql.NullInt64
	err := r.Scan(&x.ID, &x.ClientID, &x.ProviderID, &x.owner, &x.TemplateID,
		&x.TemplateTitle, &x.fields, &x.Kind, &x.Instrument, &x.Status,
		&x.AssignedAt, &signedAt, &total, &band, &item9,
		&x.answersSealed, &x.signatureSealed, &x.signerIP)
	if err != nil {
		return row{}, store.Translate(err)
	}
	x.AssignedAt = x.AssignedAt.UTC()
	if signedAt.Valid {
		at := signedAt.Time.UTC()
		x.SignedAt = &at
		if total.Valid {
			x.Score = &Score{AssignmentID: x.ID, Instrument: x.Instrument,
				Total: int(total.Int64), Band: band, At: at, Item9Positive: item9}
		}
	}
	return x, nil
}

// loadAssignment reads one assignment the actor may reach: a provider
// their own client's, a client their own. Anything else is
// store.ErrNotFound.
func loadAssignment(ctx context.Context, q store.Querier, actor access.Actor, id string) (row, error) {
	if !store.ValidID(id) {
		return row{}, store.ErrNotFound
	}
	x, err := scanAssignment(q.QueryRowContext(ctx,
		`SELECT `+assignmentColumns+` WHERE a.id = $1`, id))
	if err != nil {
		return row{}, err
	}
	switch {
	case actor.IsProvider() && x.owner == actor.ProviderID:
	case actor.IsClient() && x.ClientID == actor.ClientID:
	default:
		return row{}, store.ErrNotFound
	}
	return x, nil
}

// signatureRecord is what the signature column seals. The hash is
// sealed too: a questionnaire has few possible answer sets, so a bare
// hash would give its answers away.
type signatureRecord struct {
	Name string `json:"name"`
	Hash string `json:"hash"`
}

// openSignature fills SignedName and AnswersHash from the sealed
// signature.
func (s *Service) openSignature(x *row) error {
	if x.signatureSealed == "" {
		return nil
	}
	plain, err := s.ring.OpenString(x.signatureSealed,
		vault.Bind("form_submissions", "signature", x.ID))
	if err != nil {
		return fmt.Errorf("open signature of %s: %w", x.ID, err)
	}
	var sig signatureRecord
	if err := json.Unmarshal([]byte(plain), &sig); err != nil {
		return fmt.Errorf("decode signature of %s: %w", x.ID, err)
	}
	x.SignedName, x.AnswersHash = sig.Name, sig.Hash
	return nil
}

// openAnswers unseals the answers, or returns an empty map when none
// were saved.
func (s *Service) openAnswers(x row) (map[string]string, error) {
	answers := map[string]string{}
	if x.answersSealed == "" {
		return answers, nil
	}
	plain, err := s.ring.OpenString(x.answersSealed,
		vault.Bind("form_submissions", "answers", x.ID))
	if err != nil {
		return nil, fmt.Errorf("open answers of %s: %w", x.ID, err)
	}
	if err := json.Unmarshal([]byte(plain), &answers); err != nil {
		return nil, fmt.Errorf("decode answers of %s: %w", x.ID, err)
	}
	return answers, nil
}
