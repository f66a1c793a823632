package x12

import (
	"strings"

	"github.com/tend-portal/tend/internal/validation"
)

// clean writes s in the characters payers' systems take: capitals,
// digits, spaces and a little punctuation, accents folded ("Chloé
// Müller" → "CHLOE MULLER"), anything else (the separators among it)
// turned into a space, at most max bytes.
func clean(s string, max int) string {
	folded := strings.ToUpper(validation.Fold(s))
	var b strings.Builder
	space := false
	for _, r := range folded {
		if !plainRune(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if len(out) > max {
		out = strings.TrimRight(out[:max], " ")
	}
	return out
}

// plainRune reports whether r is a letter, a digit or one of the
// punctuation marks names and addresses need (O'Brien, Smith-Jones,
// Apt. 4, #2, c/o).
func plainRune(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("'-.,&#/", r)
}
