package mail

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// Queued returns every mail job still in db's job table, oldest first,
// opened with ring: the messages as they were given to Enqueue, with the
// bare recipient address. Finished jobs are included until River's
// cleaner deletes them. Tests use it to read mail a queue that is never
// started would have sent; it needs the key ring, as the job table holds
// only sealed recipients and data.
func Queued(ctx context.Context, db *store.DB, ring *vault.Ring) ([]Message, error) {
	query := `SELECT args::text FROM river_job WHERE kind = 'mail.send' ORDER BY id`
	if db.Dialect() == store.SQLite {
		// River's SQLite driver stores args as JSONB; json() gives text.
		query = `SELECT json(args) FROM river_job WHERE kind = 'mail.send' ORDER BY id`
	}
	rows, err := db.Reader().QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("mail: read queued mail: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("mail: read queued mail: %w", store.Translate(err))
		}
		var a sendArgs
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return nil, fmt.Errorf("mail: decode queued mail: %w", err)
		}
		part, err := openArgs(ring, a)
		if err != nil {
			return nil, err
		}
		out = append(out, Message{To: part.To, Template: a.Template, Data: part.Data,
			Attachments: part.Attachments})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mail: read queued mail: %w", store.Translate(err))
	}
	return out, nil
}
