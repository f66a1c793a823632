package messaging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"

	"github.com/gabriel-vasile/mimetype"

	"github.com/tend-portal/tend/internal/store"
)

// sniffBytes is how much of a file type detection looks at.
const sniffBytes = 4096

// allowedTypes are the attachment types accepted, as detected from the
// content. Zip-based formats are checked for zip bombs as well.
var allowedTypes = []struct {
	mime string
	zip  bool
}{
	{"application/pdf", false},
	{"image/png", false},
	{"image/jpeg", false},
	{"image/gif", false},
	{"image/webp", false},
	{"image/heic", false},
	{"image/heif", false},
	{"text/plain", false},
	{"text/csv", false},
	{"text/tab-separated-values", false},
	{"application/msword", false},
	{"application/vnd.ms-excel", false},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
	{"application/vnd.oasis.opendocument.text", true},
	{"application/vnd.oasis.opendocument.spreadsheet", true},
}

// AllowedTypesText names the accepted attachment types for people.
const AllowedTypesText = "PDF, images (PNG, JPEG, GIF, WebP, HEIC), plain text, " +
	"Word (DOC, DOCX), Excel (XLS, XLSX) and OpenDocument (ODT, ODS) files"

// errTooLarge is returned by limitReader once a file passes the limit.
var errTooLarge = errors.New("file is over the size limit")

// fileProblem is an upload refused for what it is; the message is for
// the person who attached it.
type fileProblem struct {
	message  string
	tooLarge bool // over the size limit
}

func (f fileProblem) Error() string { return f.message }

// stored is an attachment written to the blob store, not yet recorded.
type stored struct {
	Attachment
	blobKey string
}

// limitReader reads at most max+1 bytes of r and fails with errTooLarge
// as soon as it has read more than max.
type limitReader struct {
	r   io.Reader
	max int64
	n   int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > l.max {
		return 0, errTooLarge
	}
	if rest := l.max + 1 - l.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return n, errTooLarge
	}
	return n, err
}

// storeUpload streams up into the sealed blob store under a new key,
// refusing it (as a fileProblem) when it is too large, of a type not
// allowed, or a zip bomb; nothing stays stored when it is refused.
func (s *Service) storeUpload(ctx context.Context, messageID string, up Upload) (stored, error) {
	name := cleanFilename(up.Filename)
	limit := s.limits.MaxFileBytes
	if up.DeclaredSize > limit {
		return stored{}, tooLarge(name, limit)
	}
	if up.Reader == nil {
		return stored{}, fileProblem{message: name + " could not be read."}
	}
	lr := &limitReader{r: up.Reader, max: limit}
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(lr, head)
	switch {
	case errors.Is(err, errTooLarge):
		return stored{}, tooLarge(name, limit)
	case err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF):
		return stored{}, fmt.Errorf("read %s: %w", "attachment", err)
	}
	head = head[:n]
	if n == 0 {
		return stored{}, fileProblem{message: name + " is empty."}
	}
	mtype := mimetype.Detect(head)
	zipBased, ok := allowed(mtype)
	if !ok {
		return stored{}, fileProblem{message: fmt.Sprintf("%s is not a type you can attach (it looks like %s). "+
			"You can attach %s.", name, describe(mtype), AllowedTypesText)}
	}

	st := stored{Attachment: Attachment{ID: store.NewID(), MessageID: messageID,
		Filename: name, ContentType: mtype.String()}}
	st.blobKey = "attachments/" + st.ID
	size, err := s.blobs.Put(ctx, st.blobKey, io.MultiReader(bytes.NewReader(head), lr))
	if err != nil {
		s.deleteBlobs(ctx, []stored{st})
		if errors.Is(err, errTooLarge) {
			return stored{}, tooLarge(name, limit)
		}
		return stored{}, fmt.Errorf("store attachment: %w", err)
	}
	st.Size = size
	if zipBased {
		if err := s.checkZip(ctx, st.blobKey, size); err != nil {
			s.deleteBlobs(ctx, []stored{st})
			var bomb zipBomb
			if errors.As(err, &bomb) {
				return stored{}, fileProblem{message: fmt.Sprintf("%s was refused: %s.", name, bomb.reason)}
			}
			return stored{}, err
		}
	}
	return st, nil
}

// deleteBlobs removes stored attachments after a failure. A blob that
// cannot be removed is left behind unreferenced; it holds only
// ciphertext.
func (s *Service) deleteBlobs(ctx context.Context, list []stored) {
	for _, st := range list {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), st.blobKey)
	}
}

func allowed(m *mimetype.MIME) (zip, ok bool) {
	for _, a := range allowedTypes {
		if m.Is(a.mime) {
			return a.zip, true
		}
	}
	return false, false
}

// describe names a detected type for an error message.
func describe(m *mimetype.MIME) string {
	if ext := strings.TrimPrefix(m.Extension(), "."); ext != "" {
		return "a ." + ext + " file"
	}
	return m.String()
}

func tooLarge(name string, limit int64) fileProblem {
	return fileProblem{message: fmt.Sprintf("%s is larger than the %s limit.", name, humanSize(limit)),
		tooLarge: true}
}

// humanSize writes n bytes as "25 MB" (binary multiples, as limits are).
func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// cleanFilename keeps the base name of a user's file name, without
// control characters or quotes, at most 200 characters; "" becomes
// "attachment".
func cleanFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.ToValidUTF8(name, ""))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "attachment"
	}
	if runes := []rune(name); len(runes) > 200 {
		ext := path.Ext(name)
		if len([]rune(ext)) > 20 {
			ext = ""
		}
		name = string(runes[:200-len([]rune(ext))]) + ext
	}
	return name
}
