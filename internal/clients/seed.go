package clients

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SeedRecord is a client written by Seed.
type SeedRecord struct {
	ID, ProviderID string
	Input          Input
	ArchivedAt     *time.Time
	ArchiveReason  string
	CreatedAt      time.Time
}

// Seed writes a trusted client record (demo data, imports) in tx. It
// runs the same checks and normalisation as Create, except the payer
// and duplicate-email lookups, which the database's constraints back,
// and keeps the search keys the same way; it writes no audit row, so it
// is not for anything a person asked for.
func Seed(ctx context.Context, tx *sql.Tx, now time.Time, r SeedRecord) error {
	rec, errs := normalize(r.Input, now)
	if err := errs.Err(); err != nil {
		return fmt.Errorf("clients: seed: %w", err)
	}
	created := r.CreatedAt.UTC()
	if err := insertClient(ctx, tx, r.ID, r.ProviderID, rec, created); err != nil {
		return fmt.Errorf("clients: seed: %w", err)
	}
	if r.ArchivedAt != nil {
		_, err := tx.ExecContext(ctx, `UPDATE clients SET archived_at = $1,
			archive_reason = $2 WHERE id = $3`, r.ArchivedAt.UTC(), r.ArchiveReason, r.ID)
		if err != nil {
			return fmt.Errorf("clients: seed: archive: %w", err)
		}
	}
	return nil
}
