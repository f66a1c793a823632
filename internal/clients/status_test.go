package clients_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

func TestStatusDerivation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		status := func(c clients.Client) clients.Status {
			t.Helper()
			got, err := e.svc.Get(ctx, e.a, c.ID)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			return got.Status
		}
		counts := func() clients.Counts {
			t.Helper()
			n, err := e.svc.Counts(ctx, e.a, "")
			if err != nil {
				t.Fatalf("Counts: %v", err)
			}
			return n
		}

		c := e.create(t, e.a, input("Jamie", "Chen", "jamie@example.com"))
		if s := status(c); s != clients.StatusActive {
			t.Fatalf("new client is %s, want active", s)
		}

		// Booked: scheduled, with the next appointment.
		e.appointment(t, c, start.Add(48*time.Hour), "scheduled")
		got, _ := e.svc.Get(ctx, e.a, c.ID)
		if got.Status != clients.StatusScheduled || got.NextAppointmentAt == nil ||
			!got.NextAppointmentAt.Equal(start.Add(48*time.Hour)) || got.LastAppointmentAt != nil {
			t.Fatalf("booked client: status %s next %v last %v", got.Status,
				got.NextAppointmentAt, got.LastAppointmentAt)
		}
		if n := counts(); n != (clients.Counts{Active: 1, Scheduled: 1}) {
			t.Fatalf("counts after booking = %+v", n)
		}

		// While it is under way the client is neither scheduled nor due.
		e.clk.Advance(48*time.Hour + 10*time.Minute)
		if s := status(c); s != clients.StatusActive {
			t.Fatalf("during the appointment status = %s, want active", s)
		}

		// Once it has ended: needs follow-up.
		e.clk.Advance(time.Hour)
		got, _ = e.svc.Get(ctx, e.a, c.ID)
		if got.Status != clients.StatusNeedsFollowUp || got.LastAppointmentAt == nil ||
			got.NextAppointmentAt != nil {
			t.Fatalf("after the appointment: status %s next %v last %v", got.Status,
				got.NextAppointmentAt, got.LastAppointmentAt)
		}
		if n := counts(); n != (clients.Counts{Active: 1, NeedsFollowUp: 1}) {
			t.Fatalf("counts after the appointment = %+v", n)
		}

		// A cancelled future appointment does not schedule anyone.
		e.appointment(t, c, e.clk.Now().Add(7*24*time.Hour), "canceled")
		e.appointment(t, c, e.clk.Now().Add(8*24*time.Hour), "late_canceled")
		if s := status(c); s != clients.StatusNeedsFollowUp {
			t.Fatalf("with only cancelled future appointments status = %s", s)
		}
		// A missed or cancelled past one is not a completed one.
		other := e.create(t, e.a, input("Kai", "Lee", "kai@example.com"))
		e.appointment(t, other, e.clk.Now().Add(-72*time.Hour), "no_show")
		e.appointment(t, other, e.clk.Now().Add(-48*time.Hour), "canceled")
		if s := status(other); s != clients.StatusActive {
			t.Fatalf("client with only a no-show is %s, want active", s)
		}

		// Archiving hides the client from every tab but Archived.
		e.appointment(t, c, e.clk.Now().Add(9*24*time.Hour), "scheduled")
		if _, err := e.svc.Archive(ctx, e.a, c.ID, clients.ReasonPausedCare); err != nil {
			t.Fatalf("Archive: %v", err)
		}
		if s := status(c); s != clients.StatusArchived {
			t.Fatalf("archived client is %s", s)
		}
		if n := counts(); n != (clients.Counts{Active: 1, Archived: 1}) {
			t.Fatalf("counts after archiving = %+v", n)
		}
		for _, tab := range []clients.Status{clients.StatusActive, clients.StatusScheduled,
			clients.StatusNeedsFollowUp} {
			p, err := e.svc.List(ctx, e.a, clients.Query{Tab: tab})
			if err != nil {
				t.Fatalf("List %s: %v", tab, err)
			}
			for _, it := range p.Items {
				if it.ID == c.ID {
					t.Errorf("archived client listed in the %s tab", tab)
				}
			}
		}
		p, err := e.svc.List(ctx, e.a, clients.Query{Tab: clients.StatusArchived})
		if err != nil || len(p.Items) != 1 || p.Items[0].ArchiveReason != clients.ReasonPausedCare {
			t.Fatalf("archived tab = %+v, %v", p.Items, err)
		}

		// Unarchived with a future appointment: scheduled again.
		if _, err := e.svc.Unarchive(ctx, e.a, c.ID); err != nil {
			t.Fatalf("Unarchive: %v", err)
		}
		if s := status(c); s != clients.StatusScheduled {
			t.Fatalf("unarchived client is %s, want scheduled", s)
		}
	})
}

func TestArchive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		c := e.create(t, e.a, input("Jamie", "Chen", "jamie@example.com"))
		if err := e.svc.CheckCanBook(ctx, c.ID); err != nil {
			t.Fatalf("CheckCanBook on an active client: %v", err)
		}
		for _, reason := range []string{"", "moved"} {
			_, err := e.svc.Archive(ctx, e.a, c.ID, reason)
			if errs, ok := validation.From(err); !ok || !errs.Has("reason") {
				t.Fatalf("Archive with reason %q = %v, want a problem on reason", reason, err)
			}
		}
		got, err := e.svc.Archive(ctx, e.a, c.ID, clients.ReasonReferredOut)
		if err != nil || got.ArchivedAt == nil || got.ArchiveReason != clients.ReasonReferredOut {
			t.Fatalf("Archive = %+v, %v", got, err)
		}
		err = e.svc.CheckCanBook(ctx, c.ID)
		if !errors.Is(err, clients.ErrArchived) {
			t.Fatalf("CheckCanBook on an archived client = %v, want ErrArchived", err)
		}
		t.Logf("booking refusal: %v", err)
		if _, err := e.svc.Archive(ctx, e.a, c.ID, clients.ReasonDischarged); err == nil {
			t.Fatal("archiving twice succeeded")
		}
		if err := e.svc.CheckCanBook(ctx, store.NewID()); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("CheckCanBook on an unknown id = %v", err)
		}
		got, err = e.svc.Unarchive(ctx, e.a, c.ID)
		if err != nil || got.ArchivedAt != nil || got.ArchiveReason != "" {
			t.Fatalf("Unarchive = %+v, %v", got, err)
		}
		if err := e.svc.CheckCanBook(ctx, c.ID); err != nil {
			t.Fatalf("CheckCanBook after unarchiving: %v", err)
		}
		if e.auditCount(t, "clients.client.archive", c.ID) != 1 ||
			e.auditCount(t, "clients.client.unarchive", c.ID) != 1 {
			t.Fatal("archive and unarchive were not each audited once")
		}
	})
}
