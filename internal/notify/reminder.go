package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
)

// reminderArgs is a reminder job: which appointment, at which version.
// Both fields make up River's unique key, so one version of one
// appointment never has two reminder jobs.
type reminderArgs struct {
	AppointmentID string `json:"appointment_id" river:"unique"`
	Sequence      int    `json:"sequence" river:"unique"`
}

// Kind names the job for River.
func (reminderArgs) Kind() string { return "notify.reminder" }

// InsertOpts makes the job unique by its arguments and lets it outlast
// an outage like mail jobs do.
func (reminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: jobs.MaxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// scheduleReminder queues a's reminder hours before it starts, in tx. A
// reminder that would fall due now or earlier is not queued: the
// confirmation just sent says the same.
func (n *Notifier) scheduleReminder(ctx context.Context, tx *sql.Tx, a scheduling.Appointment, hours int) error {
	if a.Status != scheduling.StatusScheduled {
		return nil
	}
	at := a.Start.Add(-time.Duration(hours) * time.Hour).UTC()
	if !at.After(n.clk.Now()) {
		return nil
	}
	args := reminderArgs{AppointmentID: a.ID, Sequence: a.Sequence}
	opts := args.InsertOpts()
	opts.ScheduledAt = at
	if err := n.queue.Insert(ctx, tx, args, &opts); err != nil {
		return fmt.Errorf("queue reminder: %w", err)
	}
	return nil
}

// Register adds the reminder worker to workers. Call it before jobs.New
// (see New for the order).
func Register(workers *river.Workers, n *Notifier) {
	river.AddWorker(workers, &reminderWorker{n: n})
}

// reminderWorker sends due reminders.
type reminderWorker struct {
	river.WorkerDefaults[reminderArgs]
	n *Notifier
}

// Work sends the reminder if it still applies.
func (w *reminderWorker) Work(ctx context.Context, job *river.Job[reminderArgs]) error {
	return w.n.remind(ctx, job.Args)
}

// Reasons a reminder is not sent, for the log.
const (
	skipGone     = "appointment_gone"
	skipStatus   = "not_scheduled"
	skipSequence = "changed_since"
	skipStarted  = "already_started"
	skipSent     = "already_sent"
)

// remind re-reads the appointment and mails the client a reminder only
// if it is still scheduled at the sequence the job was made for and has
// not started. The sent row and the mail commit together, so a job that
// runs again after a crash mails nothing more.
func (n *Notifier) remind(ctx context.Context, args reminderArgs) error {
	if n.outbox == nil {
		return errNotConnected
	}
	skip := ""
	err := n.db.InTx(ctx, func(tx *sql.Tx) error {
		a, err := loadAppointment(ctx, tx, args.AppointmentID)
		if errors.Is(err, store.ErrNotFound) {
			skip = skipGone
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case a.Status != scheduling.StatusScheduled:
			skip = skipStatus
		case a.Sequence != args.Sequence:
			skip = skipSequence
		case !a.Start.After(n.clk.Now()):
			skip = skipStarted
		}
		if skip != "" {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO appointment_reminders_sent
			(appointment_id, sequence, sent_at) VALUES ($1, $2, $3)
			ON CONFLICT (appointment_id, sequence) DO NOTHING`,
			a.ID, a.Sequence, n.clk.Now().UTC())
		if err != nil {
			return fmt.Errorf("record reminder: %w", store.Translate(err))
		}
		if rows, err := res.RowsAffected(); err != nil || rows == 0 {
			skip = skipSent
			return err
		}
		p, err := n.parties(ctx, tx, a.ProviderID, a.ClientID)
		if err != nil {
			return err
		}
		client := p.recipients(n.baseURL)[1]
		if client.email == "" {
			return nil
		}
		return n.outbox.Enqueue(ctx, tx, mail.Message{To: client.email,
			Template: TemplateReminder, Data: client.details(a, p)})
	})
	if err != nil {
		return fmt.Errorf("notify: reminder: %w", err)
	}
	if skip != "" {
		n.logger.InfoContext(ctx, "reminder not sent", "appointment_id", args.AppointmentID,
			"sequence", args.Sequence, "reason", skip)
	}
	return nil
}

// loadAppointment reads what a reminder needs about one appointment.
func loadAppointment(ctx context.Context, q store.Querier, id string) (scheduling.Appointment, error) {
	var a scheduling.Appointment
	err := q.QueryRowContext(ctx, `SELECT id, provider_id, client_id, starts_at, ends_at,
		status, sequence, location, office_id FROM appointments WHERE id = $1`, id).
		Scan(&a.ID, &a.ProviderID, &a.ClientID, &a.Start, &a.End, &a.Status,
			&a.Sequence, &a.Location, &a.OfficeID)
	if err != nil {
		return a, store.Translate(err)
	}
	a.Start, a.End = a.Start.UTC(), a.End.UTC()
	return a, nil
}
