// Package vault seals clinical content at rest: notes, message bodies,
// attachments, form answers and TOTP secrets.
//
// A Ring holds one or more AES-256 keys read from a key file (see
// LoadOrCreate for the format). Seal always uses the primary key, the
// newest one; Open picks the key named inside the sealed value, so a
// Rotate never strands data sealed under an older key.
//
// A sealed value is laid out as
//
//	version (1 byte, currently 1)
//	key id length (1 byte) | key id (ASCII)
//	nonce (12 random bytes)
//	AES-256-GCM ciphertext and 16-byte tag
//
// The GCM associated data is the header (version, length and key id)
// followed by the caller's associated data. Callers bind each value to
// its place with Bind (table, column and row id), so a ciphertext copied
// into another row or column fails to open.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/hkdf"
)

// ErrDecrypt means a sealed value could not be opened: it was altered,
// bound to other associated data, or sealed under a key the ring lacks.
var ErrDecrypt = errors.New("vault: cannot decrypt")

const (
	formatVersion = 1
	keySize       = 32
	nonceSize     = 12
	subkeySalt    = "tend vault subkey v1"
)

// key is one AES-256 key of the ring.
type key struct {
	id      string
	created string // YYYY-MM-DD, as written in the key file
	secret  []byte
	aead    cipher.AEAD
}

// Ring is a loaded key ring. It never changes after loading and is safe
// for concurrent use.
type Ring struct {
	keys    []*key // in file order; the last is primary
	byID    map[string]*key
	primary *key
}

func newRing(keys []*key) (*Ring, error) {
	if len(keys) == 0 {
		return nil, errors.New("vault: key ring has no keys")
	}
	r := &Ring{keys: keys, byID: make(map[string]*key, len(keys))}
	for _, k := range keys {
		if _, dup := r.byID[k.id]; dup {
			return nil, fmt.Errorf("vault: duplicate key id %q", k.id)
		}
		block, err := aes.NewCipher(k.secret)
		if err != nil {
			return nil, fmt.Errorf("vault: key %q: %w", k.id, err)
		}
		k.aead, err = cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("vault: key %q: %w", k.id, err)
		}
		r.byID[k.id] = k
	}
	r.primary = keys[len(keys)-1]
	return r, nil
}

// PrimaryID returns the id of the key new values are sealed with.
func (r *Ring) PrimaryID() string { return r.primary.id }

// KeyIDs returns the ids of every key in the ring, oldest first.
func (r *Ring) KeyIDs() []string {
	ids := make([]string, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.id
	}
	return ids
}

// Bind returns associated data that ties a sealed value to one column of
// one row, e.g. Bind("notes", "body", noteID). Pass the same three values
// to Open that were passed to Seal; convert with []byte for Seal/Open.
func Bind(table, column, rowID string) string {
	return table + "\x00" + column + "\x00" + rowID
}

// Seal encrypts plaintext under the primary key with a fresh random
// nonce, authenticating associated as well.
func (r *Ring) Seal(plaintext, associated []byte) ([]byte, error) {
	k := r.primary
	header := make([]byte, 0, 2+len(k.id))
	header = append(header, formatVersion, byte(len(k.id)))
	header = append(header, k.id...)

	out := make([]byte, len(header)+nonceSize,
		len(header)+nonceSize+len(plaintext)+k.aead.Overhead())
	copy(out, header)
	nonce := out[len(header):]
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return nil, fmt.Errorf("vault: read nonce: %w", err)
	}
	return k.aead.Seal(out, nonce, plaintext, aad(header, associated)), nil
}

// Open decrypts a value made by Seal. It returns an error wrapping
// ErrDecrypt when the value was altered, belongs to other associated
// data, or names a key the ring does not hold.
func (r *Ring) Open(sealed, associated []byte) ([]byte, error) {
	id, headerLen, err := parseHeader(sealed)
	if err != nil {
		return nil, err
	}
	k, ok := r.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: unknown key id %q", ErrDecrypt, id)
	}
	if len(sealed) < headerLen+nonceSize+k.aead.Overhead() {
		return nil, fmt.Errorf("%w: value too short", ErrDecrypt)
	}
	header := sealed[:headerLen]
	nonce := sealed[headerLen : headerLen+nonceSize]
	body := sealed[headerLen+nonceSize:]
	plain, err := k.aead.Open(nil, nonce, body, aad(header, associated))
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed", ErrDecrypt)
	}
	return plain, nil
}

// SealString seals a string and returns it in standard base64, ready for
// a TEXT column.
func (r *Ring) SealString(plaintext, associated string) (string, error) {
	b, err := r.Seal([]byte(plaintext), []byte(associated))
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// OpenString opens a value made by SealString.
func (r *Ring) OpenString(sealed, associated string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", fmt.Errorf("%w: not base64", ErrDecrypt)
	}
	plain, err := r.Open(b, []byte(associated))
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// Subkey derives a 32-byte key for one purpose (for example
// "session-token" or "reset-token") with HKDF-SHA256. Different purposes
// get unrelated keys. Subkeys come from the ring's first (oldest) key,
// so rotating the ring does not invalidate HMACs already stored; rotation
// protects what is sealed from then on.
func (r *Ring) Subkey(purpose string) []byte {
	out := make([]byte, keySize)
	kdf := hkdf.New(sha256.New, r.keys[0].secret, []byte(subkeySalt), []byte(purpose))
	if _, err := io.ReadFull(kdf, out); err != nil {
		// HKDF-SHA256 yields up to 8160 bytes; 32 cannot fail.
		panic(fmt.Sprintf("vault: derive subkey: %v", err))
	}
	return out
}

// KeyID reports which key a sealed value was made with, without opening
// it. Re-encryption after a rotation uses it to find old values.
func KeyID(sealed []byte) (string, error) {
	id, _, err := parseHeader(sealed)
	return id, err
}

func parseHeader(sealed []byte) (id string, headerLen int, err error) {
	if len(sealed) < 2 {
		return "", 0, fmt.Errorf("%w: value too short", ErrDecrypt)
	}
	if sealed[0] != formatVersion {
		return "", 0, fmt.Errorf("%w: unknown format version %d", ErrDecrypt, sealed[0])
	}
	n := int(sealed[1])
	if n == 0 || len(sealed) < 2+n {
		return "", 0, fmt.Errorf("%w: malformed header", ErrDecrypt)
	}
	return string(sealed[2 : 2+n]), 2 + n, nil
}

func aad(header, associated []byte) []byte {
	out := make([]byte, 0, len(header)+len(associated))
	out = append(out, header...)
	return append(out, associated...)
}
