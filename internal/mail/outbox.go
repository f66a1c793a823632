package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	netmail "net/mail"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// jobAssociated is the associated data that binds a sealed mail job to
// its message id, so a sealed value moved to another job fails to open.
const jobAssociated = "mail.job"

// sendArgs is the mail job as River stores it in river_job.args. The
// recipient, the template data (whose Link carries single-use reset and
// sign-in tokens) and any attachments are sealed with the key ring; only
// the message id and the template name, which say nothing about anyone,
// stay readable.
type sendArgs struct {
	ID       string `json:"id"`
	Template string `json:"template"`
	Sealed   string `json:"sealed"`
}

// sealedPart is what sendArgs.Sealed holds once opened.
type sealedPart struct {
	To          string            `json:"to"`
	Data        map[string]string `json:"data"`
	Attachments []Attachment      `json:"attachments,omitempty"`
}

// Kind names the job for River.
func (sendArgs) Kind() string { return "mail.send" }

// InsertOpts gives mail jobs enough attempts to outlast an outage.
func (sendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: jobs.MaxAttempts}
}

// Outbox queues mail for delivery by the mail job.
type Outbox struct {
	q    *jobs.Queue
	ring *vault.Ring
}

// NewOutbox returns an outbox that queues mail on q, sealing each job's
// recipient and data with ring. The process that works q must have
// called Register with the same ring (or one holding its keys).
func NewOutbox(q *jobs.Queue, ring *vault.Ring) *Outbox { return &Outbox{q: q, ring: ring} }

// associated binds a sealed job to its message id.
func associated(id string) string { return jobAssociated + "\x00" + id }

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
	if err := checkAttachments(m.Attachments); err != nil {
		return err
	}
	// Render once now so a broken message fails here, in the request,
	// rather than in a job that would retry it for weeks.
	if _, err := render(m.Template, m.Data, "https://tend.invalid"); err != nil {
		return err
	}
	plain, err := json.Marshal(sealedPart{To: addr.Address, Data: m.Data,
		Attachments: m.Attachments})
	if err != nil {
		return fmt.Errorf("mail: encode %s: %w", m.Template, err)
	}
	id := store.NewID()
	sealed, err := o.ring.SealString(string(plain), associated(id))
	if err != nil {
		return fmt.Errorf("mail: seal %s: %w", m.Template, err)
	}
	args := sendArgs{ID: id, Template: m.Template, Sealed: sealed}
	if err := o.q.Insert(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("mail: queue %s: %w", m.Template, err)
	}
	return nil
}

// sendWorker renders and delivers queued mail.
type sendWorker struct {
	river.WorkerDefaults[sendArgs]
	sender    Sender
	ring      *vault.Ring
	portalURL string
	sent      *prometheus.CounterVec
	failed    *prometheus.CounterVec
}

// Register adds the mail job's worker to workers; deliveries go through
// sender, jobs are opened with ring (the ring given to NewOutbox) and
// links in the footer point at baseURL. It counts deliveries
// in tend_mail_sent_total and failed attempts in tend_mail_failed_total,
// by template, on reg (nil skips metrics); it panics, like
// prometheus.MustRegister, if reg holds another collector by one of
// those names. Call it before jobs.New.
func Register(workers *river.Workers, sender Sender, ring *vault.Ring, baseURL string,
	reg prometheus.Registerer) {
	w := &sendWorker{
		sender:    sender,
		ring:      ring,
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

// Work opens the job, renders the message and hands it to the sender. A
// job that cannot be opened or rendered is cancelled, as retrying cannot
// fix it; a failed delivery returns the error so River retries it with
// backoff.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[sendArgs]) error {
	a := job.Args
	part, err := w.open(a)
	if err != nil {
		w.failed.WithLabelValues(a.Template).Inc()
		return river.JobCancel(err)
	}
	c, err := render(a.Template, part.Data, w.portalURL)
	if err != nil {
		w.failed.WithLabelValues(a.Template).Inc()
		return river.JobCancel(err)
	}
	e := Email{ID: a.ID, To: part.To, Template: a.Template,
		Subject: c.Subject, Text: c.Text, HTML: c.HTML, Attachments: part.Attachments}
	if err := w.sender.Send(ctx, e); err != nil {
		w.failed.WithLabelValues(a.Template).Inc()
		return err
	}
	w.sent.WithLabelValues(a.Template).Inc()
	return nil
}

// open unseals the recipient and data of a job.
func (w *sendWorker) open(a sendArgs) (sealedPart, error) { return openArgs(w.ring, a) }

// openArgs unseals the recipient and data of a job with ring.
func openArgs(ring *vault.Ring, a sendArgs) (sealedPart, error) {
	var part sealedPart
	plain, err := ring.OpenString(a.Sealed, associated(a.ID))
	if err != nil {
		return part, fmt.Errorf("mail: open job %s: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(plain), &part); err != nil {
		return part, fmt.Errorf("mail: decode job %s: %w", a.ID, err)
	}
	return part, nil
}
