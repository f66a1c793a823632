// Package blob stores opaque objects such as message attachments: on
// the local filesystem (the data directory, by default) or in an
// S3-compatible bucket, behind one small Store interface.
//
// Objects are streamed in and out and never held whole in memory.
// Encryption at rest is a layer on top of any Store: see Sealed.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNotFound means no object is stored under the key. It wraps
// store.ErrNotFound's meaning for blobs; callers test with errors.Is.
var ErrNotFound = errors.New("blob: not found")

// ErrInvalidKey means a key is empty, too long, absolute, holds a "." or
// ".." segment or a character outside [A-Za-z0-9._-] and "/".
var ErrInvalidKey = errors.New("blob: invalid key")

// maxKeyLen bounds a key's length in bytes.
const maxKeyLen = 512

// Store keeps objects by key. Keys are slash-separated paths of
// [A-Za-z0-9._-] segments such as "attachments/0190c3c2-….bin".
type Store interface {
	// Put streams r into the object at key, replacing any object there,
	// and returns the number of bytes read from r. A failed Put leaves
	// no partial object visible under key.
	Put(ctx context.Context, key string, r io.Reader) (size int64, err error)
	// Get opens the object at key for streaming. A missing object is an
	// error wrapping ErrNotFound.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the object at key. Deleting a missing object is not
	// an error.
	Delete(ctx context.Context, key string) error
}

// ValidKey reports, as an error wrapping ErrInvalidKey, what is wrong
// with key, or nil when it may be used.
func ValidKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return fmt.Errorf("%w: empty or longer than %d bytes", ErrInvalidKey, maxKeyLen)
	}
	if strings.HasPrefix(key, "/") {
		return fmt.Errorf("%w: absolute path", ErrInvalidKey)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%w: empty, \".\" or \"..\" segment", ErrInvalidKey)
		}
		for _, c := range seg {
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
				c == '.' || c == '_' || c == '-'
			if !ok {
				return fmt.Errorf("%w: character %q not allowed", ErrInvalidKey, c)
			}
		}
	}
	return nil
}
