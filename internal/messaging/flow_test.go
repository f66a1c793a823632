package messaging

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

func TestSendReceiveBothWays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{})
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")

		if list, err := e.svc.Threads(ctx, prov); err != nil || len(list) != 0 {
			t.Fatalf("threads before any message = %v, %v; want none", list, err)
		}
		const script = "Hello Samira,\n<script>alert(1)</script> see you Tuesday"
		first := e.send(t, prov, cl.ClientID, script)
		if first.Sender != SenderProvider || first.Body != script || !first.SentAt.Equal(start) {
			t.Fatalf("sent = %+v", first)
		}
		e.clk.Advance(time.Minute)
		e.send(t, prov, cl.ClientID, "A second note")

		if n, err := e.svc.UnreadTotal(ctx, cl); err != nil || n != 2 {
			t.Fatalf("client unread = %d, %v; want 2", n, err)
		}
		if n, _ := e.svc.UnreadTotal(ctx, prov); n != 0 {
			t.Fatalf("provider unread = %d, want 0", n)
		}
		threads, err := e.svc.Threads(ctx, cl)
		if err != nil || len(threads) != 1 || threads[0].UnreadCount != 2 ||
			threads[0].LastLine != "A second note" || threads[0].ClientID != cl.ClientID {
			t.Fatalf("client threads = %+v, %v", threads, err)
		}
		msgs, err := e.svc.Messages(ctx, cl, cl.ClientID)
		if err != nil || len(msgs) != 2 || msgs[0].Body != script || msgs[0].ReadAt != nil {
			t.Fatalf("client messages = %+v, %v", msgs, err)
		}

		// Receipts: only the recipient marks read, once.
		if _, err := e.svc.MarkRead(ctx, prov, first.ID); !errors.Is(err, ErrNotRecipient) {
			t.Fatalf("sender MarkRead = %v, want ErrNotRecipient", err)
		}
		e.clk.Advance(time.Minute)
		read, err := e.svc.MarkRead(ctx, cl, first.ID)
		if err != nil || read.ReadAt == nil || !read.ReadAt.Equal(e.clk.Now()) {
			t.Fatalf("MarkRead = %+v, %v", read, err)
		}
		e.clk.Advance(time.Minute)
		again, err := e.svc.MarkRead(ctx, cl, first.ID)
		if err != nil || !again.ReadAt.Equal(*read.ReadAt) {
			t.Fatalf("second MarkRead moved read_at: %+v, %v", again.ReadAt, err)
		}
		if n, _ := e.svc.UnreadTotal(ctx, cl); n != 1 {
			t.Fatalf("client unread after one read = %d, want 1", n)
		}
		if err := e.svc.MarkThreadRead(ctx, cl, cl.ClientID); err != nil {
			t.Fatalf("MarkThreadRead: %v", err)
		}
		if n, _ := e.svc.UnreadTotal(ctx, cl); n != 0 {
			t.Fatalf("client unread after thread read = %d, want 0", n)
		}

		// The reply reaches the provider.
		e.clk.Advance(time.Minute)
		reply := e.send(t, cl, cl.ClientID, "Thanks!\nSee you then.")
		if reply.Sender != SenderClient || reply.ProviderID != prov.ProviderID {
			t.Fatalf("reply = %+v", reply)
		}
		threads, err = e.svc.Threads(ctx, prov)
		if err != nil || len(threads) != 1 || threads[0].UnreadCount != 1 ||
			threads[0].LastLine != "Thanks!" || threads[0].ClientName != "Samira Lindqvist" ||
			!threads[0].LastMessageAt.Equal(reply.SentAt) {
			t.Fatalf("provider threads = %+v, %v", threads, err)
		}
		if n, _ := e.svc.UnreadTotal(ctx, prov); n != 1 {
			t.Fatalf("provider unread = %d, want 1", n)
		}
		msgs, err = e.svc.Messages(ctx, prov, cl.ClientID)
		if err != nil || len(msgs) != 3 || msgs[0].ReadAt == nil || msgs[2].ReadAt != nil {
			t.Fatalf("provider sees %+v, %v", msgs, err)
		}

		actions := e.auditActions(t, "Samira", "script", "Thanks")
		for action, want := range map[string]int{ActionMessageSend: 3, ActionMessageRead: 2,
			ActionThreadRead: 2, ActionThreadList: 2} {
			if got := count(actions, action); got != want {
				t.Errorf("%d %s audit rows, want %d", got, action, want)
			}
		}
		// Bodies are sealed at rest.
		var sealed string
		if err := db.Reader().QueryRowContext(ctx, `SELECT body_sealed FROM messages
			WHERE id = $1`, first.ID).Scan(&sealed); err != nil || sealed == "" ||
			sealed == script {
			t.Fatalf("stored body = %q, %v", sealed, err)
		}
	})
}

func TestSendValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{MaxFiles: 2})
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")

		long := make([]rune, MaxBodyChars+1)
		for i := range long {
			long[i] = 'é'
		}
		tests := []struct {
			name  string
			body  string
			files []Upload
			field string
		}{
			{"empty", "", nil, "body"},
			{"blank", " \n\t ", nil, "body"},
			{"too long", string(long), nil, "body"},
			{"too many files", "hi", []Upload{file("a.txt", []byte("a")), file("b.txt", []byte("b")),
				file("c.txt", []byte("c"))}, "attachments"},
		}
		for _, tt := range tests {
			_, err := e.svc.Send(ctx, prov, cl.ClientID, tt.body, tt.files)
			errs, ok := validation.From(err)
			if !ok || errs.For(tt.field) == "" {
				t.Errorf("%s: err = %v, want a validation error on %s", tt.name, err, tt.field)
			}
		}
		if _, err := e.svc.Send(ctx, prov, cl.ClientID, string(long[:MaxBodyChars]), nil); err != nil {
			t.Errorf("a body of exactly %d characters: %v", MaxBodyChars, err)
		}

		// An archived client's thread is closed both ways.
		_, err := db.Writer().ExecContext(ctx, `UPDATE clients SET archived_at = $1,
			archive_reason = 'completed' WHERE id = $2`, e.clk.Now(), cl.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []access.Actor{prov, cl} {
			if _, err := e.svc.Send(ctx, who, cl.ClientID, "hello", nil); !errors.Is(err, clients.ErrArchived) {
				t.Errorf("send by %s to archived client = %v, want ErrArchived", who.Role, err)
			}
		}
		threads, err := e.svc.Threads(ctx, prov)
		if err != nil || len(threads) != 1 || !threads[0].Archived {
			t.Errorf("threads of an archived client = %+v, %v", threads, err)
		}
	})
}

func TestScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{})
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")
		m := e.send(t, prov, cl.ClientID, "private", file("note.txt", []byte("private note")))

		otherProv := e.provider(t, "bo@example.test")
		otherClient := e.client(t, prov, "other@example.test")
		strangerClient := e.client(t, otherProv, "stranger@example.test")
		admin := access.Actor{UserID: store.NewID(), Role: access.RoleAdmin}
		outsiders := map[string]access.Actor{"other provider": otherProv,
			"other client of the provider": otherClient, "client of another provider": strangerClient,
			"admin": admin}
		for name, who := range outsiders {
			_, err := e.svc.Messages(ctx, who, cl.ClientID)
			wantErr(t, name+" Messages", err, store.ErrNotFound)
			_, err = e.svc.Send(ctx, who, cl.ClientID, "hi", nil)
			wantErr(t, name+" Send", err, store.ErrNotFound)
			_, err = e.svc.MarkRead(ctx, who, m.ID)
			wantErr(t, name+" MarkRead", err, store.ErrNotFound)
			wantErr(t, name+" MarkThreadRead", e.svc.MarkThreadRead(ctx, who, cl.ClientID), store.ErrNotFound)
			_, _, err = e.svc.Attachment(ctx, who, m.Attachments[0].ID)
			wantErr(t, name+" Attachment", err, store.ErrNotFound)
			wantErr(t, name+" Retract", e.svc.Retract(ctx, who, m.ID), store.ErrNotFound)
			_, err = e.svc.Search(ctx, who, "private", cl.ClientID)
			wantErr(t, name+" Search", err, store.ErrNotFound)
			if who.IsProvider() || who.IsClient() {
				found, err := e.svc.Search(ctx, who, "private", "")
				if err != nil || len(found) != 0 {
					t.Errorf("%s Search all = %d results, %v", name, len(found), err)
				}
				threads, err := e.svc.Threads(ctx, who)
				for _, th := range threads {
					if th.ClientID == cl.ClientID || th.LastLine != "" {
						t.Errorf("%s sees thread %+v", name, th)
					}
				}
				if err != nil {
					t.Errorf("%s Threads: %v", name, err)
				}
			}
		}
		for _, bad := range []string{"", "not-an-id", "'; DROP TABLE messages; --"} {
			_, err := e.svc.Messages(ctx, prov, bad)
			wantErr(t, "malformed client id", err, store.ErrNotFound)
			_, _, err = e.svc.Attachment(ctx, cl, bad)
			wantErr(t, "malformed attachment id", err, store.ErrNotFound)
		}
		// The two parties do reach it.
		if a, data := e.readAttachment(t, cl, m.Attachments[0].ID); string(data) != "private note" ||
			a.Filename != "note.txt" {
			t.Fatalf("client download = %+v %q", a, data)
		}
		e.readAttachment(t, prov, m.Attachments[0].ID)
		if got := count(e.auditActions(t), ActionAttachmentDownload); got != 2 {
			t.Errorf("%d download audit rows, want 2", got)
		}
	})
}

func TestRetract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{})
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")

		m := e.send(t, prov, cl.ClientID, "oops, wrong client", file("x.txt", []byte("attached")))
		wantErr(t, "recipient retracts", e.svc.Retract(ctx, cl, m.ID), ErrRetract)
		e.clk.Advance(4 * time.Minute)
		if err := e.svc.Retract(ctx, prov, m.ID); err != nil {
			t.Fatalf("retract within 5 minutes: %v", err)
		}
		wantErr(t, "retract twice", e.svc.Retract(ctx, prov, m.ID), ErrRetract)
		msgs, err := e.svc.Messages(ctx, cl, cl.ClientID)
		if err != nil || len(msgs) != 1 || msgs[0].Body != "" || msgs[0].RetractedAt == nil ||
			len(msgs[0].Attachments) != 0 {
			t.Fatalf("retracted message seen as %+v, %v", msgs, err)
		}
		_, _, err = e.svc.Attachment(ctx, cl, m.Attachments[0].ID)
		wantErr(t, "attachment of a retracted message", err, store.ErrNotFound)
		if n, _ := e.svc.UnreadTotal(ctx, cl); n != 0 {
			t.Errorf("a retracted message counts as unread (%d)", n)
		}
		var sealed string
		_ = db.Reader().QueryRowContext(ctx, `SELECT body_sealed FROM messages WHERE id = $1`,
			m.ID).Scan(&sealed)
		if sealed != "" {
			t.Errorf("retracted body still stored")
		}

		late := e.send(t, prov, cl.ClientID, "late")
		e.clk.Advance(5*time.Minute + time.Second)
		wantErr(t, "retract after 5 minutes", e.svc.Retract(ctx, prov, late.ID), ErrRetract)

		read := e.send(t, cl, cl.ClientID, "read quickly")
		if _, err := e.svc.MarkRead(ctx, prov, read.ID); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "retract after read", e.svc.Retract(ctx, cl, read.ID), ErrRetract)
		if got := count(e.auditActions(t, "oops"), ActionMessageRetract); got != 1 {
			t.Errorf("%d retract audit rows, want 1", got)
		}
	})
}

func TestWelcomeSentOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{})
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")
		welcome := func() {
			t.Helper()
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				return e.svc.SendWelcome(ctx, tx, prov.ProviderID, cl.ClientID)
			})
			if err != nil {
				t.Fatalf("SendWelcome: %v", err)
			}
		}
		welcome() // off by default: nothing
		if w, err := e.svc.Welcome(ctx, prov); err != nil || w.Enabled || w.Template != DefaultWelcomeTemplate {
			t.Fatalf("default welcome = %+v, %v", w, err)
		}
		err := e.svc.SetWelcome(ctx, prov, true, "")
		if errs, ok := validation.From(err); !ok || errs.For("template") == "" {
			t.Fatalf("enabling a blank welcome = %v", err)
		}
		if err := e.svc.SetWelcome(ctx, prov, true, "Hi {first_name}, this is {provider_name}."); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Welcome(ctx, cl); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("client reads welcome settings: %v", err)
		}
		welcome()
		welcome()
		msgs, err := e.svc.Messages(ctx, cl, cl.ClientID)
		if err != nil || len(msgs) != 1 || msgs[0].Body != "Hi Samira, this is Ada Park." ||
			msgs[0].Sender != SenderProvider {
			t.Fatalf("welcome messages = %+v, %v", msgs, err)
		}
	})
}
