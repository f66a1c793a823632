package auth

import (
	_ "embed"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password length limits, counted in characters. The upper limit keeps
// hashing cost bounded; it is far above any passphrase people type.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords holds the embedded list, lowercased.
var commonPasswords = func() map[string]struct{} {
	m := make(map[string]struct{})
	for _, line := range strings.Split(commonPasswordList, "\n") {
		line = strings.ToLower(strings.TrimSpace(line))
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = struct{}{}
		}
	}
	return m
}()

// CheckPassword applies the password policy for an account with the
// given email: length limits, no common or leaked password (also with
// digits or symbols tacked on the end), not the email itself. A failure
// is a *FieldError on field "password".
func CheckPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return passwordError("Password contains invalid characters.")
	case n < MinPasswordLen:
		return passwordError("Password must be at least 12 characters long.")
	case n > MaxPasswordLen:
		return passwordError("Password must be at most 128 characters long.")
	}

	lower := strings.ToLower(password)
	if isCommon(lower) {
		return passwordError("This password is too common. " +
			"Choose one that is harder to guess, such as a few unrelated words.")
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if email != "" {
		local, _, _ := strings.Cut(email, "@")
		if lower == email || strings.Contains(lower, email) ||
			(len(local) >= 4 && trimDecoration(lower) == local) {
			return passwordError("Password must not be your email address.")
		}
	}
	if distinctRunes(lower) < 4 {
		return passwordError("Password repeats too few characters. " +
			"Choose one that is harder to guess.")
	}
	return nil
}

func passwordError(msg string) error {
	return &FieldError{Field: "password", Message: msg}
}

// isCommon reports whether lower, or lower stripped of trailing digits
// and symbols ("password1234!" → "password"), is on the list.
func isCommon(lower string) bool {
	if _, ok := commonPasswords[lower]; ok {
		return true
	}
	base := trimDecoration(lower)
	if base == "" {
		return false
	}
	_, ok := commonPasswords[base]
	return ok
}

// trimDecoration strips the trailing digits and punctuation people add
// to meet composition rules.
func trimDecoration(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) ||
			unicode.IsSpace(r)
	})
}

func distinctRunes(s string) int {
	seen := make(map[rune]struct{})
	for _, r := range s {
		seen[r] = struct{}{}
	}
	return len(seen)
}

// NormalizeEmail trims and lowercases an email address and checks that
// it is a plain address (no display name). A failure is a *FieldError
// on field "email".
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	bad := &FieldError{Field: "email", Message: "Enter a valid email address."}
	if email == "" {
		return "", &FieldError{Field: "email", Message: "Enter your email address."}
	}
	if len(email) > 254 {
		return "", bad
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email {
		return "", bad
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(email, " <>\"") {
		return "", bad
	}
	return email, nil
}
