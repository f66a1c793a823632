package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
)

// Mail templates (internal/mail/templates).
const (
	TemplateBooked      = "appointment_booked"
	TemplateRescheduled = "appointment_rescheduled"
	TemplateCanceled    = "appointment_canceled"
	TemplateReminder    = "appointment_reminder"
)

// Notifier mails confirmations, updates and cancellations and queues
// reminders. It implements scheduling.Notifier.
type Notifier struct {
	db      *store.DB
	clk     clock.Clock
	outbox  *mail.Outbox
	queue   *jobs.Queue
	sched   *scheduling.Service
	baseURL string
	logger  *slog.Logger
}

var _ scheduling.Notifier = (*Notifier)(nil)

// New returns a Notifier. baseURL (e.g. "https://tend.example") starts
// the portal links in the mail. The job queue does not exist yet when
// the workers are registered, so the rest comes later through Connect:
//
//	n := notify.New(db, clk, cfg.BaseURL, logger)
//	notify.Register(workers, n)
//	q, _ := jobs.New(jobs.Config{Workers: workers, ...})
//	outbox := mail.NewOutbox(q, ring)
//	sched := scheduling.New(db, clk, auditLog, q, clientSvc)
//	n.Connect(outbox, q, sched)
//	sched.SetNotifier(n)
func New(db *store.DB, clk clock.Clock, baseURL string, logger *slog.Logger) *Notifier {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Notifier{db: db, clk: clk, baseURL: strings.TrimRight(baseURL, "/"), logger: logger}
}

// Connect gives n the outbox its mail goes to, the queue its reminders
// go to and the scheduling service it reads each provider's
// availability (time zone, offices, reminder hours) from. Call it once,
// before the queue starts and before n is installed with SetNotifier.
func (n *Notifier) Connect(outbox *mail.Outbox, q *jobs.Queue, sched *scheduling.Service) {
	n.outbox, n.queue, n.sched = outbox, q, sched
}

// errNotConnected means Connect was not called.
var errNotConnected = errors.New("notify: not connected; call Connect")

// AppointmentsChanged mails the provider and the client about change,
// with an invitation (METHOD:REQUEST) or a cancellation (METHOD:CANCEL)
// covering every appointment in it, and queues a reminder for each
// appointment booked or moved. Everything is queued in tx.
func (n *Notifier) AppointmentsChanged(ctx context.Context, tx *sql.Tx, change scheduling.ChangeEvent) error {
	if n.outbox == nil {
		return errNotConnected
	}
	before := make(map[string]scheduling.Appointment, len(change.Before))
	for _, a := range change.Before {
		before[a.ID] = a
	}
	for _, group := range byParties(change.After) {
		p, err := n.parties(ctx, tx, group[0].ProviderID, group[0].ClientID)
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		if err := n.mailChange(ctx, tx, change.Kind, group, before, p); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		if change.Kind == scheduling.EventCanceled {
			continue
		}
		for _, a := range group {
			if err := n.scheduleReminder(ctx, tx, a, p.reminderHours); err != nil {
				return fmt.Errorf("notify: %w", err)
			}
		}
	}
	return nil
}

// byParties splits appointments by provider and client, keeping order.
func byParties(list []scheduling.Appointment) [][]scheduling.Appointment {
	var out [][]scheduling.Appointment
	index := map[string]int{}
	for _, a := range list {
		key := a.ProviderID + "/" + a.ClientID
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], a)
	}
	return out
}

// mailChange queues the provider's and the client's mail about one
// change to rows.
func (n *Notifier) mailChange(ctx context.Context, tx *sql.Tx, kind string,
	rows []scheduling.Appointment, before map[string]scheduling.Appointment, p parties) error {
	template, method := TemplateBooked, MethodRequest
	switch kind {
	case scheduling.EventBooked:
	case scheduling.EventRescheduled:
		template = TemplateRescheduled
	case scheduling.EventCanceled:
		template, method = TemplateCanceled, MethodCancel
	default:
		return fmt.Errorf("unknown change kind %q", kind)
	}
	for _, r := range p.recipients(n.baseURL) {
		if r.email == "" {
			continue
		}
		data := r.details(rows[0], p)
		data["Previous"] = ""
		if old, ok := before[rows[0].ID]; ok {
			data["Previous"] = r.when(old)
		}
		data["Series"] = ""
		if len(rows) > 1 {
			data["Series"] = "This is the first of " + strconv.Itoa(len(rows)) +
				" sessions; the attached invitation holds all of them."
		}
		events := make([]Event, len(rows))
		for i, a := range rows {
			events[i] = r.event(a, p, kind == scheduling.EventCanceled)
		}
		invite := Invitation(method, n.clk.Now(), events)
		err := n.outbox.Enqueue(ctx, tx, mail.Message{To: r.email, Template: template, Data: data,
			Attachments: []mail.Attachment{{Filename: "invite.ics",
				ContentType: "text/calendar; method=" + method + "; charset=utf-8", Data: invite}}})
		if err != nil {
			return fmt.Errorf("queue %s mail: %w", template, err)
		}
	}
	return nil
}

// recipient is one side of an appointment: the provider or the client.
type recipient struct {
	provider bool
	email    string
	zone     *time.Location
	zoneNote string
	link     string
}

// recipients returns the provider's and the client's view.
func (p parties) recipients(baseURL string) []recipient {
	clientNote := "Times are in your provider's time zone (" + p.clientZone.String() +
		"); the attached invitation shows them in your calendar's zone."
	if p.clientOwnZone {
		clientNote = "Times are in your time zone (" + p.clientZone.String() + ")."
	}
	return []recipient{
		{provider: true, email: p.providerEmail, zone: p.providerZone, link: baseURL + "/appointments",
			zoneNote: "Times are in your time zone (" + p.providerZone.String() + ")."},
		{email: p.clientEmail, zone: p.clientZone, link: baseURL + "/portal", zoneNote: clientNote},
	}
}

// details is the template data for one appointment as r sees it.
func (r recipient) details(a scheduling.Appointment, p parties) map[string]string {
	with := p.providerName
	if r.provider {
		with = "Client " + p.initials
	}
	local := a.Start.In(r.zone)
	return map[string]string{
		"Date":     local.Format("Mon, Jan 2, 3:04 PM MST"),
		"When":     r.when(a),
		"ZoneNote": r.zoneNote,
		"With":     with,
		"Location": place(a, p.offices),
		"Link":     r.link,
	}
}

// when writes an appointment's date and times in r's zone, e.g.
// "Tuesday, March 10, 2026, 10:00 AM – 11:00 AM EDT".
func (r recipient) when(a scheduling.Appointment) string {
	start, end := a.Start.In(r.zone), a.End.In(r.zone)
	endFormat := "3:04 PM MST"
	if end.YearDay() != start.YearDay() || end.Year() != start.Year() {
		endFormat = "Monday, January 2, 2006, 3:04 PM MST"
	}
	return start.Format("Monday, January 2, 2006, 3:04 PM") + " – " + end.Format(endFormat)
}

// event is a as r's calendar invitation shows it: the client sees the
// provider's name, the provider the client's initials only.
func (r recipient) event(a scheduling.Appointment, p parties, canceled bool) Event {
	summary := "Appointment with " + p.providerName
	if r.provider {
		summary = p.initials + " – session"
	}
	return Event{
		UID:       a.ID + "@tend",
		Sequence:  a.Sequence,
		Start:     a.Start,
		End:       a.End,
		Summary:   summary,
		Location:  place(a, p.offices),
		Organizer: Person{Name: p.providerName, Email: p.providerEmail},
		Attendee:  Person{Email: p.clientEmail},
		Canceled:  canceled,
	}
}
