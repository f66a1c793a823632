package x12

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseAmount reads an X12 decimal money amount ("150", "40.5",
// "-1.27") as integer cents. It refuses fractions of a cent, since no
// payer pays them and rounding one would lose money silently.
func ParseAmount(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(body, ".")
	frac = strings.TrimRight(frac, "0")
	switch {
	case body == "" || body == ".":
		return 0, fmt.Errorf("x12: amount %q is empty", s)
	case strings.Trim(whole, "0123456789") != "" ||
		strings.Trim(frac, "0123456789") != "":
		return 0, fmt.Errorf("x12: amount %q is not a number", s)
	case len(frac) > 2:
		return 0, fmt.Errorf("x12: amount %q has fractions of a cent", s)
	case len(strings.TrimLeft(whole, "0")) > 15:
		return 0, fmt.Errorf("x12: amount %q is too large", s)
	}
	var cents int64
	if whole != "" {
		cents, _ = strconv.ParseInt(whole, 10, 64)
	}
	cents *= 100
	if frac != "" {
		f, _ := strconv.ParseInt((frac + "0")[:2], 10, 64)
		cents += f
	}
	if neg {
		cents = -cents
	}
	return cents, nil
}

// FormatAmount writes cents as an X12 decimal amount, with trailing
// zeros after the point left out as the 5010 guides recommend:
// 10000 is "100", 4050 is "40.5", -127 is "-1.27".
func FormatAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	s := sign + strconv.FormatInt(cents/100, 10)
	switch c := cents % 100; {
	case c == 0:
		return s
	case c%10 == 0:
		return s + "." + strconv.FormatInt(c/10, 10)
	default:
		return fmt.Sprintf("%s.%02d", s, c)
	}
}

// dateFormat is X12's D8 date, CCYYMMDD.
const dateFormat = "20060102"

// parseDate reads a D8 date as midnight UTC on that day.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("x12: date %q is not CCYYMMDD", s)
	}
	return t, nil
}
