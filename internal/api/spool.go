package api

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// spoolChunk is how much plaintext one sealed chunk of a spooled file
// holds.
const spoolChunk = 64 << 10

// errSpoolTooLarge means a file passed the limit it was spooled with.
var errSpoolTooLarge = errors.New("api: spooled file over its limit")

// spool keeps the files of one multipart message in temporary files
// while the request is read, so the messaging area can be handed every
// file at once without holding any of them in memory. The files are
// sealed with AES-256-GCM under a key that exists only in this process
// for the request, so what touches the disk is ciphertext, and they are
// removed when the request ends.
type spool struct {
	dir   string
	aead  cipher.AEAD
	files []*spooled
}

// spooled is one file in a spool.
type spooled struct {
	name   string // the file name the uploader gave
	path   string
	size   int64 // plaintext bytes
	chunks uint64
}

// newSpool returns an empty spool writing under dir ("" for the system
// temporary directory).
func newSpool(dir string) (*spool, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("spool key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("spool cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("spool cipher: %w", err)
	}
	return &spool{dir: dir, aead: aead}, nil
}

// nonce is unique per file and chunk under the spool's key.
func (sp *spool) nonce(file int, chunk uint64) []byte {
	n := make([]byte, sp.aead.NonceSize())
	binary.BigEndian.PutUint32(n[:4], uint32(file))
	binary.BigEndian.PutUint64(n[4:], chunk)
	return n
}

// add copies r into a new spooled file, sealing it chunk by chunk. It
// stops with errSpoolTooLarge as soon as more than limit bytes arrive.
func (sp *spool) add(name string, r io.Reader, limit int64) (err error) {
	f, err := os.CreateTemp(sp.dir, "upload-*.sealed")
	if err != nil {
		return fmt.Errorf("spool file: %w", err)
	}
	s := &spooled{name: name, path: f.Name()}
	sp.files = append(sp.files, s)
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("spool file: %w", cerr)
		}
	}()

	index := len(sp.files) - 1
	buf := make([]byte, spoolChunk)
	out := make([]byte, 0, 4+spoolChunk+sp.aead.Overhead())
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			s.size += int64(n)
			if s.size > limit {
				return errSpoolTooLarge
			}
			out = binary.BigEndian.AppendUint32(out[:0], uint32(n+sp.aead.Overhead()))
			out = sp.aead.Seal(out, sp.nonce(index, s.chunks), buf[:n], nil)
			if _, err := f.Write(out); err != nil {
				return fmt.Errorf("spool file: %w", err)
			}
			s.chunks++
		}
		switch {
		case errors.Is(rerr, io.EOF), errors.Is(rerr, io.ErrUnexpectedEOF):
			return nil
		case rerr != nil:
			return rerr
		}
	}
}

// open returns a reader of file i's plaintext. The caller closes it.
func (sp *spool) open(i int) (io.ReadCloser, error) {
	f, err := os.Open(sp.files[i].path)
	if err != nil {
		return nil, fmt.Errorf("open spool file: %w", err)
	}
	return &spoolReader{sp: sp, index: i, f: f, want: sp.files[i].chunks}, nil
}

// close removes every spooled file.
func (sp *spool) close() {
	for _, s := range sp.files {
		_ = os.Remove(s.path)
	}
}

// spoolReader opens a spooled file chunk by chunk.
type spoolReader struct {
	sp    *spool
	index int
	f     *os.File
	next  uint64 // chunk to open next
	want  uint64 // chunks written
	plain []byte // opened, not yet read
	buf   []byte
}

// Read returns plaintext; a chunk missing, added or altered is an error.
func (r *spoolReader) Read(p []byte) (int, error) {
	for len(r.plain) == 0 {
		if r.next == r.want {
			return 0, io.EOF
		}
		var size [4]byte
		if _, err := io.ReadFull(r.f, size[:]); err != nil {
			return 0, fmt.Errorf("read spool file: %w", err)
		}
		n := binary.BigEndian.Uint32(size[:])
		if n > spoolChunk+uint32(r.sp.aead.Overhead()) {
			return 0, errors.New("read spool file: chunk too large")
		}
		if uint32(cap(r.buf)) < n {
			r.buf = make([]byte, n)
		}
		r.buf = r.buf[:n]
		if _, err := io.ReadFull(r.f, r.buf); err != nil {
			return 0, fmt.Errorf("read spool file: %w", err)
		}
		plain, err := r.sp.aead.Open(r.buf[:0], r.sp.nonce(r.index, r.next), r.buf, nil)
		if err != nil {
			return 0, fmt.Errorf("open spool chunk: %w", err)
		}
		r.plain = plain
		r.next++
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	return n, nil
}

// Close closes the file.
func (r *spoolReader) Close() error { return r.f.Close() }
