package auth

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/mail"
)

// record writes an audit entry about user u in the caller's transaction.
// detail never carries a password, token, code or email address.
func (s *Service) record(ctx context.Context, tx *sql.Tx, actor access.Actor, u User,
	action, detail string) error {
	e := audit.Entry{
		Action:     action,
		ObjectType: "user",
		ObjectID:   u.ID,
		ProviderID: u.ProviderID,
		ClientID:   u.ClientID,
		Detail:     detail,
	}
	if err := s.audit.Record(ctx, tx, actor, e); err != nil {
		return fmt.Errorf("auth: audit %s: %w", action, err)
	}
	return nil
}

// anonymous is the actor for requests made before anyone signed in.
func anonymous(ip, ua string) access.Actor {
	return access.Actor{IP: ip, UserAgent: ua}
}

// send queues an email in the caller's transaction, so it goes out only
// if the change that causes it commits.
func (s *Service) send(ctx context.Context, tx *sql.Tx, to, template, link string) error {
	err := s.outbox.Enqueue(ctx, tx, mail.Message{
		To:       to,
		Template: template,
		Data:     map[string]string{"Link": link},
	})
	if err != nil {
		return fmt.Errorf("auth: queue %s email: %w", template, err)
	}
	return nil
}
