package ui

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextPart is one run of a message's text: plain text, or a link whose
// text and address are the same http(s) URL.
type TextPart struct {
	Text string
	Href string // "" for plain text
}

// TextLine is one line of a message, split into parts.
type TextLine []TextPart

// MessageLines splits a message's plain text into lines and finds the
// http and https links in each. Nothing in the text is ever treated as
// HTML: the component that renders the parts escapes every one, and
// only addresses that parse as http(s) URLs with a host become links.
func MessageLines(body string) []TextLine {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	lines := strings.Split(body, "\n")
	out := make([]TextLine, 0, len(lines))
	for _, l := range lines {
		out = append(out, linkify(l))
	}
	return out
}

// linkify finds the links of one line.
func linkify(line string) TextLine {
	var parts TextLine
	rest := line
	for rest != "" {
		i := linkStart(rest)
		if i < 0 {
			break
		}
		end := i + linkEnd(rest[i:])
		href := rest[i:end]
		if !validLink(href) {
			// Not a link after all: keep the text and look further on.
			parts = appendText(parts, rest[:end])
			rest = rest[end:]
			continue
		}
		parts = appendText(parts, rest[:i])
		parts = append(parts, TextPart{Text: href, Href: href})
		rest = rest[end:]
	}
	return appendText(parts, rest)
}

// appendText adds plain text, joining it to a plain part before it.
func appendText(parts TextLine, s string) TextLine {
	if s == "" {
		return parts
	}
	if n := len(parts); n > 0 && parts[n-1].Href == "" {
		parts[n-1].Text += s
		return parts
	}
	return append(parts, TextPart{Text: s})
}

// linkStart is the index of the next "http://" or "https://" that
// starts a word, or -1.
func linkStart(s string) int {
	lower := strings.ToLower(s)
	from := 0
	for {
		i := strings.Index(lower[from:], "http")
		if i < 0 {
			return -1
		}
		i += from
		tail := lower[i:]
		if (strings.HasPrefix(tail, "http://") || strings.HasPrefix(tail, "https://")) && wordStart(s, i) {
			return i
		}
		from = i + len("http")
	}
}

// wordStart reports whether s[i] follows a space, punctuation or the
// start of the line rather than a letter or digit ("xhttp://" is no link).
func wordStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// linkEnd is the length of the address at the start of s: up to the
// first space or character no address carries unescaped, without the
// punctuation that ends a sentence or closes brackets it did not open.
func linkEnd(s string) int {
	end := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`<>"{}|\^`+"`", r)
	})
	if end < 0 {
		end = len(s)
	}
	for end > 0 {
		c := s[end-1]
		switch {
		case strings.IndexByte(`.,;:!?'*`, c) >= 0:
			end--
			continue
		case c == ')' && strings.Count(s[:end], "(") < strings.Count(s[:end], ")"),
			c == ']' && strings.Count(s[:end], "[") < strings.Count(s[:end], "]"):
			end--
			continue
		}
		break
	}
	return end
}

// validLink reports whether href parses as an http(s) URL with a host.
func validLink(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && u.Host != "" && u.Hostname() != ""
}
