package validation

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrors(t *testing.T) {
	var errs Errors
	if errs.Err() != nil {
		t.Fatal("empty Errors must be a nil error")
	}
	errs.Add("email", "Enter a valid email address.")
	errs.Add("phone", "Enter a phone number.")
	err := fmt.Errorf("clients: create: %w", errs.Err())

	got, ok := From(err)
	if !ok || len(got) != 2 || got.For("phone") != "Enter a phone number." || !got.Has("email") {
		t.Errorf("From(%v) = %v, %v", err, got, ok)
	}
	if got.Has("name") || got.For("name") != "" {
		t.Error("unexpected field")
	}
	if _, ok := From(errors.New("other")); ok {
		t.Error("From matched an unrelated error")
	}
	if one, ok := From(fmt.Errorf("x: %w", FieldError{Field: "a", Message: "b"})); !ok || one.For("a") != "b" {
		t.Errorf("single FieldError not found: %v", one)
	}
}
