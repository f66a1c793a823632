package validation

// npiPrefix is prepended to the nine identifier digits of an NPI before
// its Luhn check digit is computed. Source: CMS, "Requirements for
// National Provider Identifier (NPI) and NPI Enumeration" (the check
// digit follows ISO/IEC 7812 with the health-industry prefix 80840).
const npiPrefix = "80840"

// NPICheckDigit returns the check digit of an NPI whose first nine
// digits are base: the Luhn digit over the 80840 prefix and the base.
func NPICheckDigit(base string) int {
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

// ValidNPI reports whether s is a National Provider Identifier: ten
// digits whose last is the check digit of the first nine.
func ValidNPI(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return int(s[9]-'0') == NPICheckDigit(s[:9])
}
