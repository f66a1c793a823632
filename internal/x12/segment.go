package x12

import (
	"fmt"
	"strings"
)

// Delimiters are the four separators an interchange declares in its ISA
// segment. Every segment after ISA uses them.
type Delimiters struct {
	Element    byte // ISA's fourth byte, usually '*'
	Repetition byte // ISA11, usually '^'
	Component  byte // ISA16, usually ':'
	Segment    byte // the byte after ISA16, usually '~'
}

// DefaultDelimiters are the separators Tend writes, the ones most
// clearinghouses expect.
var DefaultDelimiters = Delimiters{
	Element: '*', Repetition: '^', Component: ':', Segment: '~',
}

// validate reports an error when two separators are the same byte or one
// of them could be mistaken for data.
func (d Delimiters) validate() error {
	seps := []byte{d.Element, d.Repetition, d.Component, d.Segment}
	for i, a := range seps {
		if isDataByte(a) {
			return fmt.Errorf("x12: separator %q is a letter, digit or space", a)
		}
		for _, b := range seps[i+1:] {
			if a == b {
				return fmt.Errorf("x12: separator %q is used twice", a)
			}
		}
	}
	return nil
}

func isDataByte(b byte) bool {
	return b == ' ' || b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' ||
		b >= 'a' && b <= 'z'
}

// Segment is one segment: its id (ISA, CLM, SVC…) followed by its
// elements, as they appear in the file. Element n of the X12 guides
// (CLM01, CLM02…) is Segment[n].
type Segment []string

// ID returns the segment's id, such as "CLM".
func (s Segment) ID() string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// Elem returns element n (1-based, as the guides count), or "" when the
// segment stops before it.
func (s Segment) Elem(n int) string {
	if n < 1 || n >= len(s) {
		return ""
	}
	return s[n]
}

// String returns the segment with the default separators, for error
// messages and tests.
func (s Segment) String() string {
	return strings.Join(s, string(DefaultDelimiters.Element)) +
		string(DefaultDelimiters.Segment)
}

// seg builds a segment from its id and elements, dropping empty elements
// at the end as X12 requires.
func seg(id string, elems ...string) Segment {
	n := len(elems)
	for n > 0 && elems[n-1] == "" {
		n--
	}
	return append(Segment{id}, elems[:n]...)
}
