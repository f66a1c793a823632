package clients

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

// FoldName prepares a name for searching: lowercase, accents removed
// ("Chloé" → "chloe", "Müller" → "muller", "Łukasz" → "lukasz"),
// whitespace collapsed to single spaces and trimmed.
func FoldName(s string) string {
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

// searchName is the stored search key: " first last / preferred last ",
// folded, so a word prefix of the name, the last name or "first last"
// is found as " q" and nothing spans the two halves.
func searchName(first, last, preferred string) string {
	first, last = FoldName(first), FoldName(last)
	pref := FoldName(preferred)
	if pref == "" {
		pref = first
	}
	return " " + first + " " + last + " / " + pref + " " + last + " "
}

// sortName orders clients by last name, then first name. The separator
// sorts before every letter, so "Lee" comes before "Leeds".
func sortName(first, last string) string {
	return FoldName(last) + "\x01" + FoldName(first)
}
