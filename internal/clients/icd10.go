package clients

import "strings"

// ValidICD10 reports whether code has the shape of an ICD-10-CM code: a
// letter, a digit, a letter or digit, then optionally a dot and one to
// four letters or digits (F41.1, F32.A, Z63.0, S06.0X1A). Case and
// surrounding spaces are ignored. It checks the shape only, not that the
// code is on the current code list.
func ValidICD10(code string) bool {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) < 3 {
		return false
	}
	if !isUpper(code[0]) || !isDigit(code[1]) || !isAlnum(code[2]) {
		return false
	}
	rest := code[3:]
	if rest == "" {
		return true
	}
	if rest[0] != '.' || len(rest) < 2 || len(rest) > 5 {
		return false
	}
	for i := 1; i < len(rest); i++ {
		if !isAlnum(rest[i]) {
			return false
		}
	}
	return true
}

// normalizeICD10 returns code in its usual written form: uppercase, with
// the dot after the category ("f411" → "F41.1").
func normalizeICD10(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) > 3 && !strings.Contains(code, ".") {
		code = code[:3] + "." + code[3:]
	}
	return code
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isUpper(c) || isDigit(c) }
