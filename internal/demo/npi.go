package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/tend-portal/tend/internal/validation"
)

// newNPI draws an NPI-shaped number for an individual provider (the
// first digit is 1, as for individual enumerations).
func newNPI(r *rand.Rand) string {
	base := fmt.Sprintf("1%08d", r.IntN(100_000_000))
	return fmt.Sprintf("%s%d", base, validation.NPICheckDigit(base))
}
