package validation

import (
	"errors"
	"fmt"
	"net/url"
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

func TestStorableText(t *testing.T) {
	for s, want := range map[string]bool{
		"Zoë O'Brien": true, "": true, "a\x00b": false, "\xff\xfe": false, "line\nbreak": true,
	} {
		if got := StorableText(s); got != want {
			t.Errorf("StorableText(%q) = %t, want %t", s, got, want)
		}
	}
	for raw, want := range map[string]bool{
		"/clients?q=ana": true, "/clients?q=%00": false, "/clients/%00": false,
		"/clients?q=%FF": false, "/clients?%00=x": false, "/a?q=%zz": true,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := StorableURL(u); got != want {
			t.Errorf("StorableURL(%s) = %t, want %t", raw, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"}, {"abcdef", 3, "abc"}, {"aé", 2, "a"}, {"éé", 3, "é"}, {"日本", 4, "日"},
	}
	for _, tt := range tests {
		if got := Truncate(tt.s, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
