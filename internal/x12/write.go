package x12

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Marshal writes an interchange, adding the SE, GE and IEA trailers with
// their counts and control numbers. It refuses an element that holds one
// of the separators, since the receiver would split it in two.
func Marshal(ix *Interchange) ([]byte, error) {
	d := ix.Delimiters
	if err := d.validate(); err != nil {
		return nil, err
	}
	if err := checkISA(ix.Header); err != nil {
		return nil, err
	}
	if ix.Header[11] != string(d.Repetition) || ix.Header[16] != string(d.Component) {
		return nil, fmt.Errorf("x12: ISA11 and ISA16 must be the repetition and component separators")
	}

	w := writer{d: d, lineBreaks: ix.LineBreaks}
	w.put(ix.Header, true)
	for _, g := range ix.Groups {
		w.put(g.Header, false)
		for _, t := range g.Transactions {
			w.put(t.Header, false)
			for _, s := range t.Body {
				w.put(s, false)
			}
			w.put(Segment{"SE", strconv.Itoa(len(t.Body) + 2), t.Header.Elem(2)}, false)
		}
		w.put(Segment{"GE", strconv.Itoa(len(g.Transactions)), g.Header.Elem(6)}, false)
	}
	w.put(Segment{"IEA", strconv.Itoa(len(ix.Groups)), ix.Control()}, false)
	if w.err != nil {
		return nil, w.err
	}
	return w.buf.Bytes(), nil
}

// writer appends segments to a buffer and keeps the first error.
type writer struct {
	d          Delimiters
	lineBreaks bool
	buf        bytes.Buffer
	n          int
	err        error
}

// put writes one segment. An element may hold component and repetition
// separators (it is then a composite), never an element or segment
// separator or a line break. The ISA segment is written as it is, since
// its last elements are the separators themselves.
func (w *writer) put(s Segment, isa bool) {
	w.n++
	if w.err != nil {
		return
	}
	for i, e := range s {
		if i > 0 {
			w.buf.WriteByte(w.d.Element)
		}
		if !isa && strings.ContainsAny(e, string([]byte{w.d.Element, w.d.Segment, '\r', '\n'})) {
			w.err = &SyntaxError{w.n, s.ID(),
				fmt.Sprintf("element %d holds a separator", i)}
			return
		}
		w.buf.WriteString(e)
	}
	w.buf.WriteByte(w.d.Segment)
	if w.lineBreaks {
		w.buf.WriteByte('\n')
	}
}
