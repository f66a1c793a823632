package ui

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestMessageLines(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []TextLine
	}{
		{"plain", "hello", []TextLine{{{Text: "hello"}}}},
		{"empty", "", []TextLine{nil}},
		{"line breaks kept", "one\r\ntwo\n\nthree", []TextLine{{{Text: "one"}}, {{Text: "two"}}, nil, {{Text: "three"}}}},
		{"link in text", "see https://example.org/a?b=1 now", []TextLine{{
			{Text: "see "}, {Text: "https://example.org/a?b=1", Href: "https://example.org/a?b=1"}, {Text: " now"}}}},
		{"sentence punctuation stays out", "Go to http://example.org.", []TextLine{{
			{Text: "Go to "}, {Text: "http://example.org", Href: "http://example.org"}, {Text: "."}}}},
		{"closing bracket it did not open", "(https://example.org/x)", []TextLine{{
			{Text: "("}, {Text: "https://example.org/x", Href: "https://example.org/x"}, {Text: ")"}}}},
		{"bracket it opened", "https://en.wikipedia.org/wiki/A_(b)", []TextLine{{
			{Text: "https://en.wikipedia.org/wiki/A_(b)", Href: "https://en.wikipedia.org/wiki/A_(b)"}}}},
		{"upper-case scheme", "HTTPS://EXAMPLE.ORG", []TextLine{{
			{Text: "HTTPS://EXAMPLE.ORG", Href: "HTTPS://EXAMPLE.ORG"}}}},
		{"two links", "http://a.test and https://b.test", []TextLine{{
			{Text: "http://a.test", Href: "http://a.test"}, {Text: " and "},
			{Text: "https://b.test", Href: "https://b.test"}}}},
		{"no host is no link", "http:// and https://", []TextLine{{{Text: "http:// and https://"}}}},
		{"javascript is text", "javascript:alert(1)", []TextLine{{{Text: "javascript:alert(1)"}}}},
		{"scheme inside a word", "xhttp://evil.test", []TextLine{{{Text: "xhttp://evil.test"}}}},
		{"quote ends the link", `https://a.test/"onmouseover="x`, []TextLine{{
			{Text: "https://a.test/", Href: "https://a.test/"}, {Text: `"onmouseover="x`}}}},
		{"angle bracket ends the link", "<https://a.test/>", []TextLine{{
			{Text: "<"}, {Text: "https://a.test/", Href: "https://a.test/"}, {Text: ">"}}}},
		{"markup is text", "<script>alert(1)</script>", []TextLine{{{Text: "<script>alert(1)</script>"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MessageLines(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("MessageLines(%q) =\n%#v\nwant\n%#v", tt.in, got, tt.want)
			}
		})
	}
}

// render renders the message text component to a string.
func render(t *testing.T, body string) string {
	t.Helper()
	var sb strings.Builder
	if err := MessageText(MessageLines(body)).Render(context.Background(), &sb); err != nil {
		t.Fatalf("render: %v", err)
	}
	return sb.String()
}

func TestMessageTextRendering(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		notWant []string
	}{
		{"script shown as text", `<script>alert("x")</script>`,
			[]string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"}, []string{"<script"}},
		{"html attribute injection", `<img src=x onerror=alert(1)>`,
			[]string{"&lt;img src=x onerror=alert(1)&gt;"}, []string{"<img"}},
		{"link made clickable", "Read https://example.org/guide?a=1&b=2 first",
			[]string{`<a href="https://example.org/guide?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">` +
				`https://example.org/guide?a=1&amp;b=2</a>`}, nil},
		{"line break", "one\ntwo", []string{"one<br>two"}, nil},
		{"quote cannot leave the href", `https://a.test/"><script>`,
			[]string{`<a href="https://a.test/"`, "&#34;&gt;&lt;script&gt;"}, []string{"<script"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.in)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("rendered %q lacks %q", got, w)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(got, nw) {
					t.Errorf("rendered %q contains %q", got, nw)
				}
			}
		})
	}
}
