package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	netmail "net/mail"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/store"
)

// sendArgs is the mail job. It holds what is needed to render the mail
// at delivery time, not the rendered mail.
type sendArgs struct {
	ID       string            `json:"id"`
	To       string            `json:"to"`
	Template string            `json:"template"`
	Data     map[string]string `json:"data"`
}

// Kind names the job for River.
func (sendArgs) Kind() string { return "mail.send" }

// InsertOpts gives mail jobs enough attempts to outlast an outage.
func (sendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: jobs.MaxAttempts}
}

// Outbox queues mail for delivery by the mail job.
type Outbox struct {
	q *jobs.Queue
}

// NewOutbox returns an outbox that queues mail on q. The process that
// works q must have called Register.
func NewOutbox(q *jobs.Queue) *Outbox { return &Outbox{q: q} }

// Enqueue checks m and queues it in tx, so the mail goes out only if tx
// commits; a nil tx queues it on its own. Errors name what is wrong with
// m (bad address, unknown template, missing or relative link).
func (o *Outbox) Enqueue(ctx context.Context, tx *sql.Tx, m Message) error {
	addr, err := netmail.ParseAddress(m.To)
	if err != nil {
		return errors.New("mail: recipient is not a valid email address")
	}
	if err := checkLink(m.Data); err != nil {
		return err
	}
	// Render once now so a broken message fails here, in the request,
	// rather than in a job that would retry it for weeks.
	if _, err := render(m.Template, m.Data, "https://tend.invalid"); err != nil {
		return err
	}
	args := sendArgs{ID: store.NewID(), To: addr.Address, Template: m.Template, Data: m.Data}
	if err := o.q.Insert(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("mail: queue %s: %w", m.Template, err)
	}
	return nil
}

// sendWorker renders and delivers queued mail.
type sendWorker struct {
	river.WorkerDefaults[sendArgs]
	sender    Sender
	portalURL string
	sent      *prometheus.CounterVec
	failed    *prometheus.CounterVec
}

// Register adds the mail job's worker to workers; deliveries go through
// sender and links in the footer point at baseURL. It counts deliveries
// in tend_mail_sent_total and failed attempts in tend_mail_failed_total,
// by template, on reg (nil skips metrics); it panics, like
// prometheus.MustRegister, if reg holds another collector by one of
// those names. Call it before jobs.New.
func Register(workers *river.Workers, sender Sender, baseURL string, reg prometheus.Registerer) {
	w := &sendWorker{
		sender:    sender,
		portalURL: baseURL,
		sent: counter(reg, "tend_mail_sent_total",
			"Mail messages delivered (SMTP) or written (.eml), by template."),
		failed: counter(reg, "tend_mail_failed_total",
			"Mail delivery attempts that failed and will be retried, by template."),
	}
	river.AddWorker(workers, w)
}

// counter registers a counter by template, reusing one already on reg.
func counter(reg prometheus.Registerer, name, help string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help},
		[]string{"template"})
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var dup prometheus.AlreadyRegisteredError
		if errors.As(err, &dup) {
			if existing, ok := dup.ExistingCollector.(*prometheus.CounterVec); ok {
				return existing
			}
		}
		panic(fmt.Sprintf("mail: register %s: %v", name, err))
	}
	return c
}

// Timeout bounds one delivery attempt.
func (w *sendWorker) Timeout(*river.Job[sendArgs]) time.Duration { return time.Minute }

// Work renders the message and hands it to the sender. A message that
// cannot be rendered is cancelled, as retrying cannot fix it; a failed
// delivery returns the error so River retries it with backoff.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[sendArgs]) error {
	a := job.Args
	c, err := render(a.Template, a.Data, w.portalURL)
	if err != nil {
		w.failed.WithLabelValues(a.Template).Inc()
		return river.JobCancel(err)
	}
	e := Email{ID: a.ID, To: a.To, Template: a.Template,
		Subject: c.Subject, Text: c.Text, HTML: c.HTML}
	if err := w.sender.Send(ctx, e); err != nil {
		w.failed.WithLabelValues(a.Template).Inc()
		return err
	}
	w.sent.WithLabelValues(a.Template).Inc()
	return nil
}
