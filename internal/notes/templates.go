package notes

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/validation"
)

// Limits on what a note may hold.
const (
	// MaxFieldChars is the most characters one section of a note holds.
	MaxFieldChars = 20000
	// MaxAddendumChars is the most characters one addendum holds.
	MaxAddendumChars = 10000
)

// The template names a note may use.
const (
	TemplateIntake = "intake"
	TemplateSOAP   = "soap"
	TemplateDAP    = "dap"
	TemplateBIRP   = "birp"
	TemplateFree   = "free"
)

// Section is one headed part of a note template: the key the text is
// stored under, the heading shown, and a prompt for the clinician.
type Section struct {
	Key    string
	Label  string
	Prompt string
}

// TemplateDef describes one kind of note and its sections, in the order
// they are shown and exported.
type TemplateDef struct {
	Name     string
	Title    string
	Sections []Section
}

var templates = []TemplateDef{
	{Name: TemplateIntake, Title: "Intake assessment", Sections: []Section{
		{"presenting_problem", "Presenting problem", "What brings the client in, in their words."},
		{"history_of_present_illness", "History of present illness", "Onset, course, triggers and what has helped."},
		{"psychiatric_history", "Psychiatric history", "Past diagnoses, treatment, hospitalizations, medications."},
		{"medical_history", "Medical history", "Conditions, medications, allergies, primary care."},
		{"substance_use", "Substance use", "Alcohol, drugs, tobacco, caffeine: pattern and consequences."},
		{"family_social_history", "Family and social history", "Family, relationships, work or school, supports, culture."},
		{"mental_status_exam", "Mental status exam", "Appearance, behavior, speech, mood, affect, thought, cognition, insight, judgment."},
		{"risk_assessment", "Risk assessment", "Suicidal or homicidal ideation, self-harm, protective factors, safety plan."},
		{"diagnosis", "Diagnosis", "Working diagnoses with ICD-10 codes."},
		{"treatment_plan", "Treatment plan", "Goals, modality, frequency and next steps."},
	}},
	{Name: TemplateSOAP, Title: "SOAP note", Sections: []Section{
		{"subjective", "Subjective", "What the client reports."},
		{"objective", "Objective", "What you observed; scores and measures."},
		{"assessment", "Assessment", "Your clinical impression and progress."},
		{"plan", "Plan", "Interventions, homework and the next session."},
	}},
	{Name: TemplateDAP, Title: "DAP note", Sections: []Section{
		{"data", "Data", "What was said and observed in session."},
		{"assessment", "Assessment", "Your interpretation and progress toward goals."},
		{"plan", "Plan", "Next steps and the next session."},
	}},
	{Name: TemplateBIRP, Title: "BIRP note", Sections: []Section{
		{"behavior", "Behavior", "The client's presentation and what they reported."},
		{"intervention", "Intervention", "What you did in session."},
		{"response", "Response", "How the client responded."},
		{"plan", "Plan", "Next steps and the next session."},
	}},
	{Name: TemplateFree, Title: "Free-form note", Sections: []Section{
		{"note", "Note", ""},
	}},
}

// Templates returns every note template, in the order a picker shows
// them. The result is a copy; changing it changes nothing here.
func Templates() []TemplateDef {
	out := make([]TemplateDef, len(templates))
	for i, t := range templates {
		out[i] = TemplateDef{Name: t.Name, Title: t.Title,
			Sections: append([]Section(nil), t.Sections...)}
	}
	return out
}

// LookupTemplate returns the template called name.
func LookupTemplate(name string) (TemplateDef, bool) {
	for _, t := range templates {
		if t.Name == name {
			return TemplateDef{Name: t.Name, Title: t.Title,
				Sections: append([]Section(nil), t.Sections...)}, true
		}
	}
	return TemplateDef{}, false
}

// cleanFields checks fields against the template's sections and returns
// them normalized: every section present (missing ones empty), line ends
// as "\n", no NUL bytes. Unknown keys, invalid UTF-8 and over-long text
// are reported per field as "fields.<key>".
func cleanFields(def TemplateDef, fields map[string]string) (map[string]string, error) {
	var errs validation.Errors
	known := make(map[string]bool, len(def.Sections))
	for _, s := range def.Sections {
		known[s.Key] = true
	}
	for key := range fields {
		if !known[key] {
			errs.Add("fields."+key,
				fmt.Sprintf("The %s template has no section called %q.", def.Title, key))
		}
	}

	out := make(map[string]string, len(def.Sections))
	for _, s := range def.Sections {
		text, err := cleanText(fields[s.Key], MaxFieldChars)
		if err != "" {
			errs.Add("fields."+s.Key, err)
			continue
		}
		out[s.Key] = text
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// cleanText normalizes line ends and reports, as a sentence for the
// person who typed it, why text cannot be stored ("" when it can).
func cleanText(text string, max int) (string, string) {
	if !utf8.ValidString(text) {
		return "", "This text has characters that cannot be stored."
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.ReplaceAll(text, "\x00", "")
	if n := utf8.RuneCountInString(text); n > max {
		return "", fmt.Sprintf("Keep this to %d characters; it has %d.", max, n)
	}
	return text, ""
}

// blank reports whether every section is empty or whitespace.
func blank(fields map[string]string) bool {
	for _, v := range fields {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
