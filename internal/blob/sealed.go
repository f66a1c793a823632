package blob

import (
	"bufio"
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tend-portal/tend/internal/vault"
)

// The sealed format. A SealedStore keeps two objects per key in the
// store beneath it:
//
// The data object, under the key itself:
//
//	magic "TBLOB" (5 bytes) | version 1 (1 byte) | segment size (uint32, big endian)
//	segment 0 | segment 1 | … | segment n (n ≥ 0)
//
// The plaintext is cut into segments of exactly the segment size (64 KiB)
// except the last, which holds 0 to segment-size bytes; an empty object
// is one empty final segment. Each segment is sealed with AES-256-GCM
// under the object's own random 32-byte data key:
//
//	nonce  = segment index (uint64, big endian) | 0x00 0x00 0x00 | final flag (0x01 on the last segment, else 0x00)
//	aad    = the 10-byte header | the object's key
//	stored = ciphertext | 16-byte tag
//
// As in the STREAM construction, the counter in the nonce makes
// reordered, dropped or duplicated segments fail to open, the final flag
// makes a stream cut at a segment boundary (or extended past its end)
// fail, and the key in the aad makes an object copied under another key
// fail. A reader learns that a segment is the last by finding no bytes
// after it.
//
// The data-key object, under the key plus ".dek", is the data key sealed
// with the vault ring (vault.Ring.Seal, associated data "blob.dek", NUL,
// the key). Key rotation re-seals only this small object (Rewrap); the
// data object is never rewritten. Keys ending in ".dek" are reserved.
const (
	sealedMagic   = "TBLOB"
	sealedVersion = 1
	headerLen     = len(sealedMagic) + 1 + 4
	// SegmentSize is the plaintext size of every segment but the last.
	SegmentSize = 64 << 10
	// maxSegmentSize bounds what a reader accepts from a header, so a
	// forged header cannot make it allocate much.
	maxSegmentSize = 1 << 20
	tagSize        = 16
	dekSuffix      = ".dek"
	dataKeySize    = 32
)

// ErrTampered means a sealed object failed authentication: it was
// altered, truncated, extended, reordered or moved to another key, or its
// data key could not be opened.
var ErrTampered = errors.New("blob: sealed object is damaged or was altered")

// SealedStore encrypts objects on their way into another Store and
// decrypts them on the way out, streaming in segments (see the format
// above). It implements Store.
type SealedStore struct {
	inner Store
	ring  *vault.Ring
}

var _ Store = (*SealedStore)(nil)

// Sealed returns s with encryption at rest: object data keys are sealed
// with ring.
func Sealed(s Store, ring *vault.Ring) *SealedStore {
	return &SealedStore{inner: s, ring: ring}
}

func checkSealedKey(key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	if strings.HasSuffix(key, dekSuffix) {
		return fmt.Errorf("%w: the %s suffix is reserved", ErrInvalidKey, dekSuffix)
	}
	return nil
}

func dekAssociated(key string) []byte { return []byte("blob.dek\x00" + key) }

func header(segSize uint32) []byte {
	h := make([]byte, headerLen)
	copy(h, sealedMagic)
	h[len(sealedMagic)] = sealedVersion
	binary.BigEndian.PutUint32(h[len(sealedMagic)+1:], segSize)
	return h
}

func newAEAD(dataKey []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(dataKey)
	if err != nil {
		return nil, fmt.Errorf("blob: cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

// Put encrypts r into key and returns the plaintext size. It reads r one
// segment ahead, so it holds at most two segments in memory.
func (s *SealedStore) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if err := checkSealedKey(key); err != nil {
		return 0, err
	}
	dataKey := make([]byte, dataKeySize)
	if _, err := io.ReadFull(rand.Reader, dataKey); err != nil {
		return 0, fmt.Errorf("blob: data key: %w", err)
	}
	aead, err := newAEAD(dataKey)
	if err != nil {
		return 0, err
	}
	wrapped, err := s.ring.Seal(dataKey, dekAssociated(key))
	if err != nil {
		return 0, fmt.Errorf("blob: seal data key: %w", err)
	}
	enc := newEncReader(r, aead, key)
	if _, err := s.inner.Put(ctx, key, enc); err != nil {
		return enc.plain, err
	}
	if _, err := s.inner.Put(ctx, key+dekSuffix, bytes.NewReader(wrapped)); err != nil {
		_ = s.inner.Delete(context.WithoutCancel(ctx), key)
		return enc.plain, err
	}
	return enc.plain, nil
}

// Get opens key and returns a reader of its plaintext. Reads fail with
// an error wrapping ErrTampered as soon as a segment does not
// authenticate; a missing object wraps ErrNotFound.
func (s *SealedStore) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkSealedKey(key); err != nil {
		return nil, err
	}
	dataKey, _, err := s.dataKey(ctx, key)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(dataKey)
	if err != nil {
		return nil, err
	}
	rc, err := s.inner.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	d, err := newDecReader(rc, aead, key)
	if err != nil {
		_ = rc.Close()
		return nil, err
	}
	return d, nil
}

// Delete removes key's data and data-key objects.
func (s *SealedStore) Delete(ctx context.Context, key string) error {
	if err := checkSealedKey(key); err != nil {
		return err
	}
	return errors.Join(s.inner.Delete(ctx, key), s.inner.Delete(ctx, key+dekSuffix))
}

// KeyID returns the id of the vault key that seals key's data key.
func (s *SealedStore) KeyID(ctx context.Context, key string) (string, error) {
	if err := checkSealedKey(key); err != nil {
		return "", err
	}
	wrapped, err := s.readDEK(ctx, key)
	if err != nil {
		return "", err
	}
	id, err := vault.KeyID(wrapped)
	if err != nil {
		return "", fmt.Errorf("%w: data key: %v", ErrTampered, err)
	}
	return id, nil
}

// Rewrap re-seals key's data key under the ring's primary key, leaving
// the data object untouched. It reports whether anything changed (false
// when the data key already was under the primary key).
func (s *SealedStore) Rewrap(ctx context.Context, key string) (bool, error) {
	if err := checkSealedKey(key); err != nil {
		return false, err
	}
	dataKey, id, err := s.dataKey(ctx, key)
	if err != nil {
		return false, err
	}
	if id == s.ring.PrimaryID() {
		return false, nil
	}
	wrapped, err := s.ring.Seal(dataKey, dekAssociated(key))
	if err != nil {
		return false, fmt.Errorf("blob: seal data key: %w", err)
	}
	if _, err := s.inner.Put(ctx, key+dekSuffix, bytes.NewReader(wrapped)); err != nil {
		return false, err
	}
	return true, nil
}

func (s *SealedStore) readDEK(ctx context.Context, key string) ([]byte, error) {
	rc, err := s.inner.Get(ctx, key+dekSuffix)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	wrapped, err := io.ReadAll(io.LimitReader(rc, 1024))
	if err != nil {
		return nil, fmt.Errorf("blob: read data key of %s: %w", key, err)
	}
	return wrapped, nil
}

// dataKey opens key's data key and names the vault key that sealed it.
func (s *SealedStore) dataKey(ctx context.Context, key string) ([]byte, string, error) {
	wrapped, err := s.readDEK(ctx, key)
	if err != nil {
		return nil, "", err
	}
	id, err := vault.KeyID(wrapped)
	if err != nil {
		return nil, "", fmt.Errorf("%w: data key: %v", ErrTampered, err)
	}
	dataKey, err := s.ring.Open(wrapped, dekAssociated(key))
	if err != nil {
		return nil, "", fmt.Errorf("%w: data key: %v", ErrTampered, err)
	}
	if len(dataKey) != dataKeySize {
		return nil, "", fmt.Errorf("%w: data key has %d bytes", ErrTampered, len(dataKey))
	}
	return dataKey, id, nil
}

func nonce(index uint64, final bool) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n, index)
	if final {
		n[11] = 1
	}
	return n
}

// encReader turns a plaintext reader into the sealed format on demand.
type encReader struct {
	src     io.Reader
	aead    cipher.AEAD
	aad     []byte
	out     []byte // sealed bytes not yet returned
	buf     []byte // backing array of out
	cur     []byte // the next segment to seal
	curFull bool   // cur is a whole segment that may or may not be the last
	ahead   []byte
	index   uint64
	done    bool // the final segment has been sealed
	err     error
	plain   int64 // plaintext bytes read from src
}

func newEncReader(src io.Reader, aead cipher.AEAD, key string) *encReader {
	h := header(SegmentSize)
	e := &encReader{src: src, aead: aead, aad: append(append([]byte{}, h...), key...),
		cur: make([]byte, 0, SegmentSize), ahead: make([]byte, SegmentSize),
		buf: make([]byte, 0, SegmentSize+tagSize)}
	e.out = h
	e.fill()
	return e
}

// fill reads the first segment into cur.
func (e *encReader) fill() {
	n, err := io.ReadFull(e.src, e.cur[:SegmentSize])
	e.plain += int64(n)
	e.cur = e.cur[:n]
	switch {
	case err == nil:
		e.curFull = true
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
	default:
		e.err = err
	}
}

// next seals cur into out, reading one segment ahead to learn whether
// cur is the last.
func (e *encReader) next() {
	final := !e.curFull
	var n int
	if e.curFull {
		var err error
		n, err = io.ReadFull(e.src, e.ahead)
		e.plain += int64(n)
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			final = true
		case errors.Is(err, io.ErrUnexpectedEOF):
		default:
			e.err = err
			return
		}
	}
	e.out = e.aead.Seal(e.buf[:0], nonce(e.index, final), e.cur, e.aad)
	e.index++
	if final {
		e.done = true
		return
	}
	// The segment read ahead becomes the current one.
	e.cur, e.ahead = e.ahead[:n], e.cur[:SegmentSize]
	e.curFull = n == SegmentSize
}

func (e *encReader) Read(p []byte) (int, error) {
	for len(e.out) == 0 {
		if e.err != nil {
			return 0, e.err
		}
		if e.done {
			return 0, io.EOF
		}
		e.next()
	}
	n := copy(p, e.out)
	e.out = e.out[n:]
	return n, nil
}

// decReader opens the sealed format segment by segment.
type decReader struct {
	rc    io.ReadCloser
	src   *bufio.Reader
	aead  cipher.AEAD
	aad   []byte
	seg   []byte // sealed segment buffer
	out   []byte // plaintext not yet returned
	index uint64
	done  bool
	err   error
}

func newDecReader(rc io.ReadCloser, aead cipher.AEAD, key string) (*decReader, error) {
	src := bufio.NewReaderSize(rc, 32<<10)
	h := make([]byte, headerLen)
	if _, err := io.ReadFull(src, h); err != nil {
		return nil, fmt.Errorf("%w: short header", ErrTampered)
	}
	if string(h[:len(sealedMagic)]) != sealedMagic || h[len(sealedMagic)] != sealedVersion {
		return nil, fmt.Errorf("%w: not a sealed object of a known version", ErrTampered)
	}
	segSize := binary.BigEndian.Uint32(h[len(sealedMagic)+1:])
	if segSize == 0 || segSize > maxSegmentSize {
		return nil, fmt.Errorf("%w: bad segment size", ErrTampered)
	}
	return &decReader{rc: rc, src: src, aead: aead,
		aad: append(h, key...), seg: make([]byte, int(segSize)+tagSize)}, nil
}

func (d *decReader) next() {
	n, err := io.ReadFull(d.src, d.seg)
	final := false
	switch {
	case err == nil:
		if _, perr := d.src.Peek(1); errors.Is(perr, io.EOF) {
			final = true
		} else if perr != nil {
			d.err = fmt.Errorf("blob: read sealed object: %w", perr)
			return
		}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		final = true
	default:
		d.err = fmt.Errorf("blob: read sealed object: %w", err)
		return
	}
	if n < tagSize {
		d.err = fmt.Errorf("%w: truncated", ErrTampered)
		return
	}
	plain, oerr := d.aead.Open(d.seg[:0], nonce(d.index, final), d.seg[:n], d.aad)
	if oerr != nil {
		d.err = fmt.Errorf("%w: segment %d does not authenticate", ErrTampered, d.index)
		return
	}
	d.index++
	d.out = plain
	d.done = final
}

func (d *decReader) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		if d.done {
			return 0, io.EOF
		}
		d.next()
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// Close closes the underlying object.
func (d *decReader) Close() error { return d.rc.Close() }
