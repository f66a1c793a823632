package messaging

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// Send posts a message from actor to clientID's thread: a provider to
// their client, a client to their provider. The body is plain text of at
// most MaxBodyChars; files are streamed into the sealed blob store one by
// one (see Upload and Limits), each checked for size, type (from the
// content) and, when zip-based, for zip bombs. Problems come back as
// validation.Errors on "body" or "attachments". A message in an archived
// client's thread wraps clients.ErrArchived; someone else's thread is
// store.ErrNotFound. The message, its audit row and the other side's
// notification job are written in one transaction; on failure the stored
// files are deleted again.
func (s *Service) Send(ctx context.Context, actor access.Actor, clientID, body string, files []Upload) (Message, error) {
	p, err := thread(ctx, s.db.Reader(), actor, clientID)
	if err != nil {
		return Message{}, wrap("send", err)
	}
	if p.archived {
		return Message{}, fmt.Errorf("messaging: send: %w (%s on %s); unarchive the client to message them again",
			clients.ErrArchived, clients.ReasonLabel(p.reason), p.archivedAt.Format("Jan 2, 2006"))
	}
	body = normalizeBody(body)
	var problems validation.Errors
	switch {
	case strings.TrimSpace(body) == "" && len(files) == 0:
		problems.Add("body", "Write a message or attach a file.")
	case utf8.RuneCountInString(body) > MaxBodyChars:
		problems.Add("body", "A message can be at most "+
			strconv.Itoa(MaxBodyChars/1000)+",000 characters; split it into several.")
	}
	if len(files) > s.limits.MaxFiles {
		problems.Add("attachments", "Attach at most "+strconv.Itoa(s.limits.MaxFiles)+" files to one message.")
	}
	if err := problems.Err(); err != nil {
		return Message{}, fmt.Errorf("messaging: send: %w", err)
	}
	if strings.TrimSpace(body) == "" {
		body = ""
	}

	m := Message{ID: store.NewID(), ClientID: clientID, ProviderID: p.providerID,
		Sender: p.side, Body: body, SentAt: s.now()}
	var saved []stored
	for _, up := range files {
		st, err := s.storeUpload(ctx, m.ID, up)
		if err != nil {
			s.deleteBlobs(ctx, saved)
			var fp fileProblem
			if errors.As(err, &fp) {
				return Message{}, fmt.Errorf("messaging: send: %w",
					validation.New("attachments", fp.message))
			}
			return Message{}, wrap("send", err)
		}
		saved = append(saved, st)
		m.Attachments = append(m.Attachments, st.Attachment)
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		return s.insert(ctx, tx, actor, m, saved)
	})
	if err != nil {
		s.deleteBlobs(ctx, saved)
		return Message{}, wrap("send", err)
	}
	return m, nil
}

// insert writes m and its stored attachments in tx, audits it and queues
// the recipient's notification.
func (s *Service) insert(ctx context.Context, tx *sql.Tx, actor access.Actor, m Message, saved []stored) error {
	sealed, err := s.ring.SealString(m.Body, bodyAssociated(m.ID))
	if err != nil {
		return fmt.Errorf("seal body: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO messages (id, provider_id, client_id, sender,
		sender_user_id, body_sealed, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		m.ID, m.ProviderID, m.ClientID, m.Sender, actor.UserID, sealed, m.SentAt)
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	for _, st := range saved {
		_, err = tx.ExecContext(ctx, `INSERT INTO message_attachments (id, message_id, blob_key,
			filename, content_type, size, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			st.ID, m.ID, st.blobKey, st.Filename, st.ContentType, st.Size, m.SentAt)
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
	}
	if err := s.queueNotice(ctx, tx, m); err != nil {
		return err
	}
	return s.log.Record(ctx, tx, actor, audit.Entry{Action: ActionMessageSend,
		ObjectType: "message", ObjectID: m.ID, ProviderID: m.ProviderID, ClientID: m.ClientID,
		Detail: "attachments=" + strconv.Itoa(len(saved))})
}

// normalizeBody makes line breaks "\n" and drops what no database or
// browser should get: invalid UTF-8 and NUL bytes.
func normalizeBody(body string) string {
	body = strings.ToValidUTF8(body, "\uFFFD")
	body = strings.ReplaceAll(body, "\x00", "")
	body = strings.ReplaceAll(body, "\r\n", "\n")
	return strings.ReplaceAll(body, "\r", "\n")
}
