package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/store"
)

// CreateProviderProfile adds an empty provider profile for a person
// named name (the last word is taken as the family name) and returns its
// id, so `tend user create --role provider` can make a working provider
// account in one step. The provider fills in the rest in the portal.
func (a *App) CreateProviderProfile(ctx context.Context, name string) (string, error) {
	words := strings.Fields(name)
	if len(words) == 0 {
		return "", fmt.Errorf("create provider profile: empty name")
	}
	first, last := strings.Join(words[:len(words)-1], " "), words[len(words)-1]
	if first == "" {
		first, last = last, ""
	}
	id := store.NewID()
	now := a.clock.Now().UTC()
	_, err := a.db.Writer().ExecContext(ctx, `
		INSERT INTO providers (id, first_name, last_name, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4)`, id, first, last, now)
	if err != nil {
		return "", fmt.Errorf("create provider profile: %w", store.Translate(err))
	}
	return id, nil
}

// Config returns the configuration the instance was built from.
func (a *App) Config() config.Config { return a.cfg }

// DeliverMail works the job queue until every job due now (such as a
// password reset message a command just enqueued) has run, then stops
// it. Commands that are not the server use it; the server's own queue
// runs all the time.
func (a *App) DeliverMail(ctx context.Context) error {
	if err := a.queue.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	dueCtx, cancel := context.WithTimeout(ctx, a.shutdownTimeout())
	defer cancel()
	due := a.queue.RunDue(dueCtx)
	stopCtx, cancelStop := context.WithTimeout(context.WithoutCancel(ctx), a.shutdownTimeout())
	defer cancelStop()
	stop := a.queue.Stop(stopCtx)
	if err := errors.Join(due, stop); err != nil {
		return fmt.Errorf("deliver mail: %w", err)
	}
	return nil
}
