package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
)

// upFile is a file attached to a posted message.
type upFile struct {
	name string
	data []byte
}

// postMessage posts a message form as multipart/form-data, the way the
// browser sends the reply form.
func (b *browser) postMessage(path, body string, files ...upFile) page {
	b.s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("body", body); err != nil {
		b.s.t.Fatalf("write body field: %v", err)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("attachments", f.name)
		if err != nil {
			b.s.t.Fatalf("create file part: %v", err)
		}
		if _, err := w.Write(f.data); err != nil {
			b.s.t.Fatalf("write file part: %v", err)
		}
	}
	if len(files) == 0 {
		// A file input with no file chosen still sends an empty part.
		if _, err := mw.CreateFormFile("attachments", ""); err != nil {
			b.s.t.Fatalf("create empty part: %v", err)
		}
	}
	if err := mw.Close(); err != nil {
		b.s.t.Fatalf("close multipart: %v", err)
	}
	req, err := http.NewRequest(http.MethodPost, b.s.srv.URL+path, &buf)
	if err != nil {
		b.s.t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// samplePDF is a small, valid one-page PDF.
func samplePDF() []byte {
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
	return b.Bytes()
}

// attachmentIDs lists the attachment ids linked from a page.
func attachmentIDs(body string) []string {
	return regexpAll(body, `href="/attachments/([0-9a-f-]+)"`)
}

// navUnread is the unread count the navigation shows; 0 without a badge.
func navUnread(t *testing.T, body string) int {
	t.Helper()
	m := regexp.MustCompile(`id="nav-unread"><span aria-hidden="true">(\d+)</span>` +
		`<span class="visually-hidden">, (\d+) unread messages?</span>`).FindStringSubmatch(body)
	if m == nil {
		if strings.Contains(body, `id="nav-unread"`) {
			t.Fatalf("unread badge without its accessible label:\n%s", body)
		}
		return 0
	}
	if m[1] != m[2] {
		t.Fatalf("badge shows %s but says %s", m[1], m[2])
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

// messagingSite is a site with a provider, a client of theirs with a
// portal account, and another provider with a client.
type messagingSite struct {
	*site
	prov, other       auth.User
	clientUser        auth.User
	clientID, otherID string
}

func newMessagingSite(t *testing.T, db *store.DB) messagingSite {
	t.Helper()
	s := newSite(t, db, nil)
	s.admin("admin@example.org")
	ms := messagingSite{site: s, prov: s.provider("dana@example.org"), other: s.provider("olu@example.org")}
	ms.clientUser = s.client("sam@example.org", ms.prov.ProviderID)
	ms.clientID = ms.clientUser.ClientID
	ms.otherID = s.newClient(ms.other, clients.Input{FirstName: "Eve", LastName: "Else"}).ID
	return ms
}

// clientBrowser signs the site's client in.
func (ms messagingSite) clientBrowser() *browser {
	b := ms.browser()
	b.signIn("sam@example.org", "/portal")
	return b
}

// wantRedirectPrefix fails unless the response is a 303 to a path that
// starts with prefix.
func wantRedirectPrefix(t *testing.T, p page, prefix string) {
	t.Helper()
	if p.StatusCode != http.StatusSeeOther || !strings.HasPrefix(p.location(), prefix) {
		t.Fatalf("%s %s: %d → %q, want 303 → %s…\n%s", p.Request.Method, p.Request.URL.Path,
			p.StatusCode, p.location(), prefix, p.body)
	}
}
