package messaging

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// party is a thread as one of its two parties reaches it.
type party struct {
	providerID string
	clientID   string
	side       string // the actor's side: SenderProvider or SenderClient
	archived   bool
	archivedAt time.Time
	reason     string
}

// other is the side opposite the actor's.
func (p party) other() string {
	if p.side == SenderProvider {
		return SenderClient
	}
	return SenderProvider
}

// thread resolves clientID's thread for actor: the provider who owns the
// client or the client themself. Anyone else, or a malformed id, gets
// store.ErrNotFound.
func thread(ctx context.Context, q store.Querier, actor access.Actor, clientID string) (party, error) {
	if !store.ValidID(clientID) {
		return party{}, store.ErrNotFound
	}
	var p party
	switch {
	case actor.IsProvider():
		p.side = SenderProvider
	case actor.IsClient() && actor.ClientID == clientID:
		p.side = SenderClient
	default:
		return party{}, store.ErrNotFound
	}
	var at sql.NullTime
	var reason string
	err := q.QueryRowContext(ctx, `SELECT provider_id, archived_at, archive_reason
		FROM clients WHERE id = $1`, clientID).Scan(&p.providerID, &at, &reason)
	if err != nil {
		return party{}, store.Translate(err)
	}
	if p.side == SenderProvider && p.providerID != actor.ProviderID {
		return party{}, store.ErrNotFound
	}
	p.clientID = clientID
	p.archived, p.reason = at.Valid, reason
	if at.Valid {
		p.archivedAt = at.Time.UTC()
	}
	return p, nil
}

// messageParty loads the thread a message belongs to, scoped to actor.
func messageParty(ctx context.Context, q store.Querier, actor access.Actor, messageID string) (party, error) {
	if !store.ValidID(messageID) {
		return party{}, store.ErrNotFound
	}
	var clientID string
	err := q.QueryRowContext(ctx, `SELECT client_id FROM messages WHERE id = $1`,
		messageID).Scan(&clientID)
	if err != nil {
		return party{}, store.Translate(err)
	}
	return thread(ctx, q, actor, clientID)
}

// wrap prefixes err with the operation, keeping it matchable.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("messaging: %s: %w", op, store.Translate(err))
}
