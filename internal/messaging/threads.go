package messaging

import (
	"context"
	"database/sql"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// Threads lists actor's threads, newest activity first: for a provider
// every own client with at least one message, for a client their own
// thread (always one, possibly empty). The provider's listing is audited.
func (s *Service) Threads(ctx context.Context, actor access.Actor) ([]Thread, error) {
	switch {
	case actor.IsProvider():
		out, err := s.providerThreads(ctx, actor.ProviderID)
		if err != nil {
			return nil, wrap("threads", err)
		}
		err = s.log.Record(ctx, nil, actor, audit.Entry{Action: ActionThreadList,
			ObjectType: "provider", ObjectID: actor.ProviderID, ProviderID: actor.ProviderID})
		return out, wrap("threads", err)
	case actor.IsClient():
		t, err := s.clientThread(ctx, actor.ClientID)
		if err != nil {
			return nil, wrap("threads", err)
		}
		return []Thread{t}, nil
	default:
		return nil, wrap("threads", store.ErrNotFound)
	}
}

// ActionThreadList is the audit action of a provider's thread listing.
const ActionThreadList = "messaging.thread.list"

func (s *Service) providerThreads(ctx context.Context, providerID string) ([]Thread, error) {
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT c.id, c.first_name, c.last_name,
		c.preferred_name, c.archived_at IS NOT NULL,
		(SELECT COUNT(*) FROM messages u WHERE u.client_id = c.id AND u.sender = 'client'
			AND u.read_at IS NULL AND u.retracted_at IS NULL),
		m.id, m.body_sealed, m.sent_at, m.retracted_at
		FROM messages m JOIN clients c ON c.id = m.client_id
		WHERE m.provider_id = $1 AND m.sent_at = (SELECT MAX(l.sent_at) FROM messages l
			WHERE l.client_id = m.client_id)
		ORDER BY m.sent_at DESC, m.id DESC`, providerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Thread
	seen := map[string]bool{}
	for rows.Next() {
		var t Thread
		var first, last, preferred, id, sealed string
		var sent, retracted nullTime
		if err := rows.Scan(&t.ClientID, &first, &last, &preferred, &t.Archived, &t.UnreadCount,
			&id, &sealed, &sent, &retracted); err != nil {
			return nil, err
		}
		if seen[t.ClientID] {
			continue
		}
		seen[t.ClientID] = true
		t.ClientName = displayName(first, last, preferred)
		t.LastMessageAt = sent.ptr()
		if t.LastLine, err = s.lastLine(id, sealed, retracted.Valid); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Service) clientThread(ctx context.Context, clientID string) (Thread, error) {
	t := Thread{ClientID: clientID}
	var first, last, preferred string
	err := s.db.Reader().QueryRowContext(ctx, `SELECT first_name, last_name, preferred_name,
		archived_at IS NOT NULL FROM clients WHERE id = $1`, clientID).
		Scan(&first, &last, &preferred, &t.Archived)
	if err != nil {
		return t, err
	}
	t.ClientName = displayName(first, last, preferred)
	err = s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE client_id = $1
		AND sender = 'provider' AND read_at IS NULL AND retracted_at IS NULL`, clientID).
		Scan(&t.UnreadCount)
	if err != nil {
		return t, err
	}
	var id, sealed string
	var sent, retracted nullTime
	err = s.db.Reader().QueryRowContext(ctx, `SELECT id, body_sealed, sent_at, retracted_at
		FROM messages WHERE client_id = $1 ORDER BY sent_at DESC, id DESC LIMIT 1`, clientID).
		Scan(&id, &sealed, &sent, &retracted)
	if err == sql.ErrNoRows {
		return t, nil
	}
	if err != nil {
		return t, err
	}
	t.LastMessageAt = sent.ptr()
	t.LastLine, err = s.lastLine(id, sealed, retracted.Valid)
	return t, err
}

// lastLine is the first non-empty line of a message, cut to 120 characters.
func (s *Service) lastLine(id, sealed string, retracted bool) (string, error) {
	r := messageRow{Message: Message{ID: id}, sealed: sealed}
	if retracted {
		return "", nil
	}
	if err := s.open(&r); err != nil {
		return "", err
	}
	for _, line := range strings.Split(r.Body, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if runes := []rune(line); len(runes) > 120 {
				line = string(runes[:119]) + "…"
			}
			return line, nil
		}
	}
	return "", nil
}

func displayName(first, last, preferred string) string {
	if preferred != "" {
		first = preferred
	}
	return strings.TrimSpace(first + " " + last)
}

// UnreadTotal counts the messages waiting for actor: for a provider
// across all their clients, for a client in their thread.
func (s *Service) UnreadTotal(ctx context.Context, actor access.Actor) (int, error) {
	var n int
	var err error
	switch {
	case actor.IsProvider():
		err = s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages
			WHERE provider_id = $1 AND sender = 'client' AND read_at IS NULL
			AND retracted_at IS NULL`, actor.ProviderID).Scan(&n)
	case actor.IsClient():
		err = s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages
			WHERE client_id = $1 AND sender = 'provider' AND read_at IS NULL
			AND retracted_at IS NULL`, actor.ClientID).Scan(&n)
	default:
		err = store.ErrNotFound
	}
	return n, wrap("unread total", err)
}

// Messages returns clientID's thread, oldest first, with attachments; it
// marks nothing read. The read is audited. A thread actor may not see is
// store.ErrNotFound.
func (s *Service) Messages(ctx context.Context, actor access.Actor, clientID string) ([]Message, error) {
	p, err := thread(ctx, s.db.Reader(), actor, clientID)
	if err != nil {
		return nil, wrap("messages", err)
	}
	out, err := s.list(ctx, `WHERE client_id = $1 ORDER BY sent_at, id`, clientID)
	if err != nil {
		return nil, wrap("messages", err)
	}
	err = s.log.Record(ctx, nil, actor, audit.Entry{Action: ActionThreadRead,
		ObjectType: "client", ObjectID: clientID, ProviderID: p.providerID, ClientID: clientID})
	if err != nil {
		return nil, wrap("messages", err)
	}
	return out, nil
}

// list loads and opens the messages selected by where, with attachments.
func (s *Service) list(ctx context.Context, where string, args ...any) ([]Message, error) {
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT `+messageColumns+` FROM messages `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	index := map[string]int{}
	for rows.Next() {
		r, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		if err := s.open(&r); err != nil {
			return nil, err
		}
		index[r.ID] = len(out)
		out = append(out, r.Message)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, s.attach(ctx, s.db.Reader(), out, index)
}
