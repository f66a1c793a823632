package messaging

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestNotificationsAreBatched(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{})
		e.startQueue(t)
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")

		for i := range 5 {
			e.send(t, prov, cl.ClientID, "Secret detail number "+string(rune('A'+i)))
			e.clk.Advance(10 * time.Second)
		}
		e.runDue(t) // the window has not ended: nothing yet
		if n := len(e.sent.all()); n != 0 {
			t.Fatalf("%d mails before the window ended", n)
		}
		e.clk.Advance(30 * time.Second)
		e.runDue(t)
		mails := e.sent.all()
		if len(mails) != 1 {
			t.Fatalf("five messages in a minute sent %d mails, want 1", len(mails))
		}
		m := mails[0]
		if m.To != "samira@example.test" || m.Template != MailTemplate ||
			!strings.Contains(m.Text, "new secure message from your provider") ||
			!strings.Contains(m.Text, baseURL+"/portal/messages") {
			t.Errorf("mail = %s to %s:\n%s", m.Template, m.To, m.Text)
		}
		for _, phi := range []string{"Secret", "detail", "Samira", "Ada", "Park"} {
			if strings.Contains(m.Subject+m.Text+m.HTML, phi) {
				t.Errorf("mail holds %q", phi)
			}
		}

		// Running the window's job again (a crash, a restart) mails nothing more.
		window := noticeArgs{Recipient: "client:" + cl.ClientID, Window: start}
		if err := e.svc.notify(ctx, window); err != nil {
			t.Fatal(err)
		}
		e.runDue(t)
		if n := len(e.sent.all()); n != 1 {
			t.Fatalf("a repeated job sent %d mails, want 1", n)
		}

		// The client replies; the provider is told, linked to /messages.
		reply := e.send(t, cl, cl.ClientID, "Thanks")
		e.clk.Advance(NotifyWindow)
		e.runDue(t)
		mails = e.sent.all()
		if len(mails) != 2 || mails[1].To != "ada@example.test" ||
			!strings.Contains(mails[1].Text, "from a client") ||
			!strings.Contains(mails[1].Text, baseURL+"/messages") {
			t.Fatalf("provider mail: %d mails, last %+v", len(mails), mails[len(mails)-1])
		}

		// A message read before its window ends mails nobody.
		m2 := e.send(t, cl, cl.ClientID, "one more")
		if _, err := e.svc.MarkRead(ctx, prov, m2.ID); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(NotifyWindow)
		e.runDue(t)
		if n := len(e.sent.all()); n != 2 {
			t.Fatalf("a message read in time still sent mail (%d mails)", n)
		}
		_ = reply
	})
}

func TestNotificationPreferenceOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{})
		e.startQueue(t)
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")

		if p, err := e.svc.NotificationPrefs(ctx, cl); err != nil || !p.EmailMessages {
			t.Fatalf("default prefs = %+v, %v; want e-mail on", p, err)
		}
		if err := e.svc.SetNotificationPrefs(ctx, cl, Prefs{EmailMessages: false}); err != nil {
			t.Fatal(err)
		}
		if p, _ := e.svc.NotificationPrefs(ctx, cl); p.EmailMessages {
			t.Fatal("preference did not stick")
		}
		e.send(t, prov, cl.ClientID, "hello")
		e.clk.Advance(2 * NotifyWindow)
		e.runDue(t)
		if n := len(e.sent.all()); n != 0 {
			t.Fatalf("%d mails with the preference off", n)
		}
		// In-portal the message still counts as unread.
		if n, _ := e.svc.UnreadTotal(ctx, cl); n != 1 {
			t.Fatalf("unread = %d, want 1", n)
		}
		if err := e.svc.SetNotificationPrefs(ctx, cl, Prefs{EmailMessages: true}); err != nil {
			t.Fatal(err)
		}
		e.send(t, prov, cl.ClientID, "again")
		e.clk.Advance(2 * NotifyWindow)
		e.runDue(t)
		if n := len(e.sent.all()); n != 1 {
			t.Fatalf("%d mails with the preference back on, want 1", n)
		}
	})
}
