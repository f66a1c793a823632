package messaging

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// inChunk bounds the ids in one IN (…) list.
const inChunk = 500

// attach loads the attachments of msgs (index maps id to position) in q.
// Retracted messages keep theirs hidden.
func (s *Service) attach(ctx context.Context, q store.Querier, msgs []Message, index map[string]int) error {
	ids := make([]any, 0, len(msgs))
	for _, m := range msgs {
		if m.RetractedAt == nil {
			ids = append(ids, m.ID)
		}
	}
	for len(ids) > 0 {
		n := min(len(ids), inChunk)
		part := ids[:n]
		ids = ids[n:]
		rows, err := q.QueryContext(ctx, `SELECT id, message_id, filename, content_type, size
			FROM message_attachments WHERE message_id IN (`+marks(len(part))+`)
			ORDER BY created_at, id`, part...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a Attachment
			if err := rows.Scan(&a.ID, &a.MessageID, &a.Filename, &a.ContentType, &a.Size); err != nil {
				rows.Close()
				return err
			}
			i := index[a.MessageID]
			msgs[i].Attachments = append(msgs[i].Attachments, a)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// marks returns n placeholders "$1, $2, …".
func marks(n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("$%d", i+1)
	}
	return strings.Join(out, ", ")
}

// Attachment opens an attachment for download by one of the thread's two
// parties; the caller must close the reader. The download is audited.
// Someone else's attachment, or one of a retracted message, is
// store.ErrNotFound.
func (s *Service) Attachment(ctx context.Context, actor access.Actor, attachmentID string) (Attachment, io.ReadCloser, error) {
	if !store.ValidID(attachmentID) {
		return Attachment{}, nil, wrap("attachment", store.ErrNotFound)
	}
	var a Attachment
	var key string
	var clientID string
	var retracted nullTime
	err := s.db.Reader().QueryRowContext(ctx, `SELECT a.id, a.message_id, a.filename,
		a.content_type, a.size, a.blob_key, m.client_id, m.retracted_at
		FROM message_attachments a JOIN messages m ON m.id = a.message_id
		WHERE a.id = $1`, attachmentID).
		Scan(&a.ID, &a.MessageID, &a.Filename, &a.ContentType, &a.Size, &key, &clientID, &retracted)
	if err != nil {
		return Attachment{}, nil, wrap("attachment", err)
	}
	p, err := thread(ctx, s.db.Reader(), actor, clientID)
	if err != nil {
		return Attachment{}, nil, wrap("attachment", err)
	}
	if retracted.Valid {
		return Attachment{}, nil, wrap("attachment", store.ErrNotFound)
	}
	rc, err := s.blobs.Get(ctx, key)
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("messaging: attachment: %w", err)
	}
	err = s.log.Record(ctx, nil, actor, audit.Entry{Action: ActionAttachmentDownload,
		ObjectType: "message_attachment", ObjectID: a.ID, ProviderID: p.providerID,
		ClientID: clientID, Detail: "message=" + a.MessageID})
	if err != nil {
		rc.Close()
		return Attachment{}, nil, wrap("attachment", err)
	}
	return a, rc, nil
}
