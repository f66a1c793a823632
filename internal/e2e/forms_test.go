package e2e

import (
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/demo"
)

// TestFormBuilder builds a provider's own form in the browser: from the
// account menu to the builder, a field added without losing what was
// typed, a choice with one option refused next to its input, then saved
// and listed with its printable PDF.
func TestFormBuilder(t *testing.T) {
	b := start(t)
	dana := b.newUser(t)
	dana.signIn(providerEmail, demo.Password)
	dana.waitPath("/dashboard")

	dana.clickCSS("#account-name")
	dana.click("menu-forms")
	dana.waitPath("/settings/forms")
	dana.click("new-form")
	dana.waitPath("/settings/forms/new")
	dana.fill(map[string]string{
		"form-title": "Couples intake",
		"f0-label":   "What brings you both in?",
		"f1-label":   "When did you meet?",
	})
	typeInto(dana, "f0-options", "Communication")
	selectByText(dana, "f0-type", "One choice")
	selectByText(dana, "f1-type", "Date")
	dana.click("builder-add")
	dana.waitFor("a fourth field", `document.getElementById("f3-label") !== null`)
	if got := eval[string](dana, `document.getElementById("f0-label").value`); got != "What brings you both in?" {
		t.Errorf("adding a field lost the first label: %q", got)
	}

	dana.click("builder-save")
	dana.waitFor("the options error", `document.getElementById("f0-options-error") !== null`)
	dana.screenshot("form-builder-error")
	if msg := dana.text("#f0-options-error"); !strings.Contains(msg, "two options") {
		t.Errorf("options error = %q", msg)
	}
	typeInto(dana, "f0-options", "\nConflict\nParenting")
	dana.click("builder-save")
	dana.waitFor("the saved form", `location.search === "?done=created"`)
	table := dana.text("#own-forms-table")
	if !strings.Contains(table, "Couples intake") || !strings.Contains(table, "Printable PDF") {
		t.Errorf("own forms = %q", table)
	}
	dana.screenshot("form-library")
}
