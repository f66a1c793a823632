package ui

import (
	"sort"
	"strconv"
)

// FieldRef names an input of a long form for the problem summary: its
// name in the form, its element id and its label.
type FieldRef struct {
	Name  string
	ID    string
	Label string
}

// problem is one line of the summary.
type problem struct {
	ID      string
	Label   string
	Message string
}

// problems lists the form's field errors in the order of the fields on
// the page; errors for inputs not in order come last, by name.
func (f Form) problems(order []FieldRef) []problem {
	var out []problem
	seen := map[string]bool{}
	for _, ref := range order {
		if msg := f.Errors[ref.Name]; msg != "" {
			out = append(out, problem{ID: ref.ID, Label: ref.Label, Message: msg})
			seen[ref.Name] = true
		}
	}
	var rest []string
	for name := range f.Errors {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, problem{ID: "main", Label: name, Message: f.Errors[name]})
	}
	return out
}

// itoa formats an int for an attribute.
func itoa(n int) string { return strconv.Itoa(n) }
