package messaging

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

// Small files of the kinds people attach, by their first bytes.
var (
	pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 40)...)
	exeBytes = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)
)

// zipFile builds a zip whose first entries make it look like a .docx,
// then adds extra(w) entries.
func zipFile(t testing.TB, extra func(w *zip.Writer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	w.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	for name, body := range map[string]string{"[Content_Types].xml": `<?xml version="1.0"?><Types/>`} {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.Write([]byte(body))
	}
	f, err := w.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte(`<w:document><w:body><w:p>Hello</w:p></w:body></w:document>`))
	if extra != nil {
		if err := extra(w); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zeros adds an entry of n zero bytes, compressed for real.
func zeros(name string, n int64) func(w *zip.Writer) error {
	return func(w *zip.Writer) error {
		f, err := w.Create(name)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, io.LimitReader(zeroReader{}, n))
		return err
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// bombs are built once for the whole package: one expands past 200 MB.
var (
	bombOnce sync.Once
	bombs    map[string][]byte
)

func zipBombs(t testing.TB) map[string][]byte {
	bombOnce.Do(func() {
		manyParts := func(w *zip.Writer) error {
			for i := range zipMaxEntries + 1 {
				if _, err := w.CreateHeader(&zip.FileHeader{Name: "word/p" + strconv.Itoa(i),
					Method: zip.Store}); err != nil {
					return err
				}
			}
			return nil
		}
		bombs = map[string][]byte{
			"huge.docx":       zipFile(t, zeros("word/media/image1.bin", 210<<20)),
			"ratio.docx":      zipFile(t, zeros("word/media/image1.bin", 20<<20)),
			"many-parts.docx": zipFile(t, manyParts),
		}
	})
	return bombs
}

// countingSource generates data endlessly, counting what is read, and
// fails once reading goes far past failAfter.
type countingSource struct {
	read      int64
	failAfter int64
}

func (c *countingSource) Read(p []byte) (int, error) {
	if c.read > c.failAfter {
		return 0, errors.New("read far past the limit")
	}
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	c.read += int64(len(p))
	return len(p), nil
}

func TestAttachmentTypes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Limits{})
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")

		docx := zipFile(t, nil)
		m := e.send(t, prov, cl.ClientID, "", file("results.txt", pdfBytes),
			file(`C:\Users\ada\scan.png`, pngBytes), file("plan.docx", docx),
			file("notes.txt", []byte("plain words\n")))
		want := []struct{ name, ctype string }{
			{"results.txt", "application/pdf"},
			{"scan.png", "image/png"},
			{"plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
			{"notes.txt", "text/plain; charset=utf-8"},
		}
		if len(m.Attachments) != len(want) {
			t.Fatalf("%d attachments, want %d", len(m.Attachments), len(want))
		}
		for i, w := range want {
			a := m.Attachments[i]
			if a.Filename != w.name || a.ContentType != w.ctype {
				t.Errorf("attachment %d = %s (%s), want %s (%s)", i, a.Filename, a.ContentType, w.name, w.ctype)
			}
		}
		got, data := e.readAttachment(t, cl, m.Attachments[0].ID)
		if !bytes.Equal(data, pdfBytes) || got.Size != int64(len(pdfBytes)) || got.ContentType != "application/pdf" {
			t.Fatalf("downloaded %+v, %d bytes", got, len(data))
		}
		_, data = e.readAttachment(t, prov, m.Attachments[2].ID)
		if !bytes.Equal(data, docx) {
			t.Fatal("docx came back different")
		}
		// Stored encrypted: no file in the blob store holds the plaintext.
		_ = filepath.WalkDir(e.blobDir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				raw, _ := readFile(path)
				if bytes.Contains(raw, []byte("%PDF")) || bytes.Contains(raw, []byte("plain words")) {
					t.Errorf("%s holds plaintext", path)
				}
			}
			return nil
		})

		refused := []struct {
			name    string
			up      Upload
			message string
		}{
			{"exe named pdf", file("invoice.pdf", exeBytes), "You can attach PDF"},
			{"html named txt", file("page.txt", []byte("<!DOCTYPE html><html><script>x</script></html>")), "You can attach PDF"},
			{"plain zip", file("archive.docx", zipOnly(t)), "You can attach PDF"},
			{"empty", file("nothing.pdf", nil), "is empty"},
		}
		reasons := map[string]string{"huge.docx": "expands to more than 200 MB",
			"ratio.docx": "expands more than 100 times", "many-parts.docx": "holds more than 10000 parts"}
		for name, bomb := range zipBombs(t) {
			refused = append(refused, struct {
				name    string
				up      Upload
				message string
			}{name, file(name, bomb), "was refused: it " + reasons[name]})
		}
		for _, r := range refused {
			_, err := e.svc.Send(ctx, prov, cl.ClientID, "see attached", []Upload{file("ok.txt", []byte("fine")), r.up})
			errs, ok := validation.From(err)
			if !ok || !strings.Contains(errs.For("attachments"), r.message) {
				t.Errorf("%s: err = %v, want a validation error saying %q", r.name, err, r.message)
			}
		}
		// Refused messages left nothing behind: only the first message's
		// four attachments (data and data key each) are stored.
		if n := countFiles(t, e.blobDir); n != 8 {
			t.Errorf("%d files in the blob store, want 8", n)
		}
	})
}

func zipOnly(t testing.TB) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, _ := w.Create("readme.md")
	_, _ = f.Write([]byte("hello"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAttachmentOverLimitNotReadWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const limit = 1 << 20
		e := newEnv(t, db, Limits{MaxFiles: 3, MaxFileBytes: limit})
		ctx := context.Background()
		prov := e.provider(t, "ada@example.test")
		cl := e.client(t, prov, "samira@example.test")

		src := &countingSource{failAfter: 4 * limit}
		_, err := e.svc.Send(ctx, prov, cl.ClientID, "big", []Upload{{Filename: "big.txt",
			Reader: src, DeclaredSize: -1}})
		errs, ok := validation.From(err)
		if !ok || !strings.Contains(errs.For("attachments"), "larger than the 1 MB limit") {
			t.Fatalf("over-limit upload: err = %v", err)
		}
		if src.read > limit+1 {
			t.Fatalf("read %d bytes of an over-limit file, want at most %d", src.read, limit+1)
		}
		declared := &countingSource{failAfter: 4 * limit}
		_, err = e.svc.Send(ctx, prov, cl.ClientID, "big", []Upload{{Filename: "big.txt",
			Reader: declared, DeclaredSize: limit + 1}})
		if _, ok := validation.From(err); !ok || declared.read != 0 {
			t.Fatalf("declared over-limit upload: err = %v after reading %d bytes", err, declared.read)
		}
		if n := countFiles(t, e.blobDir); n != 0 {
			t.Errorf("%d files left in the blob store", n)
		}
		// Exactly at the limit is fine.
		m := e.send(t, prov, cl.ClientID, "", Upload{Filename: "edge.txt",
			Reader: io.LimitReader(&countingSource{failAfter: 2 * limit}, limit), DeclaredSize: -1})
		if m.Attachments[0].Size != limit {
			t.Fatalf("size = %d, want %d", m.Attachments[0].Size, limit)
		}
	})
}

func countFiles(t testing.TB, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDraft: files stream into a draft one at a time, as a multipart
// request delivers them; a discarded draft leaves no blob behind, a
// sent one keeps them, and an oversized file says so.
func TestDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const limit = 1 << 12
		e := newEnv(t, db, Limits{MaxFiles: 2, MaxFileBytes: limit})
		ctx := context.Background()
		pro := e.provider(t, "dana@example.test")
		cl := e.client(t, pro, "eli@example.test")

		d, err := e.svc.NewDraft(ctx, pro, cl.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Attach(ctx, file("a.pdf", pdfBytes)); err != nil {
			t.Fatal(err)
		}
		big := Upload{Filename: "big.pdf", DeclaredSize: -1,
			Reader: io.MultiReader(bytes.NewReader(pdfBytes), io.LimitReader(zeroReader{}, 2*limit))}
		err = d.Attach(ctx, big)
		if !errors.Is(err, ErrFileTooLarge) {
			t.Errorf("oversized file: %v, want ErrFileTooLarge", err)
		}
		if _, ok := validation.From(err); !ok {
			t.Errorf("oversized file: %v carries no message for the sender", err)
		}
		if n := countFiles(t, e.blobDir); n == 0 {
			t.Fatal("the attached file was not stored as it arrived")
		}
		d.Discard(ctx)
		if n := countFiles(t, e.blobDir); n != 0 {
			t.Errorf("%d blob files after Discard, want 0", n)
		}

		d, err = e.svc.NewDraft(ctx, pro, cl.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"one.png", "two.png"} {
			if err := d.Attach(ctx, file(name, pngBytes)); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok := validation.From(d.Attach(ctx, file("three.png", pngBytes))); !ok {
			t.Error("a third file past MaxFiles 2 was not refused")
		}
		m, err := d.Send(ctx, "")
		if err != nil || len(m.Attachments) != 2 {
			t.Fatalf("Send = %d attachments, %v", len(m.Attachments), err)
		}
		d.Discard(ctx)
		if _, data := e.readAttachment(t, cl, m.Attachments[1].ID); !bytes.Equal(data, pngBytes) {
			t.Error("a sent attachment was lost to Discard")
		}
		if _, err := d.Send(ctx, "again"); err == nil {
			t.Error("a draft was sent twice")
		}
	})
}
