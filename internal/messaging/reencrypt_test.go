package messaging

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/vault"
)

func TestReencryptAfterRotate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{})
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")
		oldID := e.svc.ring.PrimaryID()
		for i := range reencryptBatch + 5 {
			e.send(t, prov, cl.ClientID, "message "+string(rune('a'+i%26)))
		}
		withFile := e.send(t, cl, cl.ClientID, "see attached", file("scan.pdf", pdfBytes))
		retracted := e.send(t, prov, cl.ClientID, "oops")
		if err := e.svc.Retract(ctx, prov, retracted.ID); err != nil {
			t.Fatal(err)
		}

		newID, err := vault.Rotate(e.keyFile)
		if err != nil {
			t.Fatal(err)
		}
		ring, err := vault.LoadOrCreate(e.keyFile)
		if err != nil {
			t.Fatal(err)
		}
		svc := New(db, e.clk, e.log, ring, e.raw, mail.NewOutbox(e.queue, ring), e.queue, baseURL, Limits{})
		// Old messages stay readable before re-encryption.
		before, err := svc.Messages(ctx, prov, cl.ClientID)
		if err != nil {
			t.Fatalf("messages after rotation: %v", err)
		}
		n, err := svc.Reencrypt(ctx)
		if err != nil {
			t.Fatalf("Reencrypt: %v", err)
		}
		if want := reencryptBatch + 5 + 1 + 1; n != want {
			t.Fatalf("Reencrypt changed %d values, want %d", n, want)
		}
		if n, err := svc.Reencrypt(ctx); err != nil || n != 0 {
			t.Fatalf("second Reencrypt = %d, %v; want 0", n, err)
		}
		after, err := svc.Messages(ctx, prov, cl.ClientID)
		if err != nil || len(after) != len(before) {
			t.Fatalf("messages after Reencrypt: %d, %v", len(after), err)
		}
		for i := range after {
			if after[i].Body != before[i].Body {
				t.Fatalf("message %d changed: %q → %q", i, before[i].Body, after[i].Body)
			}
		}
		rows, err := db.Reader().QueryContext(ctx, `SELECT body_sealed FROM messages WHERE body_sealed <> ''`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var sealed string
			if err := rows.Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			raw, _ := base64.StdEncoding.DecodeString(sealed)
			if id, err := vault.KeyID(raw); err != nil || id != newID {
				t.Fatalf("body under key %q (%v), want %q (old %q)", id, err, newID, oldID)
			}
		}
		if id, err := svc.blobs.KeyID(ctx, "attachments/"+withFile.Attachments[0].ID); err != nil || id != newID {
			t.Fatalf("attachment data key under %q, %v; want %q", id, err, newID)
		}
		a, rc, err := svc.Attachment(ctx, prov, withFile.Attachments[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
		if a.Size != int64(len(pdfBytes)) {
			t.Fatalf("attachment = %+v", a)
		}
	})
}
