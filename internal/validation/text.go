package validation

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// StorableText reports whether s can be kept as text: valid UTF-8
// without NUL characters. PostgreSQL refuses both in a text column, and
// no person types them, so the web and API layers turn them away at the
// edge with a clear error instead of letting a query fail.
func StorableText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// StorableURL reports whether u's path and every query key and value
// are StorableText.
func StorableURL(u *url.URL) bool {
	if !StorableText(u.Path) {
		return false
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return true // a malformed query is the handlers' to refuse
	}
	for k, vs := range q {
		if !StorableText(k) {
			return false
		}
		for _, v := range vs {
			if !StorableText(v) {
				return false
			}
		}
	}
	return true
}

// Truncate cuts s to at most n bytes without splitting a character.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
