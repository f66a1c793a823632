package forms

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/validation"
)

// Limits on what a template may hold.
const (
	MaxFields      = 100
	MaxOptions     = 50
	maxTitle       = 200
	maxDescription = 4000
	maxLabel       = 500
	maxHelp        = 1000
	maxOption      = 200
)

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// validType reports whether t may appear in a template. Scale fields
// belong to the instance's measures only.
func validType(t FieldType, measure bool) bool {
	switch t {
	case ShortText, LongText, SingleChoice, MultiChoice, Date, Signature:
		return true
	case Scale:
		return measure
	}
	return false
}

func isChoice(t FieldType) bool {
	return t == SingleChoice || t == MultiChoice || t == Scale
}

// checkTemplate trims t in place and returns every problem with it.
// Problems with a field are reported as "fields.{i}.{part}", with i
// counting from 0 in the order given. A field without a key gets
// "field_{i+1}".
func checkTemplate(t *Template) validation.Errors {
	var errs validation.Errors
	measure := t.Kind == KindMeasure
	t.Title = strings.TrimSpace(t.Title)
	t.Description = strings.TrimSpace(t.Description)
	switch {
	case t.Title == "":
		errs.Add("title", "Give the form a title.")
	case utf8.RuneCountInString(t.Title) > maxTitle:
		errs.Add("title", fmt.Sprintf("Keep the title under %d characters.", maxTitle))
	}
	if utf8.RuneCountInString(t.Description) > maxDescription {
		errs.Add("description",
			fmt.Sprintf("Keep the description under %d characters.", maxDescription))
	}
	switch {
	case len(t.Fields) == 0:
		errs.Add("fields", "Add at least one field.")
	case len(t.Fields) > MaxFields:
		errs.Add("fields", fmt.Sprintf("A form can have at most %d fields.", MaxFields))
	}

	seen := map[string]int{}
	for i := range t.Fields {
		f := &t.Fields[i]
		name := func(part string) string { return fmt.Sprintf("fields.%d.%s", i, part) }
		f.Key = strings.TrimSpace(f.Key)
		f.Label = strings.TrimSpace(f.Label)
		f.Help = strings.TrimSpace(f.Help)
		if f.Key == "" {
			f.Key = fmt.Sprintf("field_%d", i+1)
		}
		switch {
		case !keyPattern.MatchString(f.Key):
			errs.Add(name("key"), "Use up to 40 lowercase letters, digits or "+
				"underscores, starting with a letter.")
		default:
			if j, dup := seen[f.Key]; dup {
				errs.Add(name("key"), fmt.Sprintf("Field %d already uses this key.", j+1))
			}
			seen[f.Key] = i
		}
		switch {
		case f.Label == "":
			errs.Add(name("label"), "Give the field a label.")
		case utf8.RuneCountInString(f.Label) > maxLabel:
			errs.Add(name("label"), fmt.Sprintf("Keep the label under %d characters.", maxLabel))
		}
		if utf8.RuneCountInString(f.Help) > maxHelp {
			errs.Add(name("help"), fmt.Sprintf("Keep the help text under %d characters.", maxHelp))
		}
		if !validType(f.Type, measure) {
			errs.Add(name("type"), "Choose a field type: short text, long text, "+
				"single choice, multiple choice, date or signature.")
			continue
		}
		if !isChoice(f.Type) {
			f.Options = nil
			continue
		}
		if msg := checkOptions(f); msg != "" {
			errs.Add(name("options"), msg)
		}
	}
	return errs
}

// checkOptions trims a choice field's options and says what is wrong
// with them, or "".
func checkOptions(f *Field) string {
	opts := make([]string, 0, len(f.Options))
	seen := map[string]bool{}
	for _, o := range f.Options {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if strings.ContainsFunc(o, unicode.IsControl) {
			return "Options cannot contain line breaks."
		}
		if utf8.RuneCountInString(o) > maxOption {
			return fmt.Sprintf("Keep each option under %d characters.", maxOption)
		}
		if seen[strings.ToLower(o)] {
			return fmt.Sprintf("The option %q appears twice.", o)
		}
		seen[strings.ToLower(o)] = true
		opts = append(opts, o)
	}
	f.Options = opts
	switch {
	case f.Type == Scale && len(opts) != 4:
		return "A scale item needs exactly four response labels."
	case len(opts) < 2:
		return "Give at least two options."
	case len(opts) > MaxOptions:
		return fmt.Sprintf("A field can have at most %d options.", MaxOptions)
	}
	return ""
}

// slugify makes a template slug from its title: lowercase letters and
// digits joined by hyphens.
func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	if b.Len() == 0 {
		return "form"
	}
	return b.String()
}
