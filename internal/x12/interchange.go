package x12

import (
	"fmt"
	"strings"
)

// Interchange is one ISA…IEA envelope: the unit a clearinghouse receives
// or sends back. Trailer segments (SE, GE, IEA) are not kept: they only
// count and repeat what the headers say, so [Parse] checks them and
// [Marshal] writes them anew.
type Interchange struct {
	Delimiters Delimiters
	// LineBreaks puts a newline after each segment terminator, as many
	// files do for people reading them; readers ignore it.
	LineBreaks bool
	Header     Segment // ISA
	Groups     []Group
}

// Group is one functional group (GS…GE) of transactions of one kind.
type Group struct {
	Header       Segment // GS
	Transactions []Transaction
}

// Transaction is one transaction set (ST…SE): a batch of claims or one
// remittance advice. Body holds the segments between ST and SE.
type Transaction struct {
	Header Segment // ST
	Body   []Segment
}

// Control returns the interchange control number (ISA13).
func (ix *Interchange) Control() string { return ix.Header.Elem(13) }

// Sender returns the interchange sender id (ISA06) without its padding.
func (ix *Interchange) Sender() string {
	return strings.TrimSpace(ix.Header.Elem(6))
}

// Receiver returns the interchange receiver id (ISA08) without its
// padding.
func (ix *Interchange) Receiver() string {
	return strings.TrimSpace(ix.Header.Elem(8))
}

// Production reports whether the interchange is live data (ISA15 "P")
// rather than a test ("T").
func (ix *Interchange) Production() bool { return ix.Header.Elem(15) == "P" }

// Version returns the implementation guide the group follows (GS08),
// such as "005010X222A1".
func (g Group) Version() string { return g.Header.Elem(8) }

// Set returns the transaction set id (ST01), such as "837" or "835".
func (t Transaction) Set() string { return t.Header.Elem(1) }

// isaWidths are the fixed widths of ISA01 to ISA16: the ISA segment is
// always 106 bytes, which is how a reader finds the separators.
var isaWidths = [17]int{0, 2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1}

// isaLen is the length of the ISA segment including its terminator.
const isaLen = 106

// checkISA reports an error when the ISA segment has the wrong number
// of elements or an element of the wrong width.
func checkISA(isa Segment) error {
	if isa.ID() != "ISA" || len(isa) != len(isaWidths) {
		return fmt.Errorf("x12: ISA must have 16 elements, has %d", len(isa)-1)
	}
	for i := 1; i < len(isa); i++ {
		if len(isa[i]) != isaWidths[i] {
			return fmt.Errorf("x12: ISA%02d must be %d characters, is %d",
				i, isaWidths[i], len(isa[i]))
		}
	}
	if c := isa[13]; strings.Trim(c, "0123456789") != "" {
		return fmt.Errorf("x12: ISA13 control number %q is not numeric", c)
	}
	return nil
}

// SyntaxError says where a file breaks the X12 rules: the 1-based
// position of the segment and its id.
type SyntaxError struct {
	Segment int
	ID      string
	Msg     string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("x12: segment %d (%s): %s", e.Segment, e.ID, e.Msg)
}
