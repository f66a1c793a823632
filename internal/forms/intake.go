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

// DefaultIntakePacket are the slugs of Tend's forms a new client is sent
// when they book, until their provider chooses a packet of their own.
var DefaultIntakePacket = []string{SlugDemographics, SlugConsent, SlugPrivacy,
	SlugPHQ9, SlugGAD7}

// IntakePacket returns the forms a new client of the provider is sent
// when they book: the provider's choice, in its order and without forms
// archived since, or DefaultIntakePacket when they never chose.
func (s *Service) IntakePacket(ctx context.Context, actor access.Actor) ([]Template, error) {
	sendable, err := s.Templates(ctx, actor)
	if err != nil {
		return nil, err
	}
	return s.IntakePacketOf(ctx, actor, sendable)
}

// IntakePacketOf is IntakePacket for a caller that already holds the
// provider's Templates, so the page listing them reads them once.
func (s *Service) IntakePacketOf(ctx context.Context, actor access.Actor,
	sendable []Template) ([]Template, error) {
	if !actor.IsProvider() {
		return nil, access.ErrForbidden
	}
	var raw string
	err := s.db.Reader().QueryRowContext(ctx, `SELECT template_ids FROM intake_packets
		WHERE provider_id = $1`, actor.ProviderID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return pick(sendable, DefaultIntakePacket, func(t Template) string {
			if t.ProviderID != "" {
				return ""
			}
			return t.Slug
		}), nil
	}
	if err != nil {
		return nil, fmt.Errorf("forms: intake packet: %w", store.Translate(err))
	}
	var ids []string
	if err := json.Unmarshal([]byte(raw), &ids); err != nil {
		return nil, fmt.Errorf("forms: intake packet of %s: %w", actor.ProviderID, err)
	}
	return pick(sendable, ids, func(t Template) string { return t.ID }), nil
}

// pick returns the templates whose key is in keys, in the order of keys.
func pick(list []Template, keys []string, key func(Template) string) []Template {
	byKey := make(map[string]Template, len(list))
	for _, t := range list {
		byKey[key(t)] = t
	}
	var out []Template
	for _, k := range keys {
		if t, ok := byKey[k]; ok && k != "" {
			out = append(out, t)
		}
	}
	return out
}

// SetIntakePacket chooses the forms a new client of the provider is sent
// when they book, in the order given; none is a valid choice. Every id
// must be a form the provider can send (Tend's or their own, not
// archived), or nothing changes and the error says so.
func (s *Service) SetIntakePacket(ctx context.Context, actor access.Actor, ids []string) error {
	sendable, err := s.Templates(ctx, actor)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, t := range sendable {
		known[t.ID] = true
	}
	chosen := []string{}
	seen := map[string]bool{}
	for _, id := range ids {
		if !known[id] {
			return validation.New("template_ids", "Choose forms from your list.")
		}
		if !seen[id] {
			seen[id] = true
			chosen = append(chosen, id)
		}
	}
	raw, err := json.Marshal(chosen)
	if err != nil {
		return fmt.Errorf("forms: set intake packet: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO intake_packets
			(provider_id, template_ids, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (provider_id) DO UPDATE
			SET template_ids = excluded.template_ids, updated_at = excluded.updated_at`,
			actor.ProviderID, string(raw), s.now())
		if err != nil {
			return store.Translate(err)
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action: "forms.intake_packet.set", ObjectType: "provider",
			ObjectID: actor.ProviderID, ProviderID: actor.ProviderID,
			Detail: fmt.Sprintf("forms=%d", len(chosen)),
		})
	})
	if err != nil {
		return fmt.Errorf("forms: set intake packet: %w", err)
	}
	return nil
}
