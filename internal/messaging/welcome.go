package messaging

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// Welcome returns the provider's welcome message settings (disabled,
// with DefaultWelcomeTemplate, until set).
func (s *Service) Welcome(ctx context.Context, actor access.Actor) (WelcomeSettings, error) {
	if !actor.IsProvider() {
		return WelcomeSettings{}, wrap("welcome", store.ErrNotFound)
	}
	w, err := welcome(ctx, s.db.Reader(), actor.ProviderID)
	return w, wrap("welcome", err)
}

func welcome(ctx context.Context, q store.Querier, providerID string) (WelcomeSettings, error) {
	w := WelcomeSettings{Template: DefaultWelcomeTemplate}
	err := q.QueryRowContext(ctx, `SELECT enabled, template FROM message_welcome
		WHERE provider_id = $1`, providerID).Scan(&w.Enabled, &w.Template)
	if errors.Is(err, sql.ErrNoRows) {
		return w, nil
	}
	return w, err
}

// SetWelcome saves the provider's welcome message settings. An enabled
// welcome needs a non-blank template of at most MaxBodyChars; problems
// are validation.Errors on "template".
func (s *Service) SetWelcome(ctx context.Context, actor access.Actor, enabled bool, template string) error {
	if !actor.IsProvider() {
		return wrap("set welcome", store.ErrNotFound)
	}
	template = strings.TrimSpace(normalizeBody(template))
	switch {
	case enabled && template == "":
		return fmt.Errorf("messaging: set welcome: %w",
			validation.New("template", "Write the welcome message, or turn it off."))
	case utf8.RuneCountInString(template) > MaxBodyChars:
		return fmt.Errorf("messaging: set welcome: %w",
			validation.New("template", "The welcome message can be at most 20,000 characters."))
	}
	if template == "" {
		template = DefaultWelcomeTemplate
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO message_welcome (provider_id, enabled,
			template, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (provider_id) DO UPDATE SET enabled = excluded.enabled,
			template = excluded.template, updated_at = excluded.updated_at`,
			actor.ProviderID, enabled, template, s.now())
		if err != nil {
			return err
		}
		detail := "enabled=false"
		if enabled {
			detail = "enabled=true"
		}
		return s.log.Record(ctx, tx, actor, audit.Entry{Action: ActionWelcomeSettings,
			ObjectType: "provider", ObjectID: actor.ProviderID, ProviderID: actor.ProviderID,
			Detail: detail})
	})
	return wrap("set welcome", err)
}

// SendWelcome sends providerID's welcome message to their new client in
// tx (the booking's transaction), if the provider turned it on and the
// client was never welcomed: it goes once per client, however often it
// is called. The message is from the provider, with {first_name} and
// {provider_name} filled in, and notifies the client like any other.
func (s *Service) SendWelcome(ctx context.Context, tx *sql.Tx, providerID, clientID string) error {
	if !store.ValidID(providerID) || !store.ValidID(clientID) {
		return wrap("send welcome", store.ErrNotFound)
	}
	w, err := welcome(ctx, tx, providerID)
	if err != nil || !w.Enabled {
		return wrap("send welcome", err)
	}
	var first, preferred, pFirst, pLast string
	err = tx.QueryRowContext(ctx, `SELECT c.first_name, c.preferred_name, p.first_name,
		p.last_name FROM clients c JOIN providers p ON p.id = c.provider_id
		WHERE c.id = $1 AND c.provider_id = $2`, clientID, providerID).
		Scan(&first, &preferred, &pFirst, &pLast)
	if err != nil {
		return wrap("send welcome", err)
	}
	if preferred != "" {
		first = preferred
	}
	m := Message{ID: store.NewID(), ClientID: clientID, ProviderID: providerID,
		Sender: SenderProvider, SentAt: s.now()}
	m.Body = strings.NewReplacer("{first_name}", first,
		"{provider_name}", strings.TrimSpace(pFirst+" "+pLast)).Replace(w.Template)
	res, err := tx.ExecContext(ctx, `INSERT INTO message_welcome_sent (client_id, message_id,
		sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, clientID, m.ID, m.SentAt)
	if err != nil {
		return wrap("send welcome", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return wrap("send welcome", err)
	}
	actor := access.System()
	actor.ProviderID = providerID
	return wrap("send welcome", s.insert(ctx, tx, actor, m, nil))
}
