package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// genesisHash is the prev_hash of the first row (seq 1).
var genesisHash = strings.Repeat("0", 64)

// ErrTampered is wrapped by every *TamperError, for errors.Is.
var ErrTampered = errors.New("audit: log has been tampered with")

// TamperError reports the first row at which the chain does not hold.
// Seq names that row; for a deleted row it is the missing number.
type TamperError struct {
	Seq    int64
	Reason string
}

// Error describes where and why the chain broke.
func (e *TamperError) Error() string {
	return fmt.Sprintf("audit: chain broken at seq %d: %s", e.Seq, e.Reason)
}

// Unwrap lets errors.Is(err, ErrTampered) match.
func (e *TamperError) Unwrap() error { return ErrTampered }

// chainHash returns the lowercase hex SHA-256 of a row and the hash of
// the row before it. The hashed bytes are the following fields, in this
// order, each written as its length in bytes (unsigned 64-bit, big
// endian) followed by the bytes themselves:
//
//	"tend-audit-v1", prev_hash, id, seq, at, actor_id, actor_role,
//	action, object_type, object_id, provider_id, client_id, ip,
//	user_agent, detail
//
// Strings are their UTF-8 bytes; seq is written in decimal; at is the
// number of microseconds since the Unix epoch (UTC), in decimal. The
// length prefixes make the encoding unambiguous: no two different rows
// encode to the same bytes.
func chainHash(prevHash string, r Record) string {
	h := sha256.New()
	for _, field := range []string{
		"tend-audit-v1",
		prevHash,
		r.ID,
		strconv.FormatInt(r.Seq, 10),
		strconv.FormatInt(r.At.UnixMicro(), 10),
		r.ActorID,
		r.ActorRole,
		r.Action,
		r.ObjectType,
		r.ObjectID,
		r.ProviderID,
		r.ClientID,
		r.IP,
		r.UserAgent,
		r.Detail,
	} {
		writeField(h, field)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}

// verifyPage is how many rows Verify reads per query.
const verifyPage = 500

// Verify walks the whole chain in seq order and recomputes every hash.
// It returns how many rows held, and a *TamperError naming the first row
// that does not: a changed field (its hash no longer matches), a deleted
// row (a gap in seq) or rows moved or re-linked (prev_hash does not match
// the row before). Removing rows from the very end leaves no gap and
// cannot be seen from the chain alone.
func (l *Log) Verify(ctx context.Context) (checked int, err error) {
	wantSeq, prevHash := int64(1), genesisHash
	for {
		rows, err := l.readChain(ctx, wantSeq-1, verifyPage)
		if err != nil {
			return checked, err
		}
		for _, row := range rows {
			if row.Seq != wantSeq {
				return checked, &TamperError{Seq: wantSeq, Reason: fmt.Sprintf(
					"row %d is missing (the next row is %d)", wantSeq, row.Seq)}
			}
			if row.prevHash != prevHash {
				return checked, &TamperError{Seq: row.Seq,
					Reason: "prev_hash does not match the row before"}
			}
			if chainHash(row.prevHash, row.Record) != row.hash {
				return checked, &TamperError{Seq: row.Seq,
					Reason: "row contents do not match its hash"}
			}
			checked++
			wantSeq++
			prevHash = row.hash
		}
		if len(rows) < verifyPage {
			return checked, nil
		}
	}
}

// chainRow is a stored row with its hashes.
type chainRow struct {
	Record
	prevHash, hash string
}

// readChain returns up to limit rows with seq above after, in seq order.
func (l *Log) readChain(ctx context.Context, after int64, limit int) ([]chainRow, error) {
	rows, err := l.db.Reader().QueryContext(ctx, `SELECT `+recordColumns+`,
		prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
		after, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: read chain: %w", err)
	}
	defer rows.Close()
	var out []chainRow
	for rows.Next() {
		var c chainRow
		dest := append(c.Record.scanDest(), &c.prevHash, &c.hash)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("audit: read chain: %w", err)
		}
		c.At = c.At.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: read chain: %w", err)
	}
	return out, nil
}

// recordColumns lists the columns Record.scanDest scans, in order.
const recordColumns = `id, seq, at, actor_id, actor_role, action,
	object_type, object_id, provider_id, client_id, ip, user_agent, detail`

func (r *Record) scanDest() []any {
	return []any{&r.ID, &r.Seq, &r.At, &r.ActorID, &r.ActorRole, &r.Action,
		&r.ObjectType, &r.ObjectID, &r.ProviderID, &r.ClientID, &r.IP,
		&r.UserAgent, &r.Detail}
}
