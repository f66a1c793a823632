package records

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/tend-portal/tend/internal/pdftext"
)

// Page geometry, in millimetres on US Letter.
const (
	margin    = 18.0
	lineH     = 5.0
	bodyWidth = 215.9 - 2*margin
)

// WritePDF writes rec as a PDF: a header on every page naming the
// provider, the client, their date of birth and the export date; the
// client's details, forms with answers, measures and notes in sections;
// and a footer on every page with "Confidential" and "Page n of N".
// Times are shown in the provider's time zone. Text outside the
// Windows-1252 range of the PDF core fonts is transliterated (see
// pdftext.Printable), so accented names come out right.
func WritePDF(w io.Writer, rec Record) error {
	loc, err := time.LoadLocation(rec.Practice.TimeZone)
	if err != nil || rec.Practice.TimeZone == "" {
		loc = time.UTC
	}
	p := &page{loc: loc}
	p.pdf, p.tr = pdftext.Letter("Client record", rec.ExportedAt, margin)
	p.pdf.SetHeaderFunc(func() { p.header(rec) })
	p.pdf.SetFooterFunc(p.footer)

	p.pdf.AddPage()
	p.clientSection(rec.Client)
	p.formsSection(rec.Forms)
	p.measuresSection(rec.Measures)
	p.notesSection(rec.Notes)

	if err := p.pdf.Output(w); err != nil {
		return fmt.Errorf("records: write PDF: %w", err)
	}
	return nil
}

// page wraps the document with the text translator and time zone.
type page struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
	loc *time.Location
}

func (p *page) text(s string) string { return pdftext.Printable(p.tr, s) }

func (p *page) header(rec Record) {
	c := rec.Client
	p.pdf.SetFont("Helvetica", "B", 11)
	p.pdf.CellFormat(bodyWidth/2, lineH, p.text(rec.Practice.ProviderName), "", 0, "L", false, 0, "")
	p.pdf.CellFormat(bodyWidth/2, lineH, p.text(clientName(c)), "", 1, "R", false, 0, "")
	p.pdf.SetFont("Helvetica", "", 9)
	left := "Client record, exported " + p.date(rec.ExportedAt)
	if rec.Practice.NPI != "" {
		left = "NPI " + rec.Practice.NPI + " - " + left
	}
	p.pdf.CellFormat(bodyWidth/2, lineH, p.text(left), "", 0, "L", false, 0, "")
	dob := "Date of birth " + orDash(c.DateOfBirth)
	p.pdf.CellFormat(bodyWidth/2, lineH, p.text(dob), "", 1, "R", false, 0, "")
	y := p.pdf.GetY() + 1
	p.pdf.Line(margin, y, margin+bodyWidth, y)
	p.pdf.SetY(y + 4)
}

func (p *page) footer() {
	p.pdf.SetY(-margin + 4)
	p.pdf.SetFont("Helvetica", "I", 8)
	p.pdf.CellFormat(bodyWidth/2, lineH,
		"Confidential - protected health information", "", 0, "L", false, 0, "")
	p.pdf.CellFormat(bodyWidth/2, lineH,
		fmt.Sprintf("Page %d of {nb}", p.pdf.PageNo()), "", 0, "R", false, 0, "")
}

// heading starts a section, on a new page when little room is left.
func (p *page) heading(title string) {
	_, pageH := p.pdf.GetPageSize()
	if p.pdf.GetY() > pageH-margin-30 {
		p.pdf.AddPage()
	}
	p.pdf.Ln(3)
	p.pdf.SetFont("Helvetica", "B", 14)
	p.pdf.CellFormat(bodyWidth, 8, p.text(title), "B", 1, "L", false, 0, "")
	p.pdf.Ln(2)
}

// subheading names one form or note.
func (p *page) subheading(title, detail string) {
	_, pageH := p.pdf.GetPageSize()
	if p.pdf.GetY() > pageH-margin-20 {
		p.pdf.AddPage()
	}
	p.pdf.Ln(2)
	p.pdf.SetFont("Helvetica", "B", 11)
	p.pdf.MultiCell(bodyWidth, 6, p.text(title), "", "L", false)
	if detail != "" {
		p.pdf.SetFont("Helvetica", "", 9)
		p.pdf.MultiCell(bodyWidth, lineH, p.text(detail), "", "L", false)
	}
}

// field writes a label and its value; empty values are skipped.
func (p *page) field(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	p.pdf.SetFont("Helvetica", "B", 10)
	p.pdf.MultiCell(bodyWidth, lineH, p.text(label), "", "L", false)
	p.pdf.SetFont("Helvetica", "", 10)
	p.pdf.MultiCell(bodyWidth, lineH, p.text(value), "", "L", false)
	p.pdf.Ln(1)
}

// row writes "label: value" on one line, for short facts.
func (p *page) row(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	p.pdf.SetFont("Helvetica", "B", 10)
	p.pdf.CellFormat(45, lineH, p.text(label), "", 0, "L", false, 0, "")
	p.pdf.SetFont("Helvetica", "", 10)
	p.pdf.MultiCell(bodyWidth-45, lineH, p.text(value), "", "L", false)
}

func (p *page) none(what string) {
	p.pdf.SetFont("Helvetica", "I", 10)
	p.pdf.MultiCell(bodyWidth, lineH, p.text(what), "", "L", false)
}

// date shows t as a calendar date in the provider's zone.
func (p *page) date(t time.Time) string { return t.In(p.loc).Format("January 2, 2006") }

// when shows t with the time of day and the zone.
func (p *page) when(t time.Time) string {
	return t.In(p.loc).Format("January 2, 2006 3:04 PM MST")
}

func clientName(c Client) string {
	name := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if c.PreferredName != "" && c.PreferredName != c.FirstName {
		name += " (" + c.PreferredName + ")"
	}
	return name
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
