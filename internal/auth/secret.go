package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// Purposes keep the keyed hashes of different kinds of secret apart, so
// a value valid as one kind can never match a row of another kind.
const (
	purposeSession  = "session"
	purposeReset    = "reset"
	purposeSignIn   = "sign_in"
	purposeAPI      = "api"
	purposeRecovery = "recovery"
)

// tokenBytes is the entropy of every random token handed out.
const tokenBytes = 32

// newToken returns 32 random bytes as unpadded base64url, safe in
// cookies, URLs and headers.
func newToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: read random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashToken returns the hex HMAC-SHA256 of token for one purpose. Only
// this value is stored; the database alone never yields a usable token.
func (s *Service) hashToken(purpose, token string) string {
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// throttleSubject returns the keyed hash under which failures for one
// email, address or user are counted, so the throttle table holds no
// addresses.
func (s *Service) throttleSubject(scope, value string) string {
	m := hmac.New(sha256.New, s.subjectKey)
	m.Write([]byte(scope))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
