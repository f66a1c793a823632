package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tend-portal/tend/internal/demo"
)

// clientEmail is the demo client of the first provider, Jamie Chen.
const clientEmail = "client@demo.test"

// writePDF writes a small, valid one-page PDF into dir and returns its
// path and content.
func writePDF(t *testing.T, dir, name string) (string, []byte) {
	t.Helper()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatalf("write PDF: %v", err)
	}
	return path, b.Bytes()
}

// typeMessage types text into the empty message box.
func typeMessage(u *user, text string) {
	u.t.Helper()
	u.do("type the message", chromedp.WaitVisible(chromedp.ID("msg-body")),
		chromedp.SendKeys(chromedp.ID("msg-body"), text))
}

// download fetches the first attachment link of the page with the
// page's own cookies, as the browser does when the link is followed,
// and returns the status, Content-Disposition, Content-Type, the
// length and the first five bytes of the body.
func download(u *user) []string {
	u.t.Helper()
	const js = `(async function(){var a=document.querySelector("a[id^=attachment-]");` +
		`var r=await fetch(a.href,{credentials:"same-origin"});var b=new Uint8Array(await r.arrayBuffer());` +
		`return [String(r.status), r.headers.get("Content-Disposition")||"", r.headers.get("Content-Type")||"",` +
		` String(b.length), String.fromCharCode.apply(null, b.slice(0,5))]})()`
	got, err := chromedp.Run(u.ctx, chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
	if err != nil || len(got) != 5 {
		u.t.Fatalf("download the attachment: %v %q (page %s)", err, got, u.where())
	}
	return got
}

// unreadBadge reads the navigation's unread count; no badge means 0.
func unreadBadge(u *user) int {
	u.t.Helper()
	return eval[int](u, `(function(){var e=document.querySelector("#nav-unread");`+
		`return e ? parseInt(e.textContent, 10) || 0 : 0})()`)
}

// TestMessageWithAttachment: the provider writes to a client with a PDF
// attached, the client signs in, reads it, downloads the PDF and
// replies, and the provider sees the reply and the read receipt.
func TestMessageWithAttachment(t *testing.T) {
	b := start(t)
	dana := b.newUser(t)
	dana.signIn(providerEmail, demo.Password)
	dana.waitPath("/dashboard")
	// The demo inbox already has conversations, some unread.
	unreadBefore := unreadBadge(dana)

	// Compose: pick the client, which opens their thread.
	dana.open("/messages")
	dana.click("compose")
	dana.waitPath("/messages/new")
	selectByText(dana, "compose-client", "Chen, Jamie")
	dana.click("compose-submit")
	dana.waitFor("the thread", `/^\/messages\/[0-9a-f-]{36}$/.test(location.pathname) && document.readyState === "complete"`)
	thread := eval[string](dana, `location.pathname`)

	pdfPath, pdf := writePDF(t, t.TempDir(), "Treatment plan.pdf")
	typeMessage(dana, "Hi Jamie,\nhere is the plan we discussed.")
	dana.do("attach the PDF", chromedp.SetUploadFiles(chromedp.ID("msg-files"), []string{pdfPath}))
	dana.screenshot("message-compose")
	dana.click("msg-send")
	dana.waitFor("the sent message", `location.search.indexOf("done=sent") >= 0 && `+
		`document.querySelector("a[id^=attachment-]") !== null`)
	if got := dana.lastText(".message.mine .receipt"); got != "Sent" {
		t.Fatalf("receipt before reading = %q, want Sent", got)
	}

	// The client sees one unread message, reads it and downloads the PDF.
	sam := b.newUser(t)
	sam.signIn(clientEmail, demo.Password)
	sam.waitPath("/portal")
	if got := sam.text("#nav-unread"); !strings.HasPrefix(got, "1") || !strings.Contains(got, "1 unread message") {
		t.Fatalf("client's unread badge = %q", got)
	}
	sam.clickCSS(`#nav a[href="/portal/messages"]`)
	sam.waitPath("/portal/messages")
	if got := sam.text("#crisis-note"); !strings.Contains(got, "call or text 988") {
		t.Fatalf("crisis note = %q", got)
	}
	if got := sam.lastText(".message.theirs .msg-body"); got != "Hi Jamie,\nhere is the plan we discussed." {
		t.Fatalf("message as the client reads it = %q", got)
	}
	if got := sam.text("a[id^=attachment-]"); got != "Treatment plan.pdf" {
		t.Fatalf("attachment link = %q", got)
	}
	sam.screenshot("message-portal")
	got := download(sam)
	if got[0] != "200" || !strings.HasPrefix(got[1], "attachment;") || got[2] != "application/pdf" ||
		got[3] != strconv.Itoa(len(pdf)) || got[4] != "%PDF-" {
		t.Fatalf("download = %q, want 200, attachment, application/pdf, %d bytes of PDF", got, len(pdf))
	}

	// The client replies.
	typeMessage(sam, "Thank you! See you on Tuesday.")
	sam.click("msg-send")
	sam.waitFor("the reply", `location.search.indexOf("done=sent") >= 0 && `+
		`Array.from(document.querySelectorAll(".message.mine")).pop().innerText.indexOf("See you on Tuesday") >= 0`)

	// The provider has one unread message, then sees the reply and that
	// their message was read.
	dana.open("/messages")
	if got := unreadBadge(dana); got != unreadBefore+1 {
		t.Fatalf("provider's unread badge = %d, want %d", got, unreadBefore+1)
	}
	dana.open(thread)
	dana.waitPath(thread)
	if got := dana.lastText(".message.theirs .msg-body"); got != "Thank you! See you on Tuesday." {
		t.Fatalf("reply as the provider reads it = %q", got)
	}
	if got := dana.lastText(".message.mine .receipt"); !strings.HasPrefix(got, "Read ") {
		t.Fatalf("receipt after the client read it = %q, want Read …", got)
	}
	dana.screenshot("message-thread")
	if got := unreadBadge(dana); got > unreadBefore {
		t.Fatalf("provider's badge = %d after opening the thread, want at most %d", got, unreadBefore)
	}
}
