package printout_test

import (
	"strconv"
	"strings"

	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/printout"
)

// everyType is a measure with a field of every type, a required one, an
// accented label and options too long to sit side by side.
func everyType() forms.Template {
	scale := []string{"Not at all", "Several days",
		"More than half the days", "Nearly every day"}
	return forms.Template{
		Title:       "Intake — every field type",
		Description: "Please answer in ink. Leave blank what does not apply.",
		Kind:        forms.KindMeasure,
		Fields: []forms.Field{
			{Key: "name", Label: "Full name", Type: forms.ShortText,
				Required: true, Help: "As it appears on your ID."},
			{Key: "story", Label: "What would you like to work on?",
				Type: forms.LongText},
			{Key: "dob", Label: "Date of birth", Type: forms.Date},
			{Key: "reach", Label: "Best way to reach you",
				Type: forms.SingleChoice, Options: []string{"Phone", "Email"}},
			{Key: "days", Label: "Days you can attend (café hours)",
				Type: forms.MultiChoice, Options: []string{"Monday",
					"Tuesday", "Wednesday", "Thursday", "Friday"}},
			{Key: "fit", Label: "Which statement fits best?",
				Type: forms.SingleChoice, Options: []string{
					"I would like weekly sessions for the next few months " +
						"and then to review how things are going",
					"I would like to meet as needed when something comes up"}},
			{Key: "item1", Label: "Feeling calm", Type: forms.Scale,
				Required: true, Options: scale},
			{Key: "item2", Label: "Sleeping well", Type: forms.Scale,
				Required: true, Options: scale},
			{Key: "signature", Label: "Signature of client",
				Type: forms.Signature, Required: true},
		},
	}
}

// repeated is a template of n fields of type ft.
func repeated(kind string, ft forms.FieldType, n int) forms.Template {
	t := forms.Template{Title: strconv.Itoa(n) + " questions", Kind: kind,
		Description: "A form long enough to take several pages."}
	for i := range n {
		t.Fields = append(t.Fields, forms.Field{
			Key: "f" + strconv.Itoa(i), Label: "Question " + strconv.Itoa(i+1),
			Type: ft, Options: []string{"Not at all", "Several days",
				"More than half the days", "Nearly every day"}})
	}
	if ft != forms.Scale {
		for i := range t.Fields {
			t.Fields[i].Options = nil
		}
	}
	return t
}

// letterheadText is the text of lh as it should read on the page.
func letterheadText(lh printout.Letterhead) []string {
	return append([]string{lh.Name}, lh.Details()...)
}

// flat collapses runs of white space, so that text wrapped over lines
// compares equal to the text before wrapping.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
