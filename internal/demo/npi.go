package demo

import (
	"fmt"
	"math/rand/v2"
)

// npiPrefix is prepended to the nine identifier digits before the Luhn
// check digit is computed. Source: CMS, "Requirements for National
// Provider Identifier (NPI) and NPI Enumeration" (the check digit
// follows ISO/IEC 7812 with the health-industry prefix 80840).
const npiPrefix = "80840"

// npiCheckDigit returns the Luhn check digit for the nine-digit base of
// an NPI, computed over the 80840 prefix and the base.
func npiCheckDigit(base string) int {
	payload := npiPrefix + base
	sum := 0
	// Walking from the right, the first digit is doubled because the
	// check digit will be appended after it.
	double := true
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

// validNPI reports whether s is ten digits whose last is the check digit
// of the first nine.
func validNPI(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return int(s[9]-'0') == npiCheckDigit(s[:9])
}

// newNPI draws an NPI-shaped number for an individual provider (the
// first digit is 1, as for individual enumerations).
func newNPI(r *rand.Rand) string {
	base := fmt.Sprintf("1%08d", r.IntN(100_000_000))
	return fmt.Sprintf("%s%d", base, npiCheckDigit(base))
}
