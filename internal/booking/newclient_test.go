package booking_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

const visitor = "samira@example.test"

// invite is an .ics attachment read back with golang-ical.
type invite struct {
	Method, UID, Summary, Status string
	Sequence                     int
	Start                        time.Time
}

// readInvite parses the single .ics attachment of m.
func readInvite(t *testing.T, m mail.Email) invite {
	t.Helper()
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "invite.ics" ||
		!strings.HasPrefix(m.Attachments[0].ContentType, "text/calendar") {
		t.Fatalf("%s mail has attachments %+v, want one text/calendar invite.ics", m.Template, m.Attachments)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(m.Attachments[0].Data))
	if err != nil {
		t.Fatalf("parse invite: %v", err)
	}
	var inv invite
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			inv.Method = p.Value
		}
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("invite has %d events, want 1", len(events))
	}
	ev := events[0]
	inv.UID = ev.Id()
	get := func(p ics.ComponentProperty) string {
		if v := ev.GetProperty(p); v != nil {
			return v.Value
		}
		return ""
	}
	inv.Summary, inv.Status = get(ics.ComponentPropertySummary), get(ics.ComponentPropertyStatus)
	inv.Sequence, err = strconv.Atoi(get(ics.ComponentPropertySequence))
	if err != nil {
		t.Fatalf("SEQUENCE %q: %v", get(ics.ComponentPropertySequence), err)
	}
	if inv.Start, err = ev.GetStartAt(); err != nil {
		t.Fatalf("DTSTART: %v", err)
	}
	return inv
}

// clinical words and the client's name must not appear where they must
// not.
var clinicalWords = []string{"diagnos", "phq", "gad", "depress", "anxi", "90791", "note",
	"symptom", "treatment plan"}

func checkClean(t *testing.T, m mail.Email, forbidden ...string) {
	t.Helper()
	for _, part := range []string{m.Subject, m.Text, m.HTML} {
		lower := strings.ToLower(part)
		for _, w := range append(clinicalWords, forbidden...) {
			if strings.Contains(lower, strings.ToLower(w)) {
				t.Errorf("%s mail to %s contains %q", m.Template, m.To, w)
			}
		}
	}
}

func TestBookNewClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		conf, err := e.book.BookNewClient(ctx, e.request(visitor))
		if err != nil {
			t.Fatalf("book: %v", err)
		}
		if !conf.Start.Equal(wednesday10) || conf.TimeZone != "America/Chicago" ||
			conf.ProviderName != "Ada Park" || !conf.End.Equal(wednesday10.Add(time.Hour)) {
			t.Errorf("confirmation = %+v", conf)
		}

		page, err := e.clients.List(ctx, e.provider, clients.Query{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("clients = %+v (%v), want the one booked", page, err)
		}
		c := page.Items[0]
		if c.Email != visitor || c.Status != clients.StatusScheduled || c.Address.State != "NY" {
			t.Errorf("client = %+v, want scheduled with the visitor's email", c)
		}
		appts, err := e.sched.ForClient(ctx, e.provider, c.ID)
		if err != nil || len(appts) != 1 {
			t.Fatalf("appointments = %v (%v), want 1", appts, err)
		}
		a := appts[0]
		if a.Kind != scheduling.KindIntake || a.Source != scheduling.SourcePublic ||
			!a.Start.Equal(wednesday10) || a.Status != scheduling.StatusScheduled {
			t.Errorf("appointment = %+v, want a public intake at Wednesday 10:00", a)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM form_assignments WHERE client_id = $1`, c.ID); n != 5 {
			t.Errorf("%d forms assigned, want 5", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM users WHERE client_id = $1 AND role = 'client'
			AND password_hash IS NULL AND email = $2`, c.ID, visitor); n != 1 {
			t.Errorf("%d password-less client accounts, want 1", n)
		}

		e.runDue(t)
		sent := e.sent.take()
		// One mail for the five intake forms, linking to the list.
		if got := mailsTo(sent, "forms_assigned", visitor); len(got) != 1 {
			t.Errorf("%d forms mails, want 1", len(got))
		} else if m := got[0]; !strings.Contains(m.Text, "sent you 5 forms") ||
			!strings.Contains(m.Text, "/portal/forms\n") || m.Subject != "You have forms to complete" {
			t.Errorf("forms mail %q:\n%s", m.Subject, m.Text)
		}
		toProvider := mailsTo(sent, "appointment_booked", providerEmail)
		toClient := mailsTo(sent, "appointment_booked", visitor)
		if len(toProvider) != 1 || len(toClient) != 1 {
			t.Fatalf("booked mails: %d to the provider, %d to the client, want 1 each",
				len(toProvider), len(toClient))
		}
		for _, m := range []mail.Email{toProvider[0], toClient[0]} {
			inv := readInvite(t, m)
			if inv.Method != "REQUEST" || inv.UID != a.ID+"@tend" || inv.Sequence != a.Sequence ||
				!inv.Start.Equal(wednesday10) || inv.Status != "CONFIRMED" {
				t.Errorf("%s invite = %+v", m.To, inv)
			}
		}
		p, cm := toProvider[0], toClient[0]
		checkClean(t, p, "Samira", "Lindqvist")
		checkClean(t, cm)
		if s := readInvite(t, p).Summary; s != "S.L. – session" {
			t.Errorf("provider SUMMARY = %q", s)
		}
		if s := readInvite(t, cm).Summary; !strings.Contains(s, "Appointment with Ada Park") {
			t.Errorf("client SUMMARY = %q", s)
		}
		// The client gave Chicago: 9:00 CST there, 10:00 EST for the provider.
		if !strings.Contains(cm.Text, "9:00 AM") || !strings.Contains(cm.Text, "America/Chicago") {
			t.Errorf("client mail does not show Chicago time:\n%s", cm.Text)
		}
		if !strings.Contains(p.Text, "10:00 AM") || !strings.Contains(p.Text, "America/New_York") {
			t.Errorf("provider mail does not show New York time:\n%s", p.Text)
		}
	})
}

func TestBookNewClientBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tests := []struct {
			name   string
			change func(*booking.NewClientRequest)
			field  string
		}{
			{"no first name", func(r *booking.NewClientRequest) { r.FirstName = "" }, "first_name"},
			{"bad email", func(r *booking.NewClientRequest) { r.Email = "not-an-email" }, "email"},
			{"bad phone", func(r *booking.NewClientRequest) { r.Phone = "12" }, "phone"},
			{"bad state", func(r *booking.NewClientRequest) { r.State = "ZZ" }, "state"},
			{"no payment", func(r *booking.NewClientRequest) { r.CashPay = false }, "payer_id"},
			{"no consent", func(r *booking.NewClientRequest) { r.ConsentTerms = false }, "consent_terms"},
			{"unknown payer", func(r *booking.NewClientRequest) {
				r.CashPay, r.PayerID, r.MemberID = false, store.NewID(), "X1"
			}, "payer_id"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := e.request("bad" + strconv.Itoa(i) + "@example.test")
				req.IP = "192.0.2." + strconv.Itoa(i+1)
				tt.change(&req)
				_, err := e.book.BookNewClient(context.Background(), req)
				errs, ok := validation.From(err)
				if !ok || errs.For(tt.field) == "" {
					t.Errorf("err = %v, want a problem with %s", err, tt.field)
				}
			})
		}
		if n := e.count(t, `SELECT COUNT(*) FROM clients`); n != 0 {
			t.Errorf("%d clients after bad requests, want 0", n)
		}
		// A start that is not open.
		req := e.request(visitor)
		req.Start = wednesday10.Add(15 * time.Minute)
		_, err := e.book.BookNewClient(context.Background(), req)
		var taken *booking.SlotTakenError
		if !errors.As(err, &taken) || len(taken.Fresh) == 0 || !errors.Is(err, scheduling.ErrSlotTaken) {
			t.Fatalf("err = %v, want SlotTakenError with fresh slots", err)
		}
		if taken.Fresh[0].LocalStart.Location().String() != "America/Chicago" {
			t.Errorf("fresh slots are in %v, want the visitor's zone", taken.Fresh[0].LocalStart.Location())
		}
	})
}

func TestSlotJustTaken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		if _, err := e.book.BookNewClient(ctx, e.request(visitor)); err != nil {
			t.Fatalf("first booking: %v", err)
		}
		second := e.request("other@example.test")
		second.IP = "192.0.2.200"
		_, err := e.book.BookNewClient(ctx, second)
		var taken *booking.SlotTakenError
		if !errors.As(err, &taken) || len(taken.Fresh) == 0 {
			t.Fatalf("second booking: err = %v, want SlotTakenError with fresh slots", err)
		}
		for _, s := range taken.Fresh {
			if s.Start.Equal(wednesday10) {
				t.Errorf("the taken slot is offered again")
			}
		}
		if n := e.count(t, `SELECT COUNT(*) FROM clients`); n != 1 {
			t.Errorf("%d clients, want only the first booker", n)
		}
	})
}

// TestBookNewClientSendsTheProvidersPacket: a provider who chose their
// own intake packet has exactly those forms sent on booking.
func TestBookNewClientSendsTheProvidersPacket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		own, err := e.forms.CreateTemplate(ctx, e.provider, forms.Template{
			Title: "Couples intake", Fields: []forms.Field{{Label: "Partner's name",
				Type: forms.ShortText}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.forms.SetIntakePacket(ctx, e.provider, []string{own.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.book.BookNewClient(ctx, e.request(visitor)); err != nil {
			t.Fatalf("book: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM form_assignments`); n != 1 {
			t.Errorf("%d forms assigned, want 1", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM form_assignments WHERE template_id = $1`,
			own.ID); n != 1 {
			t.Errorf("the provider's own form was not the one sent")
		}
	})
}
