package x12

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// Parse reads one interchange. It finds the separators in the ISA
// segment, splits the rest into segments and checks the envelope: every
// header has its trailer, the trailers' counts are right and their
// control numbers match. Line breaks after segment terminators are
// allowed; anything after IEA is not.
func Parse(data []byte) (*Interchange, error) {
	data = bytes.TrimLeft(data, "\ufeff \t\r\n")
	if len(data) < isaLen || string(data[:3]) != "ISA" {
		return nil, errors.New("x12: the file does not start with an ISA segment")
	}

	ix := &Interchange{}
	d := Delimiters{
		Element:   data[3],
		Component: data[isaLen-2],
		Segment:   data[isaLen-1],
	}
	isa := Segment(strings.Split(string(data[:isaLen-1]), string(d.Element)))
	if err := checkISA(isa); err != nil {
		return nil, err
	}
	// Before 00501, ISA11 was a standards id ("U"), not a separator.
	if r := isa[11][0]; !isDataByte(r) {
		d.Repetition = r
	}
	if err := d.validateRead(); err != nil {
		return nil, err
	}
	ix.Delimiters, ix.Header = d, isa

	rest := data[isaLen:]
	ix.LineBreaks = len(rest) > 0 && (rest[0] == '\n' || rest[0] == '\r')
	p := parser{ix: ix, pos: 1}
	for raw := range bytes.SplitSeq(rest, []byte{d.Segment}) {
		text := strings.Trim(string(raw), "\r\n")
		if text == "" {
			continue
		}
		p.pos++
		if err := p.segment(Segment(strings.Split(text, string(d.Element)))); err != nil {
			return nil, err
		}
	}
	if p.state != afterIEA {
		return nil, &SyntaxError{p.pos, "IEA", "the file ends before IEA"}
	}
	return ix, nil
}

// validateRead is validate for a file someone else wrote, where a
// missing repetition separator is allowed.
func (d Delimiters) validateRead() error {
	if d.Repetition == 0 {
		d.Repetition = 0x1f // a byte no file uses, so validate passes
	}
	return d.validate()
}

type parseState int

const (
	inInterchange parseState = iota // after ISA or GE
	inGroup                         // after GS or SE
	inTransaction                   // after ST
	afterIEA
)

// parser walks the segments after ISA, building the interchange and
// checking each trailer against its header.
type parser struct {
	ix    *Interchange
	pos   int
	state parseState
	count int // segments in the open transaction, ST included
}

func (p *parser) segment(s Segment) error {
	fail := func(msg string) error { return &SyntaxError{p.pos, s.ID(), msg} }
	if s.ID() == "" {
		return fail("a segment has no id")
	}
	switch p.state {
	case inInterchange:
		switch s.ID() {
		case "GS":
			p.ix.Groups = append(p.ix.Groups, Group{Header: s})
			p.state = inGroup
			return nil
		case "IEA":
			if err := trailer(s, len(p.ix.Groups), p.ix.Control()); err != "" {
				return fail(err)
			}
			p.state = afterIEA
			return nil
		}
		return fail("expected GS or IEA")
	case inGroup:
		g := &p.ix.Groups[len(p.ix.Groups)-1]
		switch s.ID() {
		case "ST":
			g.Transactions = append(g.Transactions, Transaction{Header: s})
			p.state, p.count = inTransaction, 1
			return nil
		case "GE":
			if err := trailer(s, len(g.Transactions), g.Header.Elem(6)); err != "" {
				return fail(err)
			}
			p.state = inInterchange
			return nil
		}
		return fail("expected ST or GE")
	case inTransaction:
		g := &p.ix.Groups[len(p.ix.Groups)-1]
		t := &g.Transactions[len(g.Transactions)-1]
		p.count++
		switch s.ID() {
		case "SE":
			if err := trailer(s, p.count, t.Header.Elem(2)); err != "" {
				return fail(err)
			}
			p.state = inGroup
			return nil
		case "ISA", "GS", "ST", "IEA", "GE":
			return fail("expected SE before " + s.ID())
		}
		t.Body = append(t.Body, s)
		return nil
	}
	return fail("data after IEA")
}

// trailer checks a trailer segment: element 1 counts what it closes,
// element 2 repeats the header's control number. It returns what is
// wrong, or "".
func trailer(s Segment, count int, control string) string {
	n, err := strconv.Atoi(s.Elem(1))
	switch {
	case err != nil || n != count:
		return "counts " + s.Elem(1) + ", the file has " + strconv.Itoa(count)
	case s.Elem(2) != control:
		return "control number " + s.Elem(2) + " does not match " + control
	}
	return ""
}
