package validation

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// letterFolds spells letters that do not decompose into a base letter
// and a mark the way a person typing without them would.
var letterFolds = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d",
	'ł': "l", 'ı': "i", 'þ': "th", 'ħ': "h", 'ŀ': "l",
}

// Fold writes text the way a person typing without accents would:
// lowercase, accents removed ("Chloé" → "chloe", "Müller" → "muller", "Łukasz" → "lukasz"),
// whitespace collapsed to single spaces and trimmed.
func Fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		r = unicode.ToLower(r)
		if f, ok := letterFolds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
