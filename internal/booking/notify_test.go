package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// bookOne books the visitor's intake and returns it, with the mail
// from the booking already taken.
func (e *env) bookOne(t *testing.T) scheduling.Appointment {
	t.Helper()
	ctx := context.Background()
	if _, err := e.book.BookNewClient(ctx, e.request(visitor)); err != nil {
		t.Fatalf("book: %v", err)
	}
	e.runDue(t)
	e.sent.take()
	var id string
	if err := e.db.Reader().QueryRowContext(ctx, `SELECT id FROM appointments`).Scan(&id); err != nil {
		t.Fatalf("read appointment: %v", err)
	}
	a, err := e.sched.Get(ctx, e.provider, id)
	if err != nil {
		t.Fatalf("get appointment: %v", err)
	}
	return a
}

// reminders returns how many reminder mails went to the visitor when
// the clock is set to at and due jobs run.
func (e *env) remindersAt(t *testing.T, at time.Time) int {
	t.Helper()
	e.clk.Set(at)
	e.runDue(t)
	return len(mailsTo(e.sent.take(), "appointment_reminder", visitor))
}

func TestRescheduleAndCancelInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a := e.bookOne(t)

		later := wednesday10.Add(2 * time.Hour)
		moved, err := e.sched.Reschedule(ctx, e.provider, a.ID, scheduling.ScopeThis,
			scheduling.Change{Start: &later})
		if err != nil {
			t.Fatalf("reschedule: %v", err)
		}
		e.runDue(t)
		sent := e.sent.take()
		for _, to := range []string{providerEmail, visitor} {
			list := mailsTo(sent, "appointment_rescheduled", to)
			if len(list) != 1 {
				t.Fatalf("%d rescheduled mails to %s, want 1", len(list), to)
			}
			inv := readInvite(t, list[0])
			if inv.Method != "REQUEST" || inv.UID != a.ID+"@tend" || inv.Sequence <= a.Sequence ||
				inv.Sequence != moved[0].Sequence || !inv.Start.Equal(later) {
				t.Errorf("rescheduled invite to %s = %+v, want REQUEST seq %d at %v",
					to, inv, moved[0].Sequence, later)
			}
			checkClean(t, list[0])
		}

		canceled, err := e.sched.Cancel(ctx, e.provider, a.ID, scheduling.ScopeThis, "provider ill")
		if err != nil {
			t.Fatalf("cancel: %v", err)
		}
		e.runDue(t)
		sent = e.sent.take()
		for _, to := range []string{providerEmail, visitor} {
			list := mailsTo(sent, "appointment_canceled", to)
			if len(list) != 1 {
				t.Fatalf("%d canceled mails to %s, want 1", len(list), to)
			}
			inv := readInvite(t, list[0])
			if inv.Method != "CANCEL" || inv.UID != a.ID+"@tend" || inv.Status != "CANCELLED" ||
				inv.Sequence < moved[0].Sequence || inv.Sequence != canceled[0].Sequence {
				t.Errorf("cancel invite to %s = %+v", to, inv)
			}
			checkClean(t, list[0], "provider ill")
		}
	})
}

func TestReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a := e.bookOne(t)
		due := a.Start.Add(-24 * time.Hour)

		if n := e.remindersAt(t, due.Add(-time.Minute)); n != 0 {
			t.Fatalf("%d reminders a minute early, want 0", n)
		}
		// Move it a day later: the old reminder must not go out.
		later := a.Start.Add(24 * time.Hour)
		if _, err := e.sched.Reschedule(ctx, e.provider, a.ID, scheduling.ScopeThis,
			scheduling.Change{Start: &later}); err != nil {
			t.Fatalf("reschedule: %v", err)
		}
		e.runDue(t)
		e.sent.take()
		if n := e.remindersAt(t, due.Add(time.Minute)); n != 0 {
			t.Errorf("%d reminders at the old time, want 0", n)
		}
		if n := e.remindersAt(t, later.Add(-24*time.Hour).Add(time.Minute)); n != 1 {
			t.Errorf("%d reminders at the new time, want 1", n)
		}
		if n := e.remindersAt(t, later.Add(-time.Hour)); n != 0 {
			t.Errorf("%d more reminders later, want none", n)
		}
	})
}

func TestCanceledAppointmentGetsNoReminder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		a := e.bookOne(t)
		if _, err := e.sched.Cancel(context.Background(), e.provider, a.ID,
			scheduling.ScopeThis, "schedule conflict"); err != nil {
			t.Fatalf("cancel: %v", err)
		}
		if n := e.remindersAt(t, a.Start.Add(-23*time.Hour)); n != 0 {
			t.Errorf("%d reminders for a canceled appointment, want 0", n)
		}
	})
}

func TestReminderSurvivesRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		a := e.bookOne(t)
		e.stop(t, e.queue)
		e.startQueue(t) // a new process: new queue, new services, same database
		if n := e.remindersAt(t, a.Start.Add(-24*time.Hour)); n != 1 {
			t.Errorf("%d reminders after a restart, want 1", n)
		}
		// Running the same job twice (a crash after mailing) mails once:
		// the unique key keeps a second job out.
		var jobs int
		err := db.Reader().QueryRowContext(context.Background(),
			`SELECT COUNT(*) FROM river_job WHERE kind = 'notify.reminder'`).Scan(&jobs)
		if err != nil || jobs != 1 {
			t.Errorf("%d reminder jobs (%v), want exactly 1", jobs, err)
		}
	})
}
