package calsync

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// icsWriter writes iCalendar content lines (RFC 5545 §3.1): CRLF line
// ends, lines folded before 75 octets without splitting a UTF-8
// sequence, continuation lines starting with one space. The first error
// sticks and later writes do nothing.
type icsWriter struct {
	w   *bufio.Writer
	err error
}

func newICSWriter(w io.Writer) *icsWriter { return &icsWriter{w: bufio.NewWriter(w)} }

// maxLine is the octet limit of one physical line, CRLF excluded.
const maxLine = 75

// line writes "name[;params]:value". value must already be escaped where
// its type needs it (see escapeText).
func (w *icsWriter) line(name, params, value string) {
	s := name
	if params != "" {
		s += ";" + params
	}
	s += ":" + value
	w.folded(s)
}

func (w *icsWriter) folded(s string) {
	if w.err != nil {
		return
	}
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.write(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	w.write(s + "\r\n")
}

func (w *icsWriter) write(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

// flush ends the output and returns the first error.
func (w *icsWriter) flush() error {
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}
