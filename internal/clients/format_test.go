package clients_test

import (
	"errors"
	"testing"

	"github.com/tend-portal/tend/internal/clients"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"parentheses", "(212) 555-0147", "+12125550147"},
		{"dots", "212.555.0147", "+12125550147"},
		{"plus one with spaces", "+1 212 555 0147", "+12125550147"},
		{"bare ten digits", "2125550147", "+12125550147"},
		{"leading one", "1-212-555-0147", "+12125550147"},
		{"padded", "  212 555 0147 ", "+12125550147"},
		{"uk with trunk zero", "+44 (0)20 7946 0958", "+442079460958"},
		{"uk", "+44 20 7946 0958", "+442079460958"},
		{"uk from the US", "011 44 20 7946 0958", "+442079460958"},
		{"germany with 00", "0049 30 901820", "+4930901820"},
		{"mexico", "+52 55 1234 5678", "+525512345678"},
		{"ireland three-digit code", "+353 1 234 5678", "+35312345678"},
		{"india", "+91 98765 43210", "+919876543210"},
		{"empty", "", ""},
		{"letters", "212-555-CALL", ""},
		{"extension", "212 555 0147 x12", ""},
		{"too short", "555-0147", ""},
		{"too long for the US", "212 555 01477", ""},
		{"area code starting with 1", "(112) 555-0147", ""},
		{"exchange starting with 0", "(212) 055-0147", ""},
		{"service code", "(911) 555-0147", ""},
		{"uk too short", "+44 20 7946", ""},
		{"country code zero", "+0 123 456 789", ""},
		{"too many digits", "+999 1234567890123", ""},
		{"just a plus", "+", ""},
		{"plus inside", "212+555+0147", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := clients.NormalizePhone(tt.in)
			if tt.want == "" {
				if err == nil || !errors.Is(err, clients.ErrInvalidPhone) {
					t.Fatalf("NormalizePhone(%q) = %q, %v; want ErrInvalidPhone", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestValidICD10(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"F41.1", true}, {"F32.A", true}, {"Z63.0", true}, {"F43.10", true},
		{"S06.0X1A", true}, {"F90", true}, {"f41.1", true}, {" F41.1 ", true},
		{"F411", false}, {"41.1", false}, {"FF1.1", false}, {"F4", false},
		{"F41.", false}, {"F41.12345", false}, {"F41-1", false}, {"", false},
		{"F41.1 anxiety", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := clients.ValidICD10(tt.code); got != tt.want {
				t.Errorf("ValidICD10(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}
