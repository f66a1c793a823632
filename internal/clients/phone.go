package clients

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidPhone is returned by NormalizePhone for input that is not a
// phone number it can place.
var ErrInvalidPhone = errors.New("invalid phone number")

// digitRange is the allowed length of a country's national significant
// number (the digits after the country code, without a trunk 0).
type digitRange struct{ min, max int }

// nationalLengths holds the number lengths of common countries, from
// each numbering plan as filed with the ITU. Other country codes get the
// general E.164 bounds.
var nationalLengths = map[string]digitRange{
	"1": {10, 10}, "7": {10, 10}, "20": {8, 10}, "27": {9, 9},
	"30": {10, 10}, "31": {9, 9}, "32": {8, 9}, "33": {9, 9},
	"34": {9, 9}, "36": {8, 9}, "39": {6, 11}, "40": {9, 9},
	"41": {9, 9}, "43": {4, 13}, "44": {9, 10}, "45": {8, 8},
	"46": {7, 13}, "47": {8, 8}, "48": {9, 9}, "49": {6, 13},
	"52": {10, 10}, "54": {10, 11}, "55": {10, 11}, "56": {9, 9},
	"57": {8, 10}, "61": {9, 9}, "62": {8, 12}, "63": {8, 10},
	"64": {8, 10}, "65": {8, 8}, "81": {9, 10}, "82": {7, 10},
	"84": {9, 10}, "86": {10, 11}, "90": {10, 10}, "91": {10, 10},
	"92": {9, 10}, "234": {8, 10}, "254": {9, 9}, "351": {9, 9},
	"353": {7, 9}, "966": {9, 9}, "971": {8, 9}, "972": {8, 9},
}

// twoDigitCodes are the assigned two-digit country codes; 1 and 7 are
// the one-digit ones and every other code has three digits.
var twoDigitCodes = map[string]bool{
	"20": true, "27": true, "30": true, "31": true, "32": true, "33": true,
	"34": true, "36": true, "39": true, "40": true, "41": true, "43": true,
	"44": true, "45": true, "46": true, "47": true, "48": true, "49": true,
	"51": true, "52": true, "53": true, "54": true, "55": true, "56": true,
	"57": true, "58": true, "60": true, "61": true, "62": true, "63": true,
	"64": true, "65": true, "66": true, "81": true, "82": true, "84": true,
	"86": true, "90": true, "91": true, "92": true, "93": true, "94": true,
	"95": true, "98": true,
}

// NormalizePhone returns s in E.164 form (+ and up to 15 digits). A
// number without a country code is taken as a US (North American)
// number: "(212) 555-0147", "212.555.0147", "2125550147" and
// "1-212-555-0147" all give "+12125550147". International numbers start
// with +, 00 or 011 and are checked against their country's number
// lengths. Spaces, dots, dashes, slashes and parentheses are ignored;
// anything else, such as letters or an extension, is refused.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	international := strings.HasPrefix(s, "+")
	if international {
		// "+44 (0)20 …": the bracketed trunk 0 is not dialled from abroad.
		s = strings.Replace(s[1:], "(0)", "", 1)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" -.()/\u00a0", r):
		default:
			return "", fmt.Errorf("%w: unexpected %q", ErrInvalidPhone, r)
		}
	}
	digits := b.String()
	if !international {
		switch {
		case strings.HasPrefix(digits, "011"):
			digits, international = digits[3:], true
		case strings.HasPrefix(digits, "00"):
			digits, international = digits[2:], true
		case len(digits) == 11 && digits[0] == '1':
			digits = digits[1:]
		}
		if !international {
			digits = "1" + digits
		}
	}
	if len(digits) == 0 || digits[0] == '0' {
		return "", fmt.Errorf("%w: no country code", ErrInvalidPhone)
	}
	cc := countryCode(digits)
	national := digits[len(cc):]
	if err := checkNational(cc, national); err != nil {
		return "", err
	}
	return "+" + digits, nil
}

// countryCode returns the country code at the start of an international
// number's digits.
func countryCode(digits string) string {
	switch {
	case digits[0] == '1' || digits[0] == '7':
		return digits[:1]
	case len(digits) >= 2 && twoDigitCodes[digits[:2]]:
		return digits[:2]
	case len(digits) >= 3:
		return digits[:3]
	}
	return digits
}

// checkNational checks the digits after the country code.
func checkNational(cc, national string) error {
	r, known := nationalLengths[cc]
	if !known {
		r = digitRange{4, 15 - len(cc)}
	}
	if n := len(national); n < r.min || n > r.max {
		return fmt.Errorf("%w: %d digits after country code %s", ErrInvalidPhone, n, cc)
	}
	if cc == "1" {
		// North American numbers: area code and exchange start 2-9, and
		// N11 codes (911, 411 …) are service codes, not area codes.
		if national[0] < '2' || national[3] < '2' {
			return fmt.Errorf("%w: not a North American number", ErrInvalidPhone)
		}
		if national[1] == '1' && national[2] == '1' {
			return fmt.Errorf("%w: %s is not an area code", ErrInvalidPhone, national[:3])
		}
	}
	return nil
}

// nationalDigits returns an E.164 number's digits with and without its
// country code, for the search columns.
func nationalDigits(e164 string) (all, national string) {
	all = strings.TrimPrefix(e164, "+")
	if all == "" {
		return "", ""
	}
	return all, all[len(countryCode(all)):]
}

// digitsOf returns the decimal digits in s.
func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
