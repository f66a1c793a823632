package validation_test

import (
	"testing"

	"github.com/tend-portal/tend/internal/validation"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"acute", "Chloé", "chloe"},
		{"umlaut", "Müller", "muller"},
		{"tilde", "Peña", "pena"},
		{"polish l", "Łukasz Wójcik", "lukasz wojcik"},
		{"sharp s", "Strauß", "strauss"},
		{"danish o", "Søren", "soren"},
		{"vietnamese", "Nguyễn Thị Ánh", "nguyen thi anh"},
		{"composed and decomposed agree", "Jose\u0301", "jose"},
		{"spaces collapsed", "  Mary   Ann\tLee ", "mary ann lee"},
		{"apostrophe kept", "O'Brien", "o'brien"},
		{"hyphen kept", "Smith-Jones", "smith-jones"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validation.Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
