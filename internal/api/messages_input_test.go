package api_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// smallLimits make over-limit uploads cheap to build.
var smallLimits = messaging.Limits{MaxFiles: 2, MaxFileBytes: 64 << 10}

// TestMessageRefusals: every bad message gets its error and leaves no
// message, attachment row or blob behind.
func TestMessageRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{limits: smallLimits})
		th := e.newThread(t, "pro@example.test")
		archived := e.createClient(t, th.pro.token, map[string]any{
			"first_name": "Old", "last_name": "Friend"})
		res := e.do(t, call{method: http.MethodPost, path: "/clients/" + archived.ID + "/archive",
			token: th.pro.token, body: map[string]any{"reason": "discharged"}})
		wantStatus(t, res, http.StatusOK)
		other := e.newThread(t, "other@example.test")

		pdf := fileSpec{name: "a.pdf", content: samplePDF()}
		disguised := fileSpec{name: "invoice.pdf",
			content: append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
				bytes.Repeat([]byte{0}, 512)...)}
		html := fileSpec{name: "notes.txt",
			content: []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")}
		tooBig := fileSpec{name: "big.pdf",
			content: append(samplePDF(), bytes.Repeat([]byte("x"), int(smallLimits.MaxFileBytes))...)}

		multipartCase := func(body string, files ...fileSpec) call {
			raw, ctype := multipartBody(t, body, files...)
			return call{raw: raw, ctype: ctype}
		}
		jsonCase := func(v any) call { return call{body: v} }

		cases := []struct {
			name     string
			clientID string
			token    string
			req      call
			status   int
			code     string
			field    string
			says     string // part of the message, when it matters
		}{
			{"empty JSON message", th.client.ID, th.pro.token,
				jsonCase(map[string]string{"body": "  \n "}), 422, "validation_failed", "body",
				"Write a message or attach a file"},
			{"empty multipart message", th.client.ID, th.pro.token,
				multipartCase(""), 422, "validation_failed", "body", ""},
			{"too many files", th.client.ID, th.pro.token,
				multipartCase("three", pdf, pdf, pdf), 422, "validation_failed", "attachments",
				"at most 2 files"},
			{"executable named .pdf", th.client.ID, th.pro.token,
				multipartCase("see attached", disguised), 422, "validation_failed", "attachments",
				"invoice.pdf is not a type you can attach"},
			{"HTML named .txt", th.client.ID, th.portal,
				multipartCase("", html), 422, "validation_failed", "attachments",
				"notes.txt is not a type you can attach"},
			{"file over the limit", th.client.ID, th.pro.token,
				multipartCase("big", tooBig), 413, "attachment_too_large", "attachments",
				"big.pdf is larger than the 64 KB limit"},
			{"archived client", archived.ID, th.pro.token,
				jsonCase(map[string]string{"body": "hello"}), 409, "client_archived", "", "archived"},
			{"archived client, with a file", archived.ID, th.pro.token,
				multipartCase("hello", pdf), 409, "client_archived", "", ""},
			{"another provider's client", other.client.ID, th.pro.token,
				jsonCase(map[string]string{"body": "hello"}), 404, "not_found", "", ""},
			{"a client writing to another thread", other.client.ID, th.portal,
				multipartCase("hello", pdf), 404, "not_found", "", ""},
			{"malformed client id", "nope", th.pro.token,
				jsonCase(map[string]string{"body": "hello"}), 404, "not_found", "", ""},
			{"unknown JSON field", th.client.ID, th.pro.token,
				jsonCase(map[string]any{"body": "hi", "html": "<b>"}), 400, "unknown_field", "html", ""},
			{"unknown multipart field", th.client.ID, th.pro.token,
				unknownPart(t), 400, "unknown_field", "subject", ""},
			{"text sent as a form", th.client.ID, th.pro.token,
				call{raw: []byte("body=hi"), ctype: "application/x-www-form-urlencoded"},
				415, "unsupported_media_type", "", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := e.snapshot(t)
				c := tc.req
				c.method, c.token = http.MethodPost, tc.token
				c.path = "/threads/" + tc.clientID + "/messages"
				// Unknown fields and media types break the document on purpose.
				c.broken = tc.status == http.StatusBadRequest ||
					tc.status == http.StatusUnsupportedMediaType
				res := e.do(t, c)
				got := wantError(t, res, tc.status, tc.code, tc.field)
				if !strings.Contains(got.Error.Message, tc.says) {
					t.Errorf("message %q does not say %q", got.Error.Message, tc.says)
				}
				if after := e.snapshot(t); after != before {
					t.Errorf("refusal wrote something: before %+v, after %+v", before, after)
				}
			})
		}
	})
}

// unknownPart is a multipart message with a field the API does not know.
func unknownPart(t *testing.T) call {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("subject", "hi"); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return call{raw: buf.Bytes(), ctype: mw.FormDataContentType()}
}

// TestZipBombRefused: an Office file whose entries would inflate far
// beyond any real document is refused, and nothing is stored.
func TestZipBombRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		th := e.newThread(t, "pro@example.test")
		bombs := map[string][]byte{
			// 64 MiB of zeros in one entry: a ratio of about 1000:1.
			"ratio": officeZip(t, func(zw *zip.Writer) {
				w, err := zw.Create("word/media/padding.bin")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := io.CopyN(w, zeros{}, 64<<20); err != nil {
					t.Fatal(err)
				}
			}),
			// Tens of thousands of entries.
			"entries": officeZip(t, func(zw *zip.Writer) {
				for i := range 20000 {
					if _, err := zw.Create(fmt.Sprintf("word/x/%d.xml", i)); err != nil {
						t.Fatal(err)
					}
				}
			}),
		}
		for name, bomb := range bombs {
			t.Run(name, func(t *testing.T) {
				before := e.snapshot(t)
				res := e.upload(t, th.pro.token, th.client.ID, "my homework",
					fileSpec{name: "homework.docx", content: bomb})
				got := wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "attachments")
				if !strings.Contains(got.Error.Message, "homework.docx was refused") {
					t.Errorf("message %q does not name the refused file", got.Error.Message)
				}
				if after := e.snapshot(t); after != before {
					t.Errorf("refusal wrote something: before %+v, after %+v", before, after)
				}
			})
		}
	})
}

// TestOverLimitUploadNotReadWhole: a file far over the limit is refused
// after reading little more than the limit, not the whole upload.
func TestOverLimitUploadNotReadWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{limits: smallLimits})
		th := e.newThread(t, "pro@example.test")
		const full = 512 << 20 // what the sender would send

		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			_ = mw.WriteField("body", "a large scan")
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="attachments"; filename="scan.pdf"`)
			h.Set("Content-Type", "application/pdf")
			part, err := mw.CreatePart(h)
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			if _, err := part.Write(samplePDF()); err != nil {
				pw.CloseWithError(err)
				return
			}
			if _, err := io.CopyN(part, zeros{}, full); err != nil {
				pw.CloseWithError(err)
				return
			}
			pw.CloseWithError(mw.Close())
		}()
		body := &countingReader{r: pr}
		before := e.snapshot(t)
		res := e.stream(t, th.pro.token, "/threads/"+th.client.ID+"/messages",
			mw.FormDataContentType(), body)
		_ = pr.Close()
		wantError(t, res, http.StatusRequestEntityTooLarge, "attachment_too_large", "attachments")
		// The limit is 64 KiB; allow generously for socket buffers.
		if n := body.n.Load(); n > 32<<20 {
			t.Errorf("read %d bytes of a %d-byte upload before refusing", n, full)
		}
		if after := e.snapshot(t); after != before {
			t.Errorf("refusal wrote something: before %+v, after %+v", before, after)
		}
	})
}

// TestScriptStaysText: markup in a message comes back as the same text,
// JSON-escaped, with the JSON content type; nothing renders it.
func TestScriptStaysText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		th := e.newThread(t, "pro@example.test")
		const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`
		e.send(t, th.portal, th.client.ID, evil)

		res := e.do(t, call{method: http.MethodGet, path: "/threads/" + th.client.ID + "/messages",
			token: th.pro.token})
		wantStatus(t, res, http.StatusOK)
		if bytes.Contains(res.body, []byte("<script>")) {
			t.Errorf("raw markup in the JSON: %s", res.body)
		}
		if !bytes.Contains(res.body, []byte(`\u003cscript\u003e`)) {
			t.Errorf("markup not escaped as JSON text: %s", res.body)
		}
		got := e.messages(t, th.pro.token, th.client.ID)
		if len(got) != 1 || got[0].Body != evil {
			t.Errorf("body came back as %+v, want the text verbatim", got)
		}
	})
}
