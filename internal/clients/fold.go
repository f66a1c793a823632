package clients

import "github.com/tend-portal/tend/internal/validation"

// searchName is the stored search key: " first last / preferred last ",
// folded, so a word prefix of the name, the last name or "first last"
// is found as " q" and nothing spans the two halves.
func searchName(first, last, preferred string) string {
	first, last = validation.Fold(first), validation.Fold(last)
	pref := validation.Fold(preferred)
	if pref == "" {
		pref = first
	}
	return " " + first + " " + last + " / " + pref + " " + last + " "
}

// sortName orders clients by last name, then first name. The separator
// sorts before every letter, so "Lee" comes before "Leeds".
func sortName(first, last string) string {
	return validation.Fold(last) + "\x01" + validation.Fold(first)
}
