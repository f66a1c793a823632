package messaging

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// loadMessage reads one message with its attachments in q, opened.
func (s *Service) loadMessage(ctx context.Context, q store.Querier, id string) (Message, error) {
	r, err := scanMessage(q.QueryRowContext(ctx, `SELECT `+messageColumns+`
		FROM messages WHERE id = $1`, id))
	if err != nil {
		return Message{}, err
	}
	if err := s.open(&r); err != nil {
		return Message{}, err
	}
	msgs := []Message{r.Message}
	if err := s.attach(ctx, q, msgs, map[string]int{r.ID: 0}); err != nil {
		return Message{}, err
	}
	return msgs[0], nil
}

// MarkRead records that the recipient read a message (the read receipt)
// and returns it. Only the recipient may: the sender gets ErrNotRecipient.
// read_at is set once; marking again changes nothing. Someone else's
// message is store.ErrNotFound.
func (s *Service) MarkRead(ctx context.Context, actor access.Actor, messageID string) (Message, error) {
	var out Message
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		p, err := messageParty(ctx, tx, actor, messageID)
		if err != nil {
			return err
		}
		m, err := s.loadMessage(ctx, tx, messageID)
		if err != nil {
			return err
		}
		if m.Sender == p.side {
			return ErrNotRecipient
		}
		out = m
		if m.ReadAt != nil || m.RetractedAt != nil {
			return nil
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET read_at = $1
			WHERE id = $2 AND read_at IS NULL`, now, m.ID); err != nil {
			return err
		}
		out.ReadAt = &now
		return s.log.Record(ctx, tx, actor, audit.Entry{Action: ActionMessageRead,
			ObjectType: "message", ObjectID: m.ID, ProviderID: m.ProviderID, ClientID: m.ClientID})
	})
	if err != nil {
		return Message{}, wrap("mark read", err)
	}
	return out, nil
}

// MarkThreadRead marks every message to actor in clientID's thread read,
// with one audited receipt per message. Someone else's thread is
// store.ErrNotFound.
func (s *Service) MarkThreadRead(ctx context.Context, actor access.Actor, clientID string) error {
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		p, err := thread(ctx, tx, actor, clientID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM messages WHERE client_id = $1
			AND sender = $2 AND read_at IS NULL AND retracted_at IS NULL ORDER BY sent_at, id`,
			clientID, p.other())
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := s.now()
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET read_at = $1
				WHERE id = $2 AND read_at IS NULL`, now, id); err != nil {
				return err
			}
		}
		for _, id := range ids {
			err := s.log.Record(ctx, tx, actor, audit.Entry{Action: ActionMessageRead,
				ObjectType: "message", ObjectID: id, ProviderID: p.providerID, ClientID: clientID})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("mark thread read", err)
}

// Retract withdraws the actor's own message within RetractWindow of
// sending, if the recipient has not read it: the body is erased and the
// message stays as a "message retracted" marker (its attachments are
// kept, as part of the record, but no longer served). Otherwise the
// error wraps ErrRetract and says why; someone else's message is
// store.ErrNotFound.
func (s *Service) Retract(ctx context.Context, actor access.Actor, messageID string) error {
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		p, err := messageParty(ctx, tx, actor, messageID)
		if err != nil {
			return err
		}
		r, err := scanMessage(tx.QueryRowContext(ctx, `SELECT `+messageColumns+`
			FROM messages WHERE id = $1`, messageID))
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case r.Sender != p.side:
			return fmt.Errorf("%w: only its sender can retract a message", ErrRetract)
		case r.RetractedAt != nil:
			return fmt.Errorf("%w: it was already retracted", ErrRetract)
		case r.ReadAt != nil:
			return fmt.Errorf("%w: it has been read", ErrRetract)
		case now.Sub(r.SentAt) > RetractWindow:
			return fmt.Errorf("%w: messages can be retracted only within 5 minutes of sending", ErrRetract)
		}
		res, err := tx.ExecContext(ctx, `UPDATE messages SET body_sealed = '', retracted_at = $1
			WHERE id = $2 AND read_at IS NULL AND retracted_at IS NULL`, now, messageID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("%w: it has been read", ErrRetract)
		}
		return s.log.Record(ctx, tx, actor, audit.Entry{Action: ActionMessageRetract,
			ObjectType: "message", ObjectID: messageID, ProviderID: r.ProviderID, ClientID: r.ClientID})
	})
	return wrap("retract", err)
}
