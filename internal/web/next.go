package web

import (
	"net/url"
	"strings"
)

// safeNext returns next when it is a path on this site, and "" when it
// could lead elsewhere: absolute URLs, scheme-relative "//host",
// backslash tricks and control characters are all refused.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' {
		return ""
	}
	if strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}

// loginURL is the sign-in page that returns to next afterwards.
func loginURL(next string, expired bool) string {
	q := url.Values{}
	if n := safeNext(next); n != "" && n != "/" {
		q.Set("next", n)
	}
	if expired {
		q.Set("expired", "1")
	}
	if len(q) == 0 {
		return "/login"
	}
	return "/login?" + q.Encode()
}
