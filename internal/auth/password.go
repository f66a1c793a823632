package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// hashParams are argon2id cost parameters. They are written into every
// hash, so raising them later still verifies old hashes (which are
// upgraded at the next successful sign-in).
type hashParams struct {
	memoryKiB uint32
	time      uint32
	threads   uint8
	saltLen   int
	keyLen    uint32
}

// defaultParams follow OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane.
var defaultParams = hashParams{
	memoryKiB: 19 * 1024,
	time:      2,
	threads:   1,
	saltLen:   16,
	keyLen:    32,
}

var errMalformedHash = errors.New("auth: malformed password hash")

// hashPassword returns the PHC-style encoding
// $argon2id$v=19$m=...,t=...,p=...$salt$hash of password.
func hashPassword(password string, p hashParams) (string, error) {
	salt := make([]byte, p.saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.time, p.memoryKiB, p.threads, p.keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memoryKiB, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifyPassword reports whether password matches encoded, and whether
// the hash was made with parameters other than want (so it should be
// replaced). The comparison takes constant time.
func verifyPassword(password, encoded string, want hashParams) (ok, stale bool, err error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memoryKiB, p.threads, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1
	stale = p.memoryKiB != want.memoryKiB || p.time != want.time ||
		p.threads != want.threads || len(key) != int(want.keyLen)
	return ok, stale, nil
}

func decodeHash(encoded string) (p hashParams, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errMalformedHash
	}
	_, err = fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memoryKiB, &p.time, &p.threads)
	if err != nil {
		return p, nil, nil, errMalformedHash
	}
	if p.memoryKiB == 0 || p.time == 0 || p.threads == 0 {
		return p, nil, nil, errMalformedHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) == 0 {
		return p, nil, nil, errMalformedHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, errMalformedHash
	}
	p.saltLen, p.keyLen = len(salt), uint32(len(key))
	return p, salt, key, nil
}

// dummy returns a hash made once with the service's parameters, which
// sign-in checks against when the email is unknown so the response takes
// as long as for a real account.
func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		h, err := hashPassword("tend dummy password for timing", s.params)
		if err != nil {
			// Without randomness nothing else works either; a fixed,
			// well-formed hash keeps the timing equaliser running.
			h = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" +
				"aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
		}
		s.dummyHash = h
	})
	return s.dummyHash
}
