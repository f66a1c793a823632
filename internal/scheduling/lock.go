package scheduling

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// maxSession is the longest appointment; overlap queries use it to bound
// their index range scan (a row that overlaps [s, e) starts after
// s - maxSession).
const maxSession = slots.MaxDuration

var errBadRange = validation.New("to", "Choose a range that ends after it starts, of at most 400 days.")

// lockKey derives the PostgreSQL advisory lock key of one provider's
// calendar from its id (FNV-1a, 64 bits).
func lockKey(providerID string) int64 {
	h := fnv.New64a()
	h.Write([]byte("tend-appointments:" + providerID))
	return int64(h.Sum64())
}

// lockProvider serializes every write that places or moves one
// provider's appointments, for the rest of tx. On PostgreSQL it takes a
// transaction-scoped advisory lock: row locks could not do it, because
// an empty stretch of the calendar has no row to lock. On SQLite the
// write transaction began with BEGIN IMMEDIATE on the one writer
// connection, so it already holds the database's write lock. Callers
// take this lock before any other (the audit chain's comes last) and
// re-check for overlap after it.
func (s *Service) lockProvider(ctx context.Context, tx *sql.Tx, providerID string) error {
	if s.db.Dialect() != store.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`,
		lockKey(providerID)); err != nil {
		return fmt.Errorf("lock provider calendar: %w", err)
	}
	return nil
}

// blocking is a booked span that keeps its time taken.
type blocking struct {
	ID string
	slots.Interval
}

// takenSpans returns the provider's appointments that hold their time
// (not cancelled) and overlap [from, to), except the ids in skip, sorted
// by start.
func takenSpans(ctx context.Context, q store.Querier, providerID string,
	from, to time.Time, skip []string) ([]blocking, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, starts_at, ends_at
		FROM appointments WHERE provider_id = $1 AND starts_at < $2
		AND ends_at > $3 AND starts_at >= $4
		AND status NOT IN ('canceled', 'late_canceled')
		ORDER BY starts_at, id`, providerID, to.UTC(), from.UTC(),
		from.Add(-maxSession).UTC())
	if err != nil {
		return nil, fmt.Errorf("read booked times: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []blocking
	for rows.Next() {
		var b blocking
		if err := rows.Scan(&b.ID, &b.Start, &b.End); err != nil {
			return nil, fmt.Errorf("read booked times: %w", err)
		}
		if !slices.Contains(skip, b.ID) {
			out = append(out, b)
		}
	}
	return out, store.Translate(rows.Err())
}

// conflicts marks which of the wanted spans overlap a booked one or an
// earlier wanted one.
func conflicts(taken []blocking, want []slots.Interval) []bool {
	out := make([]bool, len(want))
	for i, w := range want {
		for _, t := range taken {
			if t.Overlaps(w) {
				out[i] = true
				break
			}
		}
		for j := range i {
			if want[j].Overlaps(w) {
				out[i] = true
			}
		}
	}
	return out
}

// ensureFree re-checks, inside the locked transaction, that none of want
// overlaps a booked appointment (other than skip) or another of want.
func ensureFree(ctx context.Context, tx *sql.Tx, providerID string,
	want []slots.Interval, skip []string) error {
	if len(want) == 0 {
		return nil
	}
	from, to := span(want)
	taken, err := takenSpans(ctx, tx, providerID, from, to, skip)
	if err != nil {
		return err
	}
	n := 0
	for _, c := range conflicts(taken, want) {
		if c {
			n++
		}
	}
	if n > 0 {
		return &SlotTakenError{Conflicts: n}
	}
	return nil
}

// span returns the earliest start and latest end of ivs.
func span(ivs []slots.Interval) (time.Time, time.Time) {
	from, to := ivs[0].Start, ivs[0].End
	for _, iv := range ivs[1:] {
		if iv.Start.Before(from) {
			from = iv.Start
		}
		if iv.End.After(to) {
			to = iv.End
		}
	}
	return from, to
}

// SlotTakenError is ErrSlotTaken with how many of the asked-for sessions
// collide. It names no other appointment.
type SlotTakenError struct {
	Conflicts int
}

// Error says what happened and what to do.
func (e *SlotTakenError) Error() string {
	if e.Conflicts <= 1 {
		return ErrSlotTaken.Error()
	}
	return fmt.Sprintf("%d of these sessions overlap booked appointments; preview "+
		"the series to see which", e.Conflicts)
}

// Unwrap makes errors.Is(err, ErrSlotTaken) true.
func (e *SlotTakenError) Unwrap() error { return ErrSlotTaken }

// inList returns "(…)" of placeholders for ids, numbered from first.
func inList(first, n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", first+i)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// withBookingGate runs fn while holding this process's gate for the
// provider's calendar. Concurrent bookings for one provider then wait
// here, holding nothing, instead of each taking a pooled database
// connection only to wait on the advisory lock: under a burst that
// would leave the pool empty. The database lock (lockProvider) still
// does the real work across processes; this only keeps one process from
// starving itself.
func (s *Service) withBookingGate(ctx context.Context, providerID string, fn func() error) error {
	gate := s.gates[uint64(lockKey(providerID))%uint64(len(s.gates))]
	select {
	case gate <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-gate }()
	return fn()
}
