// Package audit keeps the append-only, tamper-evident log of who read or
// changed protected data: who, what, which record, when and from where.
//
// Each row carries the SHA-256 hash of its own contents and of the row
// before it, so altering, deleting or reordering a stored row breaks the
// chain, and Verify names the first row where it breaks. The hash is the
// lowercase hex SHA-256 of these fields, in order, each written as its
// byte length (uint64, big endian) and then its bytes: "tend-audit-v1",
// prev_hash, id, seq (decimal), at (decimal microseconds since the Unix
// epoch), actor_id, actor_role, action, object_type, object_id,
// provider_id, client_id, ip, user_agent, detail. The first row's
// prev_hash is 64 zeros. Rows are numbered by seq without gaps. Appends are
// serialized (a transaction-scoped advisory lock on PostgreSQL; the one
// writer connection on SQLite), so the chain never forks. The package
// offers no way to change or remove a row, and database triggers refuse
// UPDATE and DELETE on audit_log.
package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
)

// chainLockKey is the PostgreSQL advisory lock taken by every append
// ("tendaudt" in ASCII).
const chainLockKey int64 = 0x74656e6461756474

// Entry is what a caller records: the action and the object it touched.
// Detail is a short machine-oriented note such as "field=status"; it must
// never hold PHI (no names, note text or message bodies).
type Entry struct {
	Action     string // e.g. "auth.sign_in" or "clients.client.read"
	ObjectType string // e.g. "client"
	ObjectID   string
	ProviderID string // the provider whose data this is, if any
	ClientID   string // the client the data is about, if any
	Detail     string
}

// Record is one stored audit row.
type Record struct {
	ID         string
	Seq        int64
	At         time.Time
	ActorID    string
	ActorRole  string
	Action     string
	ObjectType string
	ObjectID   string
	ProviderID string
	ClientID   string
	IP         string
	UserAgent  string
	Detail     string
}

// Log writes and reads the audit log.
type Log struct {
	db  *store.DB
	clk clock.Clock
}

// New returns a Log over db that stamps rows with clk.
func New(db *store.DB, clk clock.Clock) *Log {
	return &Log{db: db, clk: clk}
}

// Record appends one entry for actor. Pass the *sql.Tx that makes the
// change being audited so both commit or roll back together; with a nil
// q (or anything that is not a *sql.Tx) Record runs its own transaction.
// On PostgreSQL the append holds the chain lock until q commits, so call
// Record as the last step of a short transaction: taking row locks after
// it can deadlock with a transaction waiting for the chain lock.
func (l *Log) Record(ctx context.Context, q store.Querier, actor access.Actor, e Entry) error {
	if strings.TrimSpace(e.Action) == "" {
		return errors.New("audit: entry has no action")
	}
	if tx, ok := q.(*sql.Tx); ok && tx != nil {
		if err := l.appendRow(ctx, tx, actor, e); err != nil {
			return store.Translate(err)
		}
		return nil
	}
	return l.db.InTx(ctx, func(tx *sql.Tx) error {
		return l.appendRow(ctx, tx, actor, e)
	})
}

func (l *Log) appendRow(ctx context.Context, tx *sql.Tx, actor access.Actor, e Entry) error {
	// Serialize appends before reading the chain's head.
	if l.db.Dialect() == store.Postgres {
		if _, err := tx.ExecContext(ctx,
			`SELECT pg_advisory_xact_lock($1)`, chainLockKey); err != nil {
			return fmt.Errorf("audit: lock chain: %w", err)
		}
	}
	lastSeq, prevHash := int64(0), genesisHash
	err := tx.QueryRowContext(ctx,
		`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
	).Scan(&lastSeq, &prevHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit: read chain head: %w", err)
	}

	r := Record{
		ID:  store.NewID(),
		Seq: lastSeq + 1,
		// Microseconds: what PostgreSQL keeps, so the hash survives a
		// round trip through either database.
		At:         l.clk.Now().UTC().Truncate(time.Microsecond),
		ActorID:    clean(actor.UserID, 100),
		ActorRole:  clean(string(actor.Role), 32),
		Action:     clean(e.Action, 100),
		ObjectType: clean(e.ObjectType, 100),
		ObjectID:   clean(e.ObjectID, 100),
		ProviderID: clean(e.ProviderID, 100),
		ClientID:   clean(e.ClientID, 100),
		IP:         clean(actor.IP, 64),
		UserAgent:  clean(actor.UserAgent, 512),
		Detail:     clean(e.Detail, 1000),
	}
	hash := chainHash(prevHash, r)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (id, seq, at,
		actor_id, actor_role, action, object_type, object_id, provider_id,
		client_id, ip, user_agent, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		r.ID, r.Seq, r.At, r.ActorID, r.ActorRole, r.Action, r.ObjectType,
		r.ObjectID, r.ProviderID, r.ClientID, r.IP, r.UserAgent, r.Detail,
		prevHash, hash)
	if err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	return nil
}

// clean makes s storable in both databases (valid UTF-8, no NUL bytes)
// and cuts it to at most max bytes on a character boundary. It runs
// before hashing, so the stored value is exactly the hashed one.
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
