package printout_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/pdftext/pdftest"
	"github.com/tend-portal/tend/internal/printout"
)

var created = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var letterhead = printout.Letterhead{
	Name:    "José Álvarez, LCSW",
	NPI:     "1234567893",
	Lines:   []string{"12 Façade Way, Suite 4", "Chicago, IL 60601"},
	Contact: "jose@example.test",
}

func TestWriteForm(t *testing.T) {
	responses := []string{"Not at all", "Several days",
		"More than half the days", "Nearly every day"}
	extra := map[string][]string{
		forms.SlugDemographics: {"* required", "(MM / DD / YYYY)"},
		forms.SlugConsent:      {"Signature", "Date", "Printed name"},
		forms.SlugRelease:      {"(check all that apply)"},
		forms.SlugPHQ9: {"1. Little interest or pleasure in doing things",
			"9. Thoughts that you would be better off dead",
			"Total score: ______"},
		forms.SlugGAD7: {"7. Feeling afraid", "Total score: ______"},
	}
	type test struct {
		name    string
		tmpl    forms.Template
		want    []string // besides letterhead, title, labels and options
		wantRaw []string // column headings, which -layout interleaves
	}
	tests := []test{{
		name: "every field type",
		tmpl: everyType(),
		want: []string{"* required", "(MM / DD / YYYY)",
			"(check all that apply)", "Signature", "Printed name",
			"Total score: ______"},
		wantRaw: responses,
	}}
	for _, tmpl := range forms.InstanceTemplates() {
		tt := test{name: tmpl.Slug, tmpl: tmpl, want: extra[tmpl.Slug]}
		if tmpl.Kind == forms.KindMeasure {
			tt.wantRaw = responses
		}
		tests = append(tests, tt)
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := printout.WriteForm(&buf, letterhead, tt.tmpl, created)
			if err != nil {
				t.Fatalf("WriteForm: %v", err)
			}
			pages := pdftest.Pages(t, buf.Bytes())

			want := append(letterheadText(letterhead), tt.tmpl.Title,
				fmt.Sprintf("Page 1 of %d", pages))
			want = append(want, tt.want...)
			for _, f := range tt.tmpl.Fields {
				want = append(want, f.Label)
				if f.Type != forms.Scale {
					want = append(want, f.Options...)
				}
			}
			text := flat(pdftest.Text(t, buf.Bytes(), "-layout"))
			for _, w := range want {
				if !strings.Contains(text, flat(w)) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			raw := flat(pdftest.Text(t, buf.Bytes(), "-raw"))
			for _, w := range tt.wantRaw {
				if !strings.Contains(raw, w) {
					t.Errorf("PDF text (raw) lacks %q", w)
				}
			}
		})
	}
}

func TestWriteFormPages(t *testing.T) {
	tests := []struct {
		name     string
		tmpl     forms.Template
		minPages int
		wantEach []string // on every page
	}{{
		name:     "40 long answers",
		tmpl:     repeated(forms.KindForm, forms.LongText, 40),
		minPages: 3,
	}, {
		name:     "60 scale items",
		tmpl:     repeated(forms.KindMeasure, forms.Scale, 60),
		minPages: 2,
		wantEach: []string{"Not at all"}, // the table's heading repeats
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := printout.WriteForm(&buf, letterhead, tt.tmpl, created)
			if err != nil {
				t.Fatalf("WriteForm: %v", err)
			}
			n := pdftest.Pages(t, buf.Bytes())
			if n < tt.minPages {
				t.Fatalf("%d pages, want at least %d", n, tt.minPages)
			}

			text := pdftest.Text(t, buf.Bytes(), "-layout")
			pages := strings.Split(strings.TrimRight(text, "\f\n"), "\f")
			if len(pages) != n {
				t.Fatalf("text has %d pages, PDF %d", len(pages), n)
			}
			for i, page := range pages {
				want := append(letterheadText(letterhead), tt.tmpl.Title,
					fmt.Sprintf("Page %d of %d", i+1, n))
				want = append(want, tt.wantEach...)
				for _, w := range want {
					if !strings.Contains(flat(page), w) {
						t.Errorf("page %d lacks %q", i+1, w)
					}
				}
			}
		})
	}
}

func TestWriteLetterhead(t *testing.T) {
	tests := []struct {
		name string
		lh   printout.Letterhead
	}{
		{name: "full", lh: letterhead},
		{name: "name only", lh: printout.Letterhead{Name: "Ana Rivera, LCSW"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := printout.WriteLetterhead(&buf, tt.lh, created); err != nil {
				t.Fatalf("WriteLetterhead: %v", err)
			}
			if n := pdftest.Pages(t, buf.Bytes()); n != 1 {
				t.Fatalf("%d pages, want 1", n)
			}
			text := flat(pdftest.Text(t, buf.Bytes(), "-layout"))
			if want := strings.Join(letterheadText(tt.lh), " "); text != want {
				t.Errorf("text = %q, want %q", text, want)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{{
		name: "form",
		write: func(b *bytes.Buffer) error {
			return printout.WriteForm(b, letterhead, everyType(), created)
		},
	}, {
		name: "letterhead",
		write: func(b *bytes.Buffer) error {
			return printout.WriteLetterhead(b, letterhead, created)
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := tt.write(&a); err != nil {
				t.Fatalf("first write: %v", err)
			}
			if err := tt.write(&b); err != nil {
				t.Fatalf("second write: %v", err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("the same input gave different PDFs")
			}
		})
	}
}

func TestWriteFormUnknownType(t *testing.T) {
	tmpl := forms.Template{Title: "Odd", Kind: forms.KindForm,
		Fields: []forms.Field{{Key: "x", Label: "X", Type: "slider"}}}
	var buf bytes.Buffer
	if err := printout.WriteForm(&buf, letterhead, tmpl, created); err == nil {
		t.Fatal("WriteForm accepted a field of unknown type")
	}
	if buf.Len() != 0 {
		t.Errorf("WriteForm wrote %d bytes after failing", buf.Len())
	}
}

func TestLetterheadDetails(t *testing.T) {
	tests := []struct {
		name string
		lh   printout.Letterhead
		want []string
	}{
		{"name only", printout.Letterhead{Name: "A"}, nil},
		{"everything", printout.Letterhead{Name: "A", NPI: "1234567893",
			Lines: []string{"1 Elm St", "Salem, OR 97301"}, Contact: "a@example.org"},
			[]string{"NPI 1234567893", "1 Elm St", "Salem, OR 97301", "a@example.org"}},
		{"no NPI", printout.Letterhead{Name: "A", Contact: "a@example.org"},
			[]string{"a@example.org"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.lh.Details(); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Details() = %q, want %q", got, tt.want)
			}
		})
	}
}
