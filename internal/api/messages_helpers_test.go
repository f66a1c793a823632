package api_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tend-portal/tend/internal/api"
)

// messageOut is a message as the API answers it.
type messageOut struct {
	ID          string  `json:"id"`
	ClientID    string  `json:"client_id"`
	Body        string  `json:"body"`
	Sender      string  `json:"sender"`
	SentAt      string  `json:"sent_at"`
	ReadAt      *string `json:"read_at"`
	RetractedAt *string `json:"retracted_at"`
	Attachments []struct {
		ID          string `json:"id"`
		Filename    string `json:"filename"`
		Size        int64  `json:"size"`
		ContentType string `json:"content_type"`
	} `json:"attachments"`
}

// threadOut is a thread as the API answers it.
type threadOut struct {
	ClientID      string  `json:"client_id"`
	ClientName    string  `json:"client_name"`
	UnreadCount   int     `json:"unread_count"`
	LastMessageAt *string `json:"last_message_at"`
	LastLine      string  `json:"last_line"`
	Archived      bool    `json:"archived"`
}

// fileSpec is one file of a multipart upload.
type fileSpec struct {
	name    string
	content []byte
}

// samplePDF is a small PDF: mimetype knows it by its header.
func samplePDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
		"trailer << /Root 1 0 R >>\n%%EOF\n")
}

// quoteEscaper escapes a file name for a quoted header parameter, as
// browsers and mime/multipart do.
var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// multipartBody encodes a message: the body field (when not "") and
// then each file as an "attachments" part.
func multipartBody(t *testing.T, body string, files ...fileSpec) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if body != "" {
		if err := mw.WriteField("body", body); err != nil {
			t.Fatalf("write body field: %v", err)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition",
			`form-data; name="attachments"; filename="`+quoteEscaper.Replace(f.name)+`"`)
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatalf("create part: %v", err)
		}
		if _, err := w.Write(f.content); err != nil {
			t.Fatalf("write part: %v", err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatalf("close multipart: %v", err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// send posts a message as JSON and fails unless it is created.
func (e *env) send(t *testing.T, token, clientID, body string) messageOut {
	t.Helper()
	res := e.do(t, call{method: http.MethodPost, path: "/threads/" + clientID + "/messages",
		token: token, body: map[string]string{"body": body}})
	wantStatus(t, res, http.StatusCreated)
	return decode[messageOut](t, res)
}

// upload posts a multipart message through the documented harness.
func (e *env) upload(t *testing.T, token, clientID, body string, files ...fileSpec) response {
	t.Helper()
	raw, ctype := multipartBody(t, body, files...)
	return e.do(t, call{method: http.MethodPost, path: "/threads/" + clientID + "/messages",
		token: token, raw: raw, ctype: ctype})
}

// messages lists a thread and fails unless it answers 200.
func (e *env) messages(t *testing.T, token, clientID string) []messageOut {
	t.Helper()
	res := e.do(t, call{method: http.MethodGet, path: "/threads/" + clientID + "/messages",
		token: token})
	wantStatus(t, res, http.StatusOK)
	return decode[struct {
		Items []messageOut `json:"items"`
	}](t, res).Items
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

// Read reads and counts.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// stream posts body, read as the transport pulls it, and holds only the
// response against the document (the request cannot be read twice).
func (e *env) stream(t *testing.T, token, path, ctype string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+api.Prefix+path, body)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	out := response{status: res.StatusCode, header: res.Header, body: got}
	vreq, err := http.NewRequest(http.MethodPost, api.Prefix+path, nil)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	vreq.Header = req.Header.Clone()
	checkAgainstDocument(t, call{method: http.MethodPost, path: path, broken: true}, vreq, out)
	return out
}

// filesUnder counts the files under dir, none when it does not exist.
func filesUnder(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return n
}

// stored is what a refusal must leave alone: rows and sealed blobs.
type stored struct{ messages, attachments, blobs int }

// snapshot counts messages, attachment rows and blob files.
func (e *env) snapshot(t *testing.T) stored {
	t.Helper()
	return stored{
		messages:    e.count(t, "messages"),
		attachments: e.count(t, "message_attachments"),
		blobs:       filesUnder(t, e.blobDir),
	}
}

// officeZip builds a zip that mimetype takes for a Word document,
// with extra entries added by fill.
func officeZip(t *testing.T, fill func(zw *zip.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0"?><document/>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatalf("zip create: %v", err)
		}
		if _, err := io.WriteString(w, content); err != nil {
			t.Fatalf("zip write: %v", err)
		}
	}
	fill(zw)
	if err := zw.Close(); err != nil {
		t.Fatalf("zip close: %v", err)
	}
	return buf.Bytes()
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

// Read fills p with zeros.
func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
