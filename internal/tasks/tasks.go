// Package tasks is the provider's to-do list: things raised by other
// areas that a provider should act on, such as a PHQ-9 answered above
// zero on item 9. Tasks are raised inside the transaction of the change
// that caused them, listed on the provider's dashboard and dismissed by
// hand.
//
// A task's title holds no more than the provider's own dashboard may
// show (never a client's name or answers); its link leads to the page
// where the provider can see the details.
package tasks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
)

// Kinds of task raised by Tend's areas.
const (
	// KindPHQ9Item9 is raised when a client answers PHQ-9 item 9
	// (thoughts of being better off dead or of self-harm) above zero.
	KindPHQ9Item9 = "phq9_item9"
)

// Task is one item on a provider's list.
type Task struct {
	ID          string
	ProviderID  string
	ClientID    string // the client the task is about, or ""
	Kind        string // e.g. KindPHQ9Item9
	Title       string // shown as is; no PHI beyond the provider's own view
	Urgent      bool
	CreatedAt   time.Time
	DismissedAt *time.Time
	Link        string // a path inside the portal, e.g. "/clients/{id}"
}

// Service lists and dismisses tasks.
type Service struct {
	db    *store.DB
	clk   clock.Clock
	audit *audit.Log
}

// New returns a Service over db that stamps times with clk and audits
// with log.
func New(db *store.DB, clk clock.Clock, log *audit.Log) *Service {
	return &Service{db: db, clk: clk, audit: log}
}

// Raise stores t using q, normally the transaction of the change that
// caused it, so the task exists exactly when that change commits. An
// empty ID gets a new one. ProviderID, Kind, Title and CreatedAt are
// required. The caller audits the change that raised the task.
func Raise(ctx context.Context, q store.Querier, t Task) error {
	switch {
	case t.ProviderID == "":
		return errors.New("tasks: raise: no provider")
	case strings.TrimSpace(t.Kind) == "":
		return errors.New("tasks: raise: no kind")
	case strings.TrimSpace(t.Title) == "":
		return errors.New("tasks: raise: no title")
	case t.CreatedAt.IsZero():
		return errors.New("tasks: raise: no creation time")
	}
	if t.ID == "" {
		t.ID = store.NewID()
	}
	_, err := q.ExecContext(ctx, `INSERT INTO tasks
		(id, provider_id, client_id, kind, title, urgent, link, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.ProviderID, t.ClientID, t.Kind, t.Title, t.Urgent, t.Link,
		t.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("tasks: raise: %w", store.Translate(err))
	}
	return nil
}

// List returns the provider's tasks that are not dismissed, urgent ones
// first, then newest first. Only providers have tasks; anyone else gets
// access.ErrForbidden. The read is audited, as a task tells which client
// needs attention and why.
func (s *Service) List(ctx context.Context, actor access.Actor) ([]Task, error) {
	if !actor.IsProvider() {
		return nil, access.ErrForbidden
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT id, provider_id,
		client_id, kind, title, urgent, link, created_at, dismissed_at
		FROM tasks WHERE provider_id = $1 AND dismissed_at IS NULL
		ORDER BY urgent DESC, created_at DESC, id DESC`, actor.ProviderID)
	if err != nil {
		return nil, fmt.Errorf("tasks: list: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, fmt.Errorf("tasks: list: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tasks: list: %w", store.Translate(err))
	}

	err = s.audit.Record(ctx, nil, actor, audit.Entry{
		Action:     "tasks.task.list",
		ObjectType: "task",
		ProviderID: actor.ProviderID,
		Detail:     fmt.Sprintf("count=%d", len(out)),
	})
	if err != nil {
		return nil, fmt.Errorf("tasks: list: %w", err)
	}
	return out, nil
}

// Dismiss marks one of the provider's tasks done. Another provider's
// task, a malformed id or an already dismissed task is store.ErrNotFound.
func (s *Service) Dismiss(ctx context.Context, actor access.Actor, id string) error {
	if !actor.IsProvider() || !store.ValidID(id) {
		return fmt.Errorf("tasks: dismiss: %w", store.ErrNotFound)
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var clientID string
		err := tx.QueryRowContext(ctx, `UPDATE tasks SET dismissed_at = $1
			WHERE id = $2 AND provider_id = $3 AND dismissed_at IS NULL
			RETURNING client_id`,
			s.clk.Now().UTC(), id, actor.ProviderID).Scan(&clientID)
		if err != nil {
			return store.Translate(err)
		}
		return s.audit.Record(ctx, tx, actor, audit.Entry{
			Action:     "tasks.task.dismiss",
			ObjectType: "task",
			ObjectID:   id,
			ProviderID: actor.ProviderID,
			ClientID:   clientID,
		})
	})
	if err != nil {
		return fmt.Errorf("tasks: dismiss: %w", err)
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }

func scanTask(r scanner) (Task, error) {
	var t Task
	var dismissed sql.NullTime
	err := r.Scan(&t.ID, &t.ProviderID, &t.ClientID, &t.Kind, &t.Title,
		&t.Urgent, &t.Link, &t.CreatedAt, &dismissed)
	if err != nil {
		return Task{}, store.Translate(err)
	}
	t.CreatedAt = t.CreatedAt.UTC()
	if dismissed.Valid {
		at := dismissed.Time.UTC()
		t.DismissedAt = &at
	}
	return t, nil
}
