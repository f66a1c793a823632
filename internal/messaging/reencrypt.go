package messaging

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"

	"github.com/tend-portal/tend/internal/vault"
)

// reencryptBatch is how many rows one re-encryption transaction handles.
const reencryptBatch = 200

// Reencrypt brings messaging's encrypted data under the ring's primary
// key after a rotation: it re-seals every message body sealed under an
// older key and re-wraps the data key of every attachment whose data key
// is (the attachment data itself is not rewritten). It works in batches
// of reencryptBatch rows, each body batch in its own transaction, so it
// can be stopped and run again; it returns how many bodies and
// attachments it changed.
func (s *Service) Reencrypt(ctx context.Context) (int, error) {
	bodies, err := s.reencryptBodies(ctx)
	if err != nil {
		return bodies, err
	}
	blobs, err := s.rewrapAttachments(ctx)
	return bodies + blobs, err
}

type sealedBody struct{ id, sealed string }

func (s *Service) reencryptBodies(ctx context.Context) (int, error) {
	primary := s.ring.PrimaryID()
	done, after := 0, ""
	for {
		batch, err := s.bodyBatch(ctx, after)
		if err != nil {
			return done, err
		}
		if len(batch) == 0 {
			return done, nil
		}
		after = batch[len(batch)-1].id
		err = s.db.InTx(ctx, func(tx *sql.Tx) error {
			for _, b := range batch {
				raw, err := base64.StdEncoding.DecodeString(b.sealed)
				if err != nil {
					return fmt.Errorf("message %s: %w", b.id, vault.ErrDecrypt)
				}
				if id, err := vault.KeyID(raw); err != nil || id == primary {
					if err != nil {
						return fmt.Errorf("message %s: %w", b.id, err)
					}
					continue
				}
				plain, err := s.ring.OpenString(b.sealed, bodyAssociated(b.id))
				if err != nil {
					return fmt.Errorf("message %s: %w", b.id, err)
				}
				sealed, err := s.ring.SealString(plain, bodyAssociated(b.id))
				if err != nil {
					return fmt.Errorf("message %s: %w", b.id, err)
				}
				// Only if unchanged meanwhile (a retraction erases it).
				res, err := tx.ExecContext(ctx, `UPDATE messages SET body_sealed = $1
					WHERE id = $2 AND body_sealed = $3`, sealed, b.id, b.sealed)
				if err != nil {
					return err
				}
				n, err := res.RowsAffected()
				if err != nil {
					return err
				}
				done += int(n)
			}
			return nil
		})
		if err != nil {
			return done, wrap("reencrypt", err)
		}
	}
}

func (s *Service) bodyBatch(ctx context.Context, after string) ([]sealedBody, error) {
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT id, body_sealed FROM messages
		WHERE id > $1 AND body_sealed <> '' ORDER BY id LIMIT $2`, after, reencryptBatch)
	if err != nil {
		return nil, wrap("reencrypt", err)
	}
	defer rows.Close()
	var out []sealedBody
	for rows.Next() {
		var b sealedBody
		if err := rows.Scan(&b.id, &b.sealed); err != nil {
			return nil, wrap("reencrypt", err)
		}
		out = append(out, b)
	}
	return out, wrap("reencrypt", rows.Err())
}

func (s *Service) rewrapAttachments(ctx context.Context) (int, error) {
	done, after := 0, ""
	for {
		rows, err := s.db.Reader().QueryContext(ctx, `SELECT id, blob_key FROM message_attachments
			WHERE id > $1 ORDER BY id LIMIT $2`, after, reencryptBatch)
		if err != nil {
			return done, wrap("reencrypt attachments", err)
		}
		var keys []string
		for rows.Next() {
			var key string
			if err := rows.Scan(&after, &key); err != nil {
				rows.Close()
				return done, wrap("reencrypt attachments", err)
			}
			keys = append(keys, key)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return done, wrap("reencrypt attachments", err)
		}
		if len(keys) == 0 {
			return done, nil
		}
		for _, key := range keys {
			changed, err := s.blobs.Rewrap(ctx, key)
			if err != nil {
				return done, fmt.Errorf("messaging: reencrypt attachment: %w", err)
			}
			if changed {
				done++
			}
		}
	}
}
