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

// ErrFileTooLarge is an attachment over the size limit; reading it
// stopped at the limit. It comes joined with the validation problem
// that names the file.
var ErrFileTooLarge = errors.New("messaging: attachment over the size limit")

// Send posts a message from actor to clientID's thread: a provider to
// their client, a client to their provider. The body is plain text of at
// most MaxBodyChars; files are streamed into the sealed blob store one by
// one (see Draft.Attach). Problems come back as validation.Errors on
// "body" or "attachments". A message in an archived client's thread
// wraps clients.ErrArchived; someone else's thread is store.ErrNotFound.
// On failure the stored files are deleted again.
func (s *Service) Send(ctx context.Context, actor access.Actor, clientID, body string, files []Upload) (Message, error) {
	d, err := s.NewDraft(ctx, actor, clientID)
	if err != nil {
		return Message{}, err
	}
	defer d.Discard(ctx)
	// The text and the number of files are checked before any file is
	// stored.
	if _, err := s.checkMessage(body, len(files)); err != nil {
		return Message{}, fmt.Errorf("messaging: send: %w", err)
	}
	for _, up := range files {
		if err := d.Attach(ctx, up); err != nil {
			return Message{}, err
		}
	}
	return d.Send(ctx, body)
}

// Draft is a message whose files arrive one at a time, as a multipart
// request delivers them: each is checked and sealed into the blob store
// as it is read, so no file waits on disk or in memory for the rest of
// the request. Send records the message; Discard deletes the stored
// files of a draft that was never sent. Callers defer Discard.
type Draft struct {
	s     *Service
	actor access.Actor
	msg   Message
	saved []stored
	sent  bool
}

// NewDraft starts a message from actor in clientID's thread, refusing
// an archived client's thread (clients.ErrArchived) and someone else's
// (store.ErrNotFound) before anything is read.
func (s *Service) NewDraft(ctx context.Context, actor access.Actor, clientID string) (*Draft, error) {
	p, err := thread(ctx, s.db.Reader(), actor, clientID)
	if err != nil {
		return nil, wrap("send", err)
	}
	if p.archived {
		return nil, fmt.Errorf("messaging: send: %w (%s on %s); unarchive the client to message them again",
			clients.ErrArchived, clients.ReasonLabel(p.reason), p.archivedAt.Format("Jan 2, 2006"))
	}
	return &Draft{s: s, actor: actor, msg: Message{ID: store.NewID(), ClientID: clientID,
		ProviderID: p.providerID, Sender: p.side}}, nil
}

// Attach streams one file into the draft's storage, refusing it (a
// validation error on "attachments", joined with ErrFileTooLarge when
// that is why) when it is one file too many, too large, of a type not
// allowed, or a zip bomb. A refused file leaves nothing stored.
func (d *Draft) Attach(ctx context.Context, up Upload) error {
	if max := d.s.limits.MaxFiles; len(d.saved) >= max {
		return fmt.Errorf("messaging: send: %w", validation.New("attachments",
			"Attach at most "+strconv.Itoa(max)+" files to one message."))
	}
	st, err := d.s.storeUpload(ctx, d.msg.ID, up)
	var fp fileProblem
	switch {
	case errors.As(err, &fp) && fp.tooLarge:
		return fmt.Errorf("messaging: send: %w",
			errors.Join(ErrFileTooLarge, validation.New("attachments", fp.message)))
	case errors.As(err, &fp):
		return fmt.Errorf("messaging: send: %w", validation.New("attachments", fp.message))
	case err != nil:
		return wrap("send", err)
	}
	d.saved = append(d.saved, st)
	d.msg.Attachments = append(d.msg.Attachments, st.Attachment)
	return nil
}

// Send records the draft with body as its text: the message, its audit
// row and the other side's notification in one transaction.
func (d *Draft) Send(ctx context.Context, body string) (Message, error) {
	if d.sent {
		return Message{}, errors.New("messaging: send: draft already sent")
	}
	body, err := d.s.checkMessage(body, len(d.saved))
	if err != nil {
		return Message{}, fmt.Errorf("messaging: send: %w", err)
	}
	d.msg.Body, d.msg.SentAt = body, d.s.now()
	err = d.s.db.InTx(ctx, func(tx *sql.Tx) error {
		return d.s.insert(ctx, tx, d.actor, d.msg, d.saved)
	})
	if err != nil {
		return Message{}, wrap("send", err)
	}
	d.sent = true
	return d.msg, nil
}

// Discard deletes the files of a draft that was not sent; after Send it
// does nothing.
func (d *Draft) Discard(ctx context.Context) {
	if !d.sent {
		d.s.deleteBlobs(ctx, d.saved)
		d.saved, d.msg.Attachments = nil, nil
	}
}

// checkMessage normalizes body and checks it with the number of files:
// some text or a file, the text within MaxBodyChars, the files within
// the limit. Text of only white space counts as none.
func (s *Service) checkMessage(body string, files int) (string, error) {
	body = normalizeBody(body)
	var problems validation.Errors
	switch {
	case strings.TrimSpace(body) == "" && files == 0:
		problems.Add("body", "Write a message or attach a file.")
	case utf8.RuneCountInString(body) > MaxBodyChars:
		problems.Add("body", "A message can be at most "+
			strconv.Itoa(MaxBodyChars/1000)+",000 characters; split it into several.")
	}
	if files > s.limits.MaxFiles {
		problems.Add("attachments", "Attach at most "+strconv.Itoa(s.limits.MaxFiles)+" files to one message.")
	}
	if err := problems.Err(); err != nil {
		return "", err
	}
	if strings.TrimSpace(body) == "" {
		body = ""
	}
	return body, nil
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
