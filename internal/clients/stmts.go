package clients

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/tend-portal/tend/internal/store"
)

// maxStmts bounds the prepared-statement cache. The list queries differ
// only by tab, sort, kind of search and whether a cursor is given (every
// value is a placeholder), so far fewer texts than this ever occur.
const maxStmts = 256

// stmtCache keeps the list queries prepared on the read pool: SQLite
// would otherwise parse and plan each of these long statements on every
// call, which costs about as much as running them.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// query runs a read-only query through a cached prepared statement.
func (s *Service) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	stmt, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if stmt == nil {
		return s.db.Reader().QueryContext(ctx, query, args...)
	}
	return stmt.QueryContext(ctx, args...)
}

// queryRow is query for a single row.
func (s *Service) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	stmt, err := s.stmt(ctx, query)
	if err != nil || stmt == nil {
		// A failed prepare fails again, with its error, in the query.
		return s.db.Reader().QueryRowContext(ctx, query, args...)
	}
	return stmt.QueryRowContext(ctx, args...)
}

// stmt returns the prepared statement for query, or nil when the cache
// is full.
func (s *Service) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	if len(c.m) >= maxStmts {
		return nil, nil
	}
	st, err := s.db.Reader().PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", store.Translate(err))
	}
	if c.m == nil {
		c.m = make(map[string]*sql.Stmt)
	}
	c.m[query] = st
	return st, nil
}
