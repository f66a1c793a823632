// Package pdftext is what Tend's PDFs share: Letter starts a document
// set up the same way for every package that writes one, and Printable
// makes text printable in the core fonts (Helvetica, Times, Courier),
// which know only the Windows-1252 code page.
package pdftext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Printable returns s ready to draw in a PDF core font. translate is
// fpdf's UTF-8 to cp1252 translator (from
// UnicodeTranslatorFromDescriptor("")); it turns any rune it cannot map
// into '.', so runes outside cp1252 are first replaced here: by their
// base letter when they are an accented Latin letter ("ő" → "o"), by
// "?" otherwise. Accented letters that cp1252 has ("é", "ñ", "ü", "Ø")
// pass through unchanged. Tabs become four spaces and other control
// characters but newlines are dropped.
func Printable(translate func(string) string, s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r < 0x20 && r != '\n':
			// Control characters have no glyph.
		case r < 0x80 || translate(string(r)) != ".":
			b.WriteRune(r)
		default:
			b.WriteString(fallback(r))
		}
	}
	return translate(b.String())
}

// fallback spells a rune cp1252 lacks with ASCII letters when it is a
// letter with marks, and as "?" otherwise.
func fallback(r rune) string {
	if s, ok := letters[r]; ok {
		return s
	}
	var out []rune
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return "?"
	}
	for _, d := range out {
		if d >= 0x80 {
			return "?"
		}
	}
	return string(out)
}

// letters are Latin letters without a decomposition into a base letter
// and marks.
var letters = map[rune]string{
	'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ı': "i", 'ħ': "h", 'Ħ': "H",
	'ŋ': "ng", 'Ŋ': "NG", 'ĸ': "k",
}
