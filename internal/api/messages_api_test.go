package api_test

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// thread is a provider with one client who can sign in to the portal.
type thread struct {
	pro    practice
	client clientOut
	portal string // the client's bearer token
}

// newThread creates a provider, a client of theirs and the client's
// portal sign-in.
func (e *env) newThread(t *testing.T, email string) thread {
	t.Helper()
	p := e.newPractice(t, email)
	c := e.createClient(t, p.token, map[string]any{"first_name": "Ada", "last_name": "Lovelace"})
	return thread{pro: p, client: c, portal: e.portalToken(t, "client-"+email, c.ID)}
}

// TestMessagesRoundTrip: a JSON message and a multipart one with a PDF,
// the thread list on both sides, read receipts and the client's reply.
func TestMessagesRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		th := e.newThread(t, "pro@example.test")

		first := e.send(t, th.pro.token, th.client.ID, "Hello Ada,\nsee you Tuesday.")
		if first.Sender != "provider" || first.Body != "Hello Ada,\nsee you Tuesday." ||
			first.ReadAt != nil || first.RetractedAt != nil || len(first.Attachments) != 0 {
			t.Errorf("sent message = %+v", first)
		}
		if first.SentAt != e.clk.Now().UTC().Format(time.RFC3339) {
			t.Errorf("sent_at %s, want the clock's now", first.SentAt)
		}

		e.clk.Advance(time.Minute)
		res := e.upload(t, th.pro.token, th.client.ID, "The worksheet.",
			fileSpec{name: "worksheet.pdf", content: samplePDF()})
		wantStatus(t, res, http.StatusCreated)
		second := decode[messageOut](t, res)
		if len(second.Attachments) != 1 {
			t.Fatalf("attachments = %+v", second.Attachments)
		}
		att := second.Attachments[0]
		if n := filesUnder(t, e.blobDir); n != 2 {
			t.Errorf("%d blob files, want the attachment and its sealed key", n)
		}
		if att.Filename != "worksheet.pdf" || att.ContentType != "application/pdf" ||
			att.Size != int64(len(samplePDF())) {
			t.Errorf("attachment = %+v", att)
		}

		// The provider's list names the client; the client's shows their
		// one thread with two unread messages.
		proThreads := e.threads(t, th.pro.token)
		if len(proThreads) != 1 || proThreads[0].ClientID != th.client.ID ||
			proThreads[0].ClientName == "" || proThreads[0].UnreadCount != 0 {
			t.Errorf("provider threads = %+v", proThreads)
		}
		mine := e.threads(t, th.portal)
		if len(mine) != 1 || mine[0].ClientID != th.client.ID || mine[0].UnreadCount != 2 ||
			mine[0].LastMessageAt == nil || mine[0].ClientName != "" || mine[0].LastLine != "" {
			t.Errorf("client threads = %+v", mine)
		}

		// Listing marks nothing read; the client marks the first read.
		if got := e.messages(t, th.portal, th.client.ID); len(got) != 2 || got[0].ReadAt != nil {
			t.Fatalf("client sees %+v", got)
		}
		e.clk.Advance(time.Minute)
		res = e.do(t, call{method: http.MethodPost, path: "/messages/" + first.ID + "/read",
			token: th.portal})
		wantStatus(t, res, http.StatusOK)
		if read := decode[messageOut](t, res); read.ReadAt == nil {
			t.Error("read_at not set by the recipient")
		}
		// The sender may not mark their own message read.
		res = e.do(t, call{method: http.MethodPost, path: "/messages/" + second.ID + "/read",
			token: th.pro.token})
		wantError(t, res, http.StatusForbidden, "not_recipient", "")

		// The client replies; the provider sees the reply and the receipt.
		reply := e.send(t, th.portal, th.client.ID, "Thanks, see you then.")
		if reply.Sender != "client" {
			t.Errorf("reply sender %q", reply.Sender)
		}
		got := e.messages(t, th.pro.token, th.client.ID)
		if len(got) != 3 {
			t.Fatalf("provider sees %d messages", len(got))
		}
		byID := map[string]messageOut{}
		for _, m := range got {
			byID[m.ID] = m
		}
		if byID[first.ID].ReadAt == nil || byID[second.ID].ReadAt != nil {
			t.Errorf("read receipts: first %v, second %v",
				byID[first.ID].ReadAt, byID[second.ID].ReadAt)
		}
		if byID[reply.ID].Body != "Thanks, see you then." {
			t.Errorf("reply = %+v", byID[reply.ID])
		}
		if pt := e.threads(t, th.pro.token); len(pt) != 1 || pt[0].UnreadCount != 1 {
			t.Errorf("provider threads after the reply = %+v", pt)
		}

		// Search across threads and within one.
		for _, path := range []string{
			"/messages/search?q=" + url.QueryEscape("TUESDAY"),
			"/messages/search?q=tuesday&client_id=" + th.client.ID,
		} {
			res = e.do(t, call{method: http.MethodGet, path: path, token: th.pro.token})
			wantStatus(t, res, http.StatusOK)
			found := decode[struct {
				Items []messageOut `json:"items"`
			}](t, res).Items
			if len(found) != 1 || found[0].ID != first.ID {
				t.Errorf("%s found %+v", path, found)
			}
		}
	})
}

// threads lists the caller's threads.
func (e *env) threads(t *testing.T, token string) []threadOut {
	t.Helper()
	res := e.do(t, call{method: http.MethodGet, path: "/threads", token: token})
	wantStatus(t, res, http.StatusOK)
	return decode[struct {
		Items []threadOut `json:"items"`
	}](t, res).Items
}

// TestAttachmentDownload: both parties download the PDF as it was sent,
// as an attachment; a third party and a guessed id get 404.
func TestAttachmentDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		th := e.newThread(t, "pro@example.test")
		res := e.upload(t, th.pro.token, th.client.ID, "",
			fileSpec{name: `../../etc/"report" ünïcode.pdf`, content: samplePDF()})
		wantStatus(t, res, http.StatusCreated)
		att := decode[messageOut](t, res).Attachments[0]
		if att.Filename != "report ünïcode.pdf" {
			t.Errorf("stored file name %q, want the base name without quotes", att.Filename)
		}

		for _, token := range []string{th.pro.token, th.portal} {
			res := e.do(t, call{method: http.MethodGet, path: "/attachments/" + att.ID, token: token})
			wantStatus(t, res, http.StatusOK)
			if !bytes.Equal(res.body, samplePDF()) {
				t.Errorf("downloaded %d bytes, not the PDF sent", len(res.body))
			}
			want := map[string]string{
				"Content-Type":           "application/pdf",
				"X-Content-Type-Options": "nosniff",
				"Cache-Control":          "no-store",
				"Content-Disposition": `attachment; filename="report _n_code.pdf"; ` +
					`filename*=UTF-8''report%20%C3%BCn%C3%AFcode.pdf`,
			}
			for k, v := range want {
				if got := res.header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
		}

		other := e.newThread(t, "other@example.test")
		for _, token := range []string{other.pro.token, other.portal} {
			res := e.do(t, call{method: http.MethodGet, path: "/attachments/" + att.ID, token: token})
			wantError(t, res, http.StatusNotFound, "not_found", "")
		}
		for _, id := range []string{store.NewID(), "not-an-id", "..%2F..%2Fsecret.keys"} {
			res := e.do(t, call{method: http.MethodGet, path: "/attachments/" + id, token: th.portal})
			wantError(t, res, http.StatusNotFound, "not_found", "")
		}
		if n := e.countWhere(t, "audit_log", "action = $1", "messaging.attachment.download"); n != 2 {
			t.Errorf("%d downloads audited, want 2", n)
		}
	})
}
