package messaging

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
)

// Zip bomb limits for zip-based Office and OpenDocument files.
const (
	zipMaxEntries      = 10000
	zipMaxUncompressed = 200 << 20 // bytes, all entries together
	zipMaxRatio        = 100       // total uncompressed size / file size
	// zipTailBytes is how much of a file's end is kept to read its
	// central directory (and end record, comment included).
	zipTailBytes = 4 << 20
)

// zipBomb is a zip-based file refused by the checks; reason is for people.
type zipBomb struct{ reason string }

func (z zipBomb) Error() string { return "zip bomb: " + z.reason }

// checkZip reads the central directory of the stored zip-based file at
// key (size bytes of plaintext) and refuses it when it has too many
// entries, expands to too much or compresses suspiciously well. It
// streams the blob once, keeping only its last zipTailBytes.
func (s *Service) checkZip(ctx context.Context, key string, size int64) error {
	rc, err := s.blobs.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("reopen attachment: %w", err)
	}
	defer rc.Close()
	tail, err := readTail(rc, zipTailBytes)
	if err != nil {
		return fmt.Errorf("read attachment: %w", err)
	}
	zr, err := zip.NewReader(&tailReaderAt{tail: tail, start: size - int64(len(tail))}, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		if errors.Is(err, errBeforeTail) {
			return zipBomb{"its table of contents is too large"}
		}
		return zipBomb{"it is not a readable document"}
	}
	if len(zr.File) > zipMaxEntries {
		return zipBomb{fmt.Sprintf("it holds more than %d parts", zipMaxEntries)}
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > zipMaxUncompressed {
			return zipBomb{fmt.Sprintf("it expands to more than %s", humanSize(zipMaxUncompressed))}
		}
	}
	if size > 0 && total/uint64(size) > zipMaxRatio {
		return zipBomb{fmt.Sprintf("it expands more than %d times its size", zipMaxRatio)}
	}
	return nil
}

// readTail reads r to the end and returns its last n bytes (or all of
// it when shorter), holding at most 2n bytes.
func readTail(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, 2*n)
	chunk := make([]byte, 64<<10)
	for {
		k, err := r.Read(chunk)
		if k > 0 {
			if len(buf)+k > cap(buf) {
				// Keep the last n-k bytes; with k below n that is
				// always within buf, which is nearly 2n long here.
				buf = append(buf[:0], buf[len(buf)-(n-k):]...)
			}
			buf = append(buf, chunk[:k]...)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(buf) > n {
		buf = buf[len(buf)-n:]
	}
	return buf, nil
}

// errBeforeTail means the zip reader asked for bytes before the kept tail.
var errBeforeTail = errors.New("zip directory starts before the kept tail")

// tailReaderAt serves reads from the end of a file kept in memory;
// tail[0] is at offset start.
type tailReaderAt struct {
	tail  []byte
	start int64
}

func (t *tailReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < t.start {
		return 0, errBeforeTail
	}
	i := off - t.start
	if i >= int64(len(t.tail)) {
		return 0, io.EOF
	}
	n := copy(p, t.tail[i:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
