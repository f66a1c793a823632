package messaging

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/store"
)

// SeedMessage is one message of a conversation written by Seed.
type SeedMessage struct {
	Sender string // SenderProvider or SenderClient
	Body   string
	SentAt time.Time
	Read   bool // read by the other side an hour after it was sent
}

// Seed writes a past conversation between a provider and their client in
// tx, sealed like any message, for demo data only: it sends no
// notification and writes no audit entry, as nobody acted.
func (s *Service) Seed(ctx context.Context, tx *sql.Tx, providerID, clientID string,
	msgs []SeedMessage) error {
	for _, sm := range msgs {
		if sm.Sender != SenderProvider && sm.Sender != SenderClient {
			return fmt.Errorf("messaging: seed: unknown sender %q", sm.Sender)
		}
		id := store.NewID()
		sealed, err := s.ring.SealString(normalizeBody(sm.Body), bodyAssociated(id))
		if err != nil {
			return fmt.Errorf("messaging: seed: seal body: %w", err)
		}
		var readAt *time.Time
		if sm.Read {
			at := sm.SentAt.Add(time.Hour).UTC()
			readAt = &at
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO messages (id, provider_id, client_id,
			sender, sender_user_id, body_sealed, sent_at, read_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			id, providerID, clientID, sm.Sender, "", sealed, sm.SentAt.UTC(), readAt)
		if err != nil {
			return fmt.Errorf("messaging: seed: %w", store.Translate(err))
		}
	}
	return nil
}
