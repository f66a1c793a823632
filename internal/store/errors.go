package store

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Storage-neutral errors. Areas return these (wrapped) so callers and
// handlers never see a driver's own error types.
var (
	// ErrNotFound means no row matched, or the row is not the actor's.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a uniqueness or exclusion rule was violated.
	ErrConflict = errors.New("conflict")
	// ErrBusy means the database could not take the write in time (a
	// serialization failure or a locked SQLite file); retrying may work.
	ErrBusy = errors.New("database busy")
)

// Translate maps driver errors onto the neutral ones, keeping the original
// in the chain for logs. Other errors pass through unchanged.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) || errors.Is(err, ErrBusy) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errors.Join(ErrNotFound, err)
	}

	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505", "23P01": // unique_violation, exclusion_violation
			return errors.Join(ErrConflict, err)
		case "40001", "40P01", "55P03": // serialization, deadlock, lock timeout
			return errors.Join(ErrBusy, err)
		}
		return err
	}

	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff {
		case sqlite3.SQLITE_CONSTRAINT:
			if code := liteErr.Code(); code == sqlite3.SQLITE_CONSTRAINT_UNIQUE ||
				code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
				return errors.Join(ErrConflict, err)
			}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return errors.Join(ErrBusy, err)
		}
		return err
	}
	if strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return errors.Join(ErrConflict, err)
	}
	return err
}
