package validation_test

import (
	"testing"

	"github.com/tend-portal/tend/internal/validation"
)

func TestValidNPI(t *testing.T) {
	tests := []struct {
		name string
		npi  string
		want bool
	}{
		// The worked example in the CMS check digit document.
		{name: "cms example", npi: "1234567893", want: true},
		// The billing provider of the X12 837P guide's first example.
		{name: "837P guide example", npi: "1912301953", want: true},
		{name: "wrong check digit", npi: "1234567890", want: false},
		{name: "too short", npi: "123456789", want: false},
		{name: "not digits", npi: "12345678a3", want: false},
		{name: "empty", npi: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validation.ValidNPI(tt.npi); got != tt.want {
				t.Errorf("ValidNPI(%q) = %v, want %v", tt.npi, got, tt.want)
			}
		})
	}
	if d := validation.NPICheckDigit("123456789"); d != 3 {
		t.Errorf("NPICheckDigit(123456789) = %d, want 3", d)
	}
}
