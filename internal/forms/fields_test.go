package forms

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/validation"
)

func TestCheckTemplate(t *testing.T) {
	good := func() Template {
		return Template{Title: " Intake questions ", Kind: KindForm, Fields: []Field{
			{Key: "why", Label: "Why now?", Type: LongText, Required: true},
			{Label: "Best time to call", Type: SingleChoice,
				Options: []string{" Morning ", "Evening", ""}},
			{Key: "sig", Label: "Signature", Type: Signature},
		}}
	}
	many := good()
	many.Fields = nil
	for i := range MaxFields + 1 {
		many.Fields = append(many.Fields, Field{Label: fmt.Sprintf("Q%d", i), Type: ShortText})
	}

	tests := []struct {
		name   string
		edit   func(*Template)
		fields []string // fields with problems, in order; none for valid
	}{
		{"valid", func(*Template) {}, nil},
		{"title missing", func(t *Template) { t.Title = "  " }, []string{"title"}},
		{"title too long", func(t *Template) { t.Title = strings.Repeat("x", 201) },
			[]string{"title"}},
		{"no fields", func(t *Template) { t.Fields = nil }, []string{"fields"}},
		{"too many fields", func(t *Template) { *t = many }, []string{"fields"}},
		{"label missing", func(t *Template) { t.Fields[0].Label = " " },
			[]string{"fields.0.label"}},
		{"one option", func(t *Template) { t.Fields[1].Options = []string{"Only", " "} },
			[]string{"fields.1.options"}},
		{"repeated option", func(t *Template) { t.Fields[1].Options = []string{"A", "a"} },
			[]string{"fields.1.options"}},
		{"option with a line break", func(t *Template) {
			t.Fields[1].Options = []string{"A\nB", "C"}
		}, []string{"fields.1.options"}},
		{"duplicate key", func(t *Template) { t.Fields[2].Key = "why" },
			[]string{"fields.2.key"}},
		{"generated key collides", func(t *Template) { t.Fields[0].Key = "field_2" },
			[]string{"fields.1.key"}},
		{"bad key", func(t *Template) { t.Fields[0].Key = "Why Now" },
			[]string{"fields.0.key"}},
		{"unknown type", func(t *Template) { t.Fields[0].Type = "file" },
			[]string{"fields.0.type"}},
		{"scale outside a measure", func(t *Template) {
			t.Fields[0].Type, t.Fields[0].Options = Scale, frequencyOptions
		}, []string{"fields.0.type"}},
		{"several problems", func(t *Template) {
			t.Title, t.Fields[0].Label, t.Fields[1].Options = "", "", nil
		}, []string{"title", "fields.0.label", "fields.1.options"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl := good()
			tt.edit(&tpl)
			errs := checkTemplate(&tpl)
			var got []string
			for _, fe := range errs {
				got = append(got, fe.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("problems on %v, want %v (%v)", got, tt.fields, errs)
			}
			if tt.fields != nil {
				if _, ok := validation.From(errs.Err()); !ok {
					t.Fatal("problems are not validation errors")
				}
				return
			}
			if tpl.Title != "Intake questions" || tpl.Fields[1].Key != "field_2" ||
				strings.Join(tpl.Fields[1].Options, "|") != "Morning|Evening" {
				t.Errorf("template not cleaned: %+v", tpl)
			}
		})
	}
}

func TestInstanceTemplatesAreValid(t *testing.T) {
	slugs := map[string]bool{}
	for _, tpl := range InstanceTemplates() {
		if errs := checkTemplate(&tpl); len(errs) > 0 {
			t.Errorf("%s: %v", tpl.Slug, errs)
		}
		if slugs[tpl.Slug] {
			t.Errorf("slug %s repeated", tpl.Slug)
		}
		slugs[tpl.Slug] = true
	}
	for _, slug := range []string{SlugDemographics, SlugConsent, SlugPrivacy,
		SlugRelease, SlugInsurance, SlugPHQ9, SlugGAD7} {
		if !slugs[slug] {
			t.Errorf("instance template %s missing", slug)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Intake Questions", "intake-questions"},
		{"  Couples — history (part 2)! ", "couples-history-part-2"},
		{"###", "form"},
	}
	for _, tt := range tests {
		if got := slugify(tt.in); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
