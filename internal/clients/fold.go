package clients

import "github.com/tend-portal/tend/internal/validation"

// FoldName prepares a name for searching and sorting: lowercase,
// accents removed, whitespace collapsed (see validation.Fold).
func FoldName(s string) string { return validation.Fold(s) }

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
