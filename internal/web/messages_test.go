package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestMessagesEmptyStateAndCompose(t *testing.T) {
	ms := newMessagingSite(t, storetest.SQLite(t))
	gone := ms.newClient(ms.prov, clients.Input{FirstName: "Gus", LastName: "Gone"})
	if _, err := ms.clients.Archive(context.Background(), providerActor(ms.prov), gone.ID, "discharged"); err != nil {
		t.Fatalf("archive: %v", err)
	}
	b := ms.browser()
	b.signIn("dana@example.org", "/dashboard")

	p := b.get("/messages")
	want(t, p, http.StatusOK, `id="no-messages"`, "No messages yet", `href="/messages/new"`, "Compose message")

	p = b.get("/messages/new")
	want(t, p, http.StatusOK, `<select id="compose-client" name="client"`, `value="`+ms.clientID+`"`)
	if strings.Contains(p.body, gone.ID) || strings.Contains(p.body, ms.otherID) {
		t.Fatalf("compose offers an archived or another provider's client:\n%s", p.body)
	}
	wantRedirect(t, b.get("/messages/new?client="+ms.clientID), "/messages/"+ms.clientID)
	want(t, b.get("/messages/new?client="+gone.ID), http.StatusUnprocessableEntity,
		`id="compose-client-error"`, "archived")
	want(t, b.get("/messages/new?client="+ms.otherID), http.StatusUnprocessableEntity,
		`id="compose-client-error"`, "Choose a client.")

	p = b.get("/messages/" + ms.clientID)
	want(t, p, http.StatusOK, `id="thread-empty"`, `enctype="multipart/form-data"`,
		`<input type="file" id="msg-files" name="attachments" multiple`,
		`href="/clients/`+ms.clientID+`"`, `href="/clients/`+ms.clientID+`#follow-up"`)

	// The archived client's thread explains why nothing can be sent.
	p = b.get("/messages/" + gone.ID)
	want(t, p, http.StatusOK, `id="reply-closed"`, "archived")
	if strings.Contains(p.body, `id="reply-form"`) {
		t.Fatal("an archived client's thread offers the message form")
	}
	want(t, b.postMessage("/messages/"+gone.ID, "Hello"), http.StatusConflict, "archived")
}

func TestSendWithPDFAndDownload(t *testing.T) {
	ms := newMessagingSite(t, storetest.SQLite(t))
	dana := ms.browser()
	dana.signIn("dana@example.org", "/dashboard")
	pdf := samplePDF()

	p := dana.postMessage("/messages/"+ms.clientID, "Here is the worksheet.\nSee you Tuesday.",
		upFile{"Worksheet (week 1).pdf", pdf})
	if p.StatusCode != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/messages/"+ms.clientID+"?done=sent#message-") {
		t.Fatalf("send: %d → %q:\n%s", p.StatusCode, p.location(), p.body)
	}
	p = dana.get("/messages/" + ms.clientID + "?done=sent")
	want(t, p, http.StatusOK, "Your message has been sent.", "Here is the worksheet.<br>See you Tuesday.",
		"Worksheet (week 1).pdf", `class="receipt"`, ">Sent<")
	ids := attachmentIDs(p.body)
	if len(ids) != 1 {
		t.Fatalf("attachment links %v, want one", ids)
	}

	for _, who := range []struct {
		name string
		b    *browser
	}{{"provider", dana}, {"client", ms.clientBrowser()}} {
		t.Run("download as "+who.name, func(t *testing.T) {
			p := who.b.get("/attachments/" + ids[0])
			if p.StatusCode != http.StatusOK {
				t.Fatalf("download: %d\n%s", p.StatusCode, p.body)
			}
			if p.body != string(pdf) {
				t.Fatalf("downloaded %d bytes, want the %d sent", len(p.body), len(pdf))
			}
			for h, w := range map[string]string{
				"Content-Type":           "application/pdf",
				"X-Content-Type-Options": "nosniff",
				"Cache-Control":          "no-store",
			} {
				if got := p.Header.Get(h); got != w {
					t.Errorf("%s = %q, want %q", h, got, w)
				}
			}
			if got := p.Header.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment;") ||
				!strings.Contains(got, "Worksheet") {
				t.Errorf("Content-Disposition = %q", got)
			}
		})
	}

	// The other provider and a stranger get nothing.
	olu := ms.browser()
	olu.signIn("olu@example.org", "/dashboard")
	want(t, olu.get("/attachments/"+ids[0]), http.StatusNotFound)
	want(t, ms.browser().get("/attachments/"+ids[0]), http.StatusSeeOther)
}

func TestMessageTextIsSafe(t *testing.T) {
	ms := newMessagingSite(t, storetest.SQLite(t))
	dana := ms.browser()
	dana.signIn("dana@example.org", "/dashboard")
	body := `<script>alert("hi")</script> Read https://example.org/sleep?x=1&y=2 tonight.`
	wantRedirectPrefix(t, dana.postMessage("/messages/"+ms.clientID, body), "/messages/"+ms.clientID)

	sam := ms.clientBrowser()
	p := sam.get("/portal/messages")
	want(t, p, http.StatusOK, "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;",
		`<a href="https://example.org/sleep?x=1&amp;y=2" rel="noopener noreferrer nofollow" target="_blank">`)
	if strings.Contains(p.body, "<script>alert") {
		t.Fatalf("the script tag reached the page as markup:\n%s", p.body)
	}
}

func TestMessageFormProblems(t *testing.T) {
	ms := newMessagingSite(t, storetest.SQLite(t))
	dana := ms.browser()
	dana.signIn("dana@example.org", "/dashboard")
	path := "/messages/" + ms.clientID
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)

	tests := []struct {
		name   string
		body   string
		files  []upFile
		status int
		want   []string
	}{
		{"empty message", "  ", nil, http.StatusUnprocessableEntity, []string{`id="msg-body-error"`}},
		{"program disguised as a PDF", "see attached", []upFile{{"report.pdf", exe}},
			http.StatusUnprocessableEntity, []string{`id="msg-files-error"`, "see attached"}},
		{"web page disguised as text", "", []upFile{{"notes.txt",
			[]byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")}},
			http.StatusUnprocessableEntity, []string{`id="msg-files-error"`}},
		{"too many files", "many", []upFile{{"a.txt", []byte("a")}, {"b.txt", []byte("b")},
			{"c.txt", []byte("c")}, {"d.txt", []byte("d")}},
			http.StatusUnprocessableEntity, []string{`id="msg-files-error"`, "at most 3 files"}},
		{"file over the limit", "big", []upFile{{"big.txt", bytes.Repeat([]byte("a"), 70<<10)}},
			http.StatusRequestEntityTooLarge, []string{"larger than", "Nothing was sent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want(t, dana.postMessage(path, tt.body, tt.files...), tt.status, tt.want...)
		})
	}
	// Nothing was sent by any of them.
	want(t, dana.get("/messages"), http.StatusOK, "No messages yet")
}

func TestMessagesScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ms := newMessagingSite(t, db)
		olu := ms.browser()
		olu.signIn("olu@example.org", "/dashboard")
		wantRedirectPrefix(t, olu.postMessage("/messages/"+ms.otherID, "For Eve",
			upFile{"eve.txt", []byte("Eve's notes")}), "/messages/"+ms.otherID)
		eveFiles := attachmentIDs(olu.get("/messages/" + ms.otherID).body)
		if len(eveFiles) != 1 {
			t.Fatalf("attachment links %v, want one", eveFiles)
		}

		dana := ms.browser()
		dana.signIn("dana@example.org", "/dashboard")
		want(t, dana.get("/messages/"+ms.otherID), http.StatusNotFound)
		want(t, dana.postMessage("/messages/"+ms.otherID, "Hi"), http.StatusNotFound)
		want(t, dana.get("/attachments/"+eveFiles[0]), http.StatusNotFound)
		want(t, dana.get("/messages/not-an-id"), http.StatusNotFound)
		if p := dana.get("/messages?q=Eve"); strings.Contains(p.body, "For Eve") {
			t.Fatalf("search shows another provider's message:\n%s", p.body)
		}

		sam := ms.clientBrowser()
		want(t, sam.get("/attachments/"+eveFiles[0]), http.StatusNotFound)
		want(t, sam.get("/messages/"+ms.clientID), http.StatusNotFound)
		if p := sam.get("/portal/messages"); strings.Contains(p.body, "For Eve") {
			t.Fatalf("a client sees another client's thread:\n%s", p.body)
		}
	})
}

func TestPortalReadReplyAndUnread(t *testing.T) {
	ms := newMessagingSite(t, storetest.SQLite(t))
	dana := ms.browser()
	dana.signIn("dana@example.org", "/dashboard")
	path := "/messages/" + ms.clientID
	wantRedirectPrefix(t, dana.postMessage(path, "First note"), path)
	ms.clk.Advance(time.Minute)
	wantRedirectPrefix(t, dana.postMessage(path, "Second note"), path)
	ms.clk.Advance(time.Minute)

	sam := ms.clientBrowser()
	if n := navUnread(t, sam.get("/portal").body); n != 2 {
		t.Fatalf("client's badge = %d, want 2", n)
	}
	p := sam.get("/portal/messages")
	want(t, p, http.StatusOK, `id="crisis-note"`,
		"Messages are not for emergencies. If you are in crisis, call or text 988 "+
			"(Suicide &amp; Crisis Lifeline, US) or call 911.",
		`id="portal-unread"`, "2 unread messages", "First note", "Second note", "badge-new")
	if n := navUnread(t, p.body); n != 0 {
		t.Fatalf("badge on the opened inbox = %d, want 0", n)
	}
	if n := navUnread(t, sam.get("/portal").body); n != 0 {
		t.Fatalf("client's badge after reading = %d, want 0", n)
	}

	// The provider sees the read receipts.
	p = dana.get(path)
	if got := regexpAll(p.body, `class="receipt" id="receipt-[0-9a-f-]+">([^<]+)<`); len(got) != 2 ||
		got[0] != "Read 09:02" || got[1] != "Read 09:02" {
		t.Fatalf("receipts %q, want two of \"Read 09:02\"", got)
	}

	// The client replies with an attachment; the provider's badge and
	// thread list count it until the thread is opened.
	ms.clk.Advance(time.Minute)
	wantRedirectPrefix(t, sam.postMessage("/portal/messages", "Thanks! https://example.org",
		upFile{"sleep log.txt", []byte("Mon 6h\nTue 7h\n")}), "/portal/messages?done=sent")
	want(t, sam.get("/portal/messages?done=sent"), http.StatusOK, "Your message has been sent.", "sleep log.txt")
	p = dana.get("/messages")
	if n := navUnread(t, p.body); n != 1 {
		t.Fatalf("provider's badge = %d, want 1", n)
	}
	want(t, p, http.StatusOK, `id="thread-`+ms.clientID+`"`, `id="unread-`+ms.clientID+`"`, "Thanks! https://example.org")
	p = dana.get(path)
	want(t, p, http.StatusOK, "badge-new", `rel="noopener noreferrer nofollow"`, "sleep log.txt")
	if n := navUnread(t, p.body); n != 0 {
		t.Fatalf("provider's badge in the opened thread = %d, want 0", n)
	}
	if n := navUnread(t, dana.get("/dashboard").body); n != 0 {
		t.Fatalf("provider's badge after reading = %d, want 0", n)
	}

	// Search within the thread and across threads.
	want(t, dana.get(path+"?q=second"), http.StatusOK, `id="search-results"`, `id="hit-`)
	p = dana.get("/messages?q=thanks")
	want(t, p, http.StatusOK, `id="search-results"`, `href="`+path+`#message-`)
	want(t, dana.get("/messages?q=nothing-like-this"), http.StatusOK, `id="no-hits"`)
}

func TestRetract(t *testing.T) {
	ms := newMessagingSite(t, storetest.SQLite(t))
	dana := ms.browser()
	dana.signIn("dana@example.org", "/dashboard")
	path := "/messages/" + ms.clientID
	wantRedirectPrefix(t, dana.postMessage(path, "Oops, wrong client"), path)
	p := dana.get(path)
	forms := regexpAll(p.body, `action="(`+regexp.QuoteMeta(path)+`/[0-9a-f-]+/retract)"`)
	if len(forms) != 1 {
		t.Fatalf("retract forms %v, want one", forms)
	}
	wantRedirect(t, dana.post(forms[0], url.Values{}), path+"?done=retracted")
	p = dana.get(path)
	want(t, p, http.StatusOK, "Message retracted")
	if strings.Contains(p.body, "Oops, wrong client") {
		t.Fatal("the retracted text is still shown")
	}

	// Past five minutes, no Retract button and a refusal.
	wantRedirectPrefix(t, dana.postMessage(path, "Second"), path)
	late := regexpAll(dana.get(path).body, `action="(`+regexp.QuoteMeta(path)+`/[0-9a-f-]+/retract)"`)
	ms.clk.Advance(6 * time.Minute)
	if got := regexpAll(dana.get(path).body, `(/retract)"`); len(got) != 0 {
		t.Fatalf("retract offered after 5 minutes: %v", got)
	}
	want(t, dana.post(late[0], url.Values{}), http.StatusConflict, "can no longer be retracted")
}

func TestNotificationSettings(t *testing.T) {
	ms := newMessagingSite(t, storetest.SQLite(t))
	dana := ms.browser()
	dana.signIn("dana@example.org", "/dashboard")
	p := dana.get("/settings/notifications")
	want(t, p, http.StatusOK, `id="notify-email" name="email_messages" value="1" checked`,
		`id="welcome-template"`, `href="/settings/notifications" aria-current="page"`)

	wantRedirect(t, dana.post("/settings/notifications", url.Values{"welcome_enabled": {"1"},
		"welcome_template": {"Hello {first_name}, this is {provider_name}."}}), "/settings/notifications?saved=1")
	p = dana.get("/settings/notifications?saved=1")
	want(t, p, http.StatusOK, "Your notification settings have been saved.",
		`id="welcome-enabled" name="welcome_enabled" value="1" checked`, "Hello {first_name}, this is {provider_name}.")
	if strings.Contains(p.body, `name="email_messages" value="1" checked`) {
		t.Fatal("email notifications still on after turning them off")
	}

	sam := ms.clientBrowser()
	p = sam.get("/settings/notifications")
	want(t, p, http.StatusOK, `id="notify-email"`)
	if strings.Contains(p.body, `id="welcome-template"`) {
		t.Fatal("a client is offered the welcome message")
	}
	wantRedirect(t, sam.post("/settings/notifications", url.Values{}), "/settings/notifications?saved=1")
	if p := sam.get("/settings/notifications"); strings.Contains(p.body, `value="1" checked`) {
		t.Fatal("the client's email notifications are still on")
	}
}
