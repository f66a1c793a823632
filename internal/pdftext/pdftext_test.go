package pdftext_test

import (
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"github.com/tend-portal/tend/internal/pdftext"
)

func TestPrintable(t *testing.T) {
	tr := fpdf.New("P", "mm", "Letter", "").UnicodeTranslatorFromDescriptor("")
	tests := []struct {
		name string
		in   string
		want string // before translation to cp1252
	}{
		{name: "ascii", in: "Ana Rivera, LCSW", want: "Ana Rivera, LCSW"},
		{name: "cp1252 accents", in: "José Álvarez Núñez Zoë Ø",
			want: "José Álvarez Núñez Zoë Ø"},
		{name: "dash and quotes", in: "a — “b”", want: "a — “b”"},
		{name: "decomposable", in: "Dvořák Nguyễn ő", want: "Dvorák Nguyen o"},
		{name: "letters without marks", in: "Łukasz đ ŋ", want: "Lukasz d ng"},
		{name: "no letter", in: "ok 😀 ✓", want: "ok ? ?"},
		{name: "tab", in: "a\tb", want: "a    b"},
		{name: "controls dropped, newline kept", in: "a\x00\rb\nc",
			want: "ab\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pdftext.Printable(tr, tt.in)
			if want := tr(tt.want); got != want {
				t.Errorf("Printable(%q) = %q, want %q", tt.in, got, want)
			}
		})
	}
}
