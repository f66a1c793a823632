package api

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFilenameRunes bounds the file name offered to a browser.
const maxFilenameRunes = 200

// contentDisposition returns an "attachment" Content-Disposition value
// for a file name an uploader chose (RFC 6266): a plain ASCII filename
// for old clients and the exact name, percent-encoded UTF-8, as
// filename*. Nothing in the name can break out of the header, name a
// directory or hide behind control or direction-changing characters.
func contentDisposition(name string) string {
	safe := safeFilename(name)
	return `attachment; filename="` + asciiFilename(safe) + `"; filename*=UTF-8''` +
		percentEncode(safe)
}

// safeFilename keeps the last path element of name without control,
// format (bidirectional overrides and the like) or path characters,
// trimmed of dots and spaces at either end, and "attachment" when
// nothing is left.
func safeFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	n := 0
	for _, r := range name {
		if n == maxFilenameRunes {
			break
		}
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue
		case strings.ContainsRune(`"*:<>?|`, r):
			r = '_'
		case unicode.IsSpace(r):
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	out := strings.Trim(b.String(), ". ")
	if out == "" {
		return "attachment"
	}
	return out
}

// asciiFilename replaces what a quoted-string cannot safely carry to
// every client (non-ASCII, quotes, backslashes, percent signs) with "_".
func asciiFilename(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// percentEncode encodes s as an RFC 8187 value: attr-chars as they are,
// every other byte of its UTF-8 as %XX.
func percentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0x0f])
	}
	return b.String()
}

// isAttrChar reports whether c may appear unencoded in an RFC 8187
// value.
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
