package messaging

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// MaxSearchResults bounds what one search returns.
const MaxSearchResults = 200

// Search finds actor's messages whose body contains query, ignoring
// case, newest first (at most MaxSearchResults), with attachments.
// clientID "" searches all of a provider's threads (a client always
// searches their own); another clientID limits the search to that
// thread, which actor must reach (else store.ErrNotFound). Bodies are
// sealed, so Search decrypts the candidates on the fly. A blank query
// finds nothing. The search is audited without its text.
func (s *Service) Search(ctx context.Context, actor access.Actor, query string, clientID string) ([]Message, error) {
	var where string
	var arg string
	providerID := actor.ProviderID
	switch {
	case clientID != "":
		p, err := thread(ctx, s.db.Reader(), actor, clientID)
		if err != nil {
			return nil, wrap("search", err)
		}
		where, arg, providerID = "client_id = $1", clientID, p.providerID
	case actor.IsProvider():
		where, arg = "provider_id = $1", actor.ProviderID
	case actor.IsClient():
		where, arg, clientID = "client_id = $1", actor.ClientID, actor.ClientID
	default:
		return nil, wrap("search", store.ErrNotFound)
	}
	needle := strings.ToLower(strings.TrimSpace(query))
	if needle == "" {
		return nil, nil
	}
	out, err := s.search(ctx, where, arg, needle)
	if err != nil {
		return nil, wrap("search", err)
	}
	err = s.log.Record(ctx, nil, actor, audit.Entry{Action: ActionSearch,
		ObjectType: "thread", ObjectID: clientID, ProviderID: providerID, ClientID: clientID,
		Detail: "results=" + strconv.Itoa(len(out))})
	if err != nil {
		return nil, wrap("search", err)
	}
	return out, nil
}

// search decrypts every candidate body (selecting only id and body, the
// cheap columns, in index order) and then loads the matching messages.
func (s *Service) search(ctx context.Context, where, arg, needle string) ([]Message, error) {
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT id, body_sealed FROM messages
		WHERE `+where+` AND retracted_at IS NULL`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []any
	var (
		id     string
		sealed sql.RawBytes
		raw    []byte
		aad    []byte
	)
	for rows.Next() {
		if err := rows.Scan(&id, &sealed); err != nil {
			return nil, err
		}
		// Decode into a reused buffer; only the plaintext is allocated.
		if need := base64.StdEncoding.DecodedLen(len(sealed)); cap(raw) < need {
			raw = make([]byte, need)
		}
		raw = raw[:cap(raw)]
		n, err := base64.StdEncoding.Decode(raw, sealed)
		if err != nil {
			return nil, fmt.Errorf("open message %s: %w", id, vault.ErrDecrypt)
		}
		aad = append(append(aad[:0], bodyAssociatedPrefix...), id...)
		body, err := s.ring.Open(raw[:n], aad)
		if err != nil {
			return nil, fmt.Errorf("open message %s: %w", id, err)
		}
		if containsFold(body, needle) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	var out []Message
	for len(ids) > 0 && len(out) < MaxSearchResults {
		n := min(len(ids), inChunk)
		part, err := s.list(ctx, `WHERE id IN (`+marks(n)+`)`, ids[:n]...)
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		ids = ids[n:]
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].SentAt.Equal(out[j].SentAt) {
			return out[i].SentAt.After(out[j].SentAt)
		}
		return out[i].ID > out[j].ID
	})
	if len(out) > MaxSearchResults {
		out = out[:MaxSearchResults]
	}
	return out, nil
}

// containsFold reports whether s holds needle (already lower case),
// ignoring case. ASCII needles are matched without allocating.
func containsFold(s []byte, needle string) bool {
	for i := 0; i < len(needle); i++ {
		if needle[i] >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(string(s)), needle)
		}
	}
	n := len(needle)
	if n == 0 {
		return true
	}
	first := needle[0]
	for i := 0; i+n <= len(s); i++ {
		if lowerASCII(s[i]) != first {
			continue
		}
		j := 1
		for j < n && lowerASCII(s[i+j]) == needle[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
