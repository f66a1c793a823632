package messaging

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
)

// noticeArgs is the batched notification job: one per recipient and
// window (River refuses duplicates by these arguments), run when the
// window ends. It names only ids, never people or content.
type noticeArgs struct {
	Recipient string    `json:"recipient"` // "provider:<id>" or "client:<id>"
	Window    time.Time `json:"window"`    // the window's start (UTC)
}

// Kind names the job for River.
func (noticeArgs) Kind() string { return "messaging.notify" }

// InsertOpts makes the job unique per recipient and window.
func (noticeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: jobs.MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// queueNotice schedules the notification of m's recipient at the end of
// the window m falls in; other messages in that window join the same job.
func (s *Service) queueNotice(ctx context.Context, tx *sql.Tx, m Message) error {
	recipient := "client:" + m.ClientID
	if m.Sender == SenderClient {
		recipient = "provider:" + m.ProviderID
	}
	start := m.SentAt.Truncate(NotifyWindow).UTC()
	opts := noticeArgs{}.InsertOpts()
	opts.ScheduledAt = start.Add(NotifyWindow)
	if err := s.queue.Insert(ctx, tx, noticeArgs{Recipient: recipient, Window: start}, &opts); err != nil {
		return fmt.Errorf("queue notification: %w", err)
	}
	return nil
}

// Worker sends the batched notification mail. Register it before the job
// queue is built and Connect it to the Service once that exists.
type Worker struct {
	river.WorkerDefaults[noticeArgs]
	svc *Service
}

// Register adds the notification worker to workers and returns it for
// Connect:
//
//	w := messaging.Register(workers)
//	q, _ := jobs.New(jobs.Config{Workers: workers, ...})
//	svc := messaging.New(db, clk, auditLog, ring, blobs, mail.NewOutbox(q, ring), q, baseURL, limits)
//	w.Connect(svc)
func Register(workers *river.Workers) *Worker {
	w := &Worker{}
	river.AddWorker(workers, w)
	return w
}

// Connect gives w the service whose notifications it sends. Call it
// before the queue starts.
func (w *Worker) Connect(s *Service) { w.svc = s }

// Work queues one "message_received" mail for the recipient if a message
// sent to them in the window is still unread and their preference allows
// it. A marker row, written in the same transaction as the mail job,
// makes a repeated run (a crash, a restart) mail nothing more.
func (w *Worker) Work(ctx context.Context, job *river.Job[noticeArgs]) error {
	if w.svc == nil {
		return errors.New("messaging: notification worker not connected; call Connect")
	}
	return w.svc.notify(ctx, job.Args)
}

func (s *Service) notify(ctx context.Context, a noticeArgs) error {
	side, id, ok := strings.Cut(a.Recipient, ":")
	if !ok || !store.ValidID(id) || (side != SenderProvider && side != SenderClient) {
		return river.JobCancel(fmt.Errorf("messaging: bad notification recipient"))
	}
	start := a.Window.UTC()
	end := start.Add(NotifyWindow)
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		n, err := unreadIn(ctx, tx, side, id, start, end)
		if err != nil || n == 0 {
			return err
		}
		email, userID, err := recipientAddress(ctx, tx, side, id)
		if err != nil || email == "" {
			return err
		}
		on, err := prefs(ctx, tx, userID)
		if err != nil || !on.EmailMessages {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO message_notifications_sent
			(recipient, window_start, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			a.Recipient, start, s.now())
		if err != nil {
			return fmt.Errorf("messaging: mark notification: %w", store.Translate(err))
		}
		if added, err := res.RowsAffected(); err != nil || added == 0 {
			return err
		}
		with, link := "your provider", s.baseURL+"/portal/messages"
		if side == SenderProvider {
			with, link = "a client", s.baseURL+"/messages"
		}
		return s.outbox.Enqueue(ctx, tx, mail.Message{To: email, Template: MailTemplate,
			Data: map[string]string{"With": with, "Link": link}})
	})
}

// unreadIn counts unread, unretracted messages to the recipient sent in
// [start, end).
func unreadIn(ctx context.Context, q store.Querier, side, id string, start, end time.Time) (int, error) {
	query := `SELECT COUNT(*) FROM messages WHERE client_id = $1 AND sender = 'provider'`
	if side == SenderProvider {
		query = `SELECT COUNT(*) FROM messages WHERE provider_id = $1 AND sender = 'client'`
	}
	var n int
	err := q.QueryRowContext(ctx, query+` AND read_at IS NULL AND retracted_at IS NULL
		AND sent_at >= $2 AND sent_at < $3`, id, start, end).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("messaging: count unread: %w", store.Translate(err))
	}
	return n, nil
}

// recipientAddress finds where a side's mail goes: the provider's (or
// client's) active account, else, for a client, the address on their
// record. userID is "" when there is no account.
func recipientAddress(ctx context.Context, q store.Querier, side, id string) (email, userID string, err error) {
	query := `SELECT email, id FROM users WHERE client_id = $1 AND role = 'client'
		AND disabled_at IS NULL ORDER BY created_at LIMIT 1`
	if side == SenderProvider {
		query = `SELECT email, id FROM users WHERE provider_id = $1 AND role = 'provider'
			AND disabled_at IS NULL ORDER BY created_at LIMIT 1`
	}
	err = q.QueryRowContext(ctx, query, id).Scan(&email, &userID)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return email, userID, store.Translate(err)
	}
	if side == SenderProvider {
		return "", "", nil
	}
	err = q.QueryRowContext(ctx, `SELECT email FROM clients WHERE id = $1`, id).Scan(&email)
	return email, "", store.Translate(err)
}

// prefs reads userID's preferences; no row (or no account) means the
// defaults.
func prefs(ctx context.Context, q store.Querier, userID string) (Prefs, error) {
	p := Prefs{EmailMessages: true}
	if userID == "" {
		return p, nil
	}
	err := q.QueryRowContext(ctx, `SELECT email_messages FROM notification_prefs
		WHERE user_id = $1`, userID).Scan(&p.EmailMessages)
	if errors.Is(err, sql.ErrNoRows) {
		return Prefs{EmailMessages: true}, nil
	}
	if err != nil {
		return p, fmt.Errorf("messaging: read preferences: %w", store.Translate(err))
	}
	return p, nil
}

// NotificationPrefs returns actor's own notification preferences.
func (s *Service) NotificationPrefs(ctx context.Context, actor access.Actor) (Prefs, error) {
	if !actor.Authenticated() {
		return Prefs{}, wrap("preferences", store.ErrNotFound)
	}
	return prefs(ctx, s.db.Reader(), actor.UserID)
}

// SetNotificationPrefs saves actor's own notification preferences.
func (s *Service) SetNotificationPrefs(ctx context.Context, actor access.Actor, p Prefs) error {
	if !actor.Authenticated() {
		return wrap("preferences", store.ErrNotFound)
	}
	_, err := s.db.Writer().ExecContext(ctx, `INSERT INTO notification_prefs
		(user_id, email_messages, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET email_messages = excluded.email_messages,
		updated_at = excluded.updated_at`, actor.UserID, p.EmailMessages, s.now())
	return wrap("preferences", err)
}
