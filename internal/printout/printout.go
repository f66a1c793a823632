package printout

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/pdftext"
)

// Page geometry, in millimetres on US Letter.
const (
	margin    = 18.0
	bodyWidth = 215.9 - 2*margin
	lineH     = 5.0
	font      = "Helvetica"
)

// Letterhead is what heads every printed page: who the provider is and
// how to reach the practice.
type Letterhead struct {
	Name    string   // "Ana Rivera, LCSW"
	NPI     string   // may be ""
	Lines   []string // practice address lines; may be empty
	Contact string   // e.g. "ana@example.com"; may be ""
}

// WriteLetterhead writes one page of letter paper with the letterhead
// at the top and nothing else, for printing letters on. created dates
// the document; the output depends only on the arguments.
func WriteLetterhead(w io.Writer, lh Letterhead, created time.Time) error {
	d := newDoc(lh, "Letterhead", created)
	d.pdf.AddPage()
	return d.output(w, "letterhead")
}

// WriteForm writes template t as a blank form to fill in by hand, every
// page headed by the letterhead and footed by the form's title and
// "Page n of N". Fields are laid out by type (ruled lines, tick boxes,
// signature lines) and a field never starts on one page and ends on the
// next unless it is taller than a page; the scale items of a measure
// form a table with one box per response and a line for the total.
// created dates the document; the output depends only on the arguments.
func WriteForm(w io.Writer, lh Letterhead, t forms.Template,
	created time.Time) error {
	for _, f := range t.Fields {
		if !known(f.Type) {
			return fmt.Errorf("printout: field %q has unknown type %q",
				f.Key, f.Type)
		}
	}
	d := newDoc(lh, t.Title, created)
	d.pdf.SetFooterFunc(func() { d.footer(t.Title) })
	d.pdf.AddPage()
	d.form(t)
	return d.output(w, "form")
}

// doc is one PDF being written, with the letterhead that heads its
// pages.
type doc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string // UTF-8 to the core fonts' cp1252
	lh  Letterhead
	top float64 // where the body starts, below the letterhead
}

func newDoc(lh Letterhead, title string, created time.Time) *doc {
	d := &doc{lh: lh}
	d.pdf, d.tr = pdftext.Letter(title, created, margin)
	d.pdf.SetAuthor(lh.Name, true)
	d.pdf.SetHeaderFunc(d.header)
	return d
}

// output finishes the document and writes it to w, or writes nothing
// when fpdf reported an error along the way.
func (d *doc) output(w io.Writer, what string) error {
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return fmt.Errorf("printout: render %s: %w", what, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("printout: write %s: %w", what, err)
	}
	return nil
}

// Details are the letterhead's lines under the name, as printed: the
// NPI, the address lines and the contact, each when given.
func (lh Letterhead) Details() []string {
	var out []string
	if lh.NPI != "" {
		out = append(out, "NPI "+lh.NPI)
	}
	out = append(out, lh.Lines...)
	if lh.Contact != "" {
		out = append(out, lh.Contact)
	}
	return out
}

// header draws the letterhead: the name large, then the NPI, address
// and contact in small type, then a rule across the page.
func (d *doc) header() {
	p := d.pdf
	p.SetXY(margin, margin)
	if d.lh.Name != "" {
		d.setFont("B", 16)
		p.MultiCell(bodyWidth, 7, d.text(d.lh.Name), "", "L", false)
	}
	d.setFont("", 9)
	p.SetTextColor(70, 70, 70)
	for _, s := range d.lh.Details() {
		p.MultiCell(bodyWidth, 4.2, d.text(s), "", "L", false)
	}
	p.SetTextColor(0, 0, 0)

	y := p.GetY() + 2
	p.SetLineWidth(0.4)
	p.Line(margin, y, margin+bodyWidth, y)
	p.SetLineWidth(0.2)
	p.SetY(y + 6)
	d.top = p.GetY()
}

// footer draws the form's title and the page number.
func (d *doc) footer(title string) {
	p := d.pdf
	p.SetY(-margin + 5)
	d.setFont("", 8)
	p.SetTextColor(70, 70, 70)
	p.CellFormat(bodyWidth*0.7, 4, d.text(title), "", 0, "L", false, 0, "")
	p.CellFormat(bodyWidth*0.3, 4, fmt.Sprintf("Page %d of {nb}", p.PageNo()),
		"", 0, "R", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

// text makes s printable in the core fonts.
func (d *doc) text(s string) string { return pdftext.Printable(d.tr, s) }

func (d *doc) setFont(style string, size float64) {
	d.pdf.SetFont(font, style, size)
}

// lines counts the lines s takes wrapped to width w in the current
// font.
func (d *doc) lines(s string, w float64) int {
	return len(d.pdf.SplitLines([]byte(d.text(s)), w))
}

// keep starts a new page unless h millimetres fit below the current
// position, so that what follows is not split across pages, and
// reports whether it did. At the top of a page it does nothing: what
// does not fit there fits nowhere.
func (d *doc) keep(h float64) bool {
	_, pageH := d.pdf.GetPageSize()
	if d.pdf.GetY()+h <= pageH-margin || d.pdf.GetY() <= d.top {
		return false
	}
	d.pdf.AddPage()
	return true
}
