package printout

import (
	"github.com/tend-portal/tend/internal/forms"
)

// columns says how many to a row the options fit side by side, each
// column a quarter of the page or wider; 1 when any option needs most
// of the line, and the options then go one under another, wrapped.
func (d *doc) columns(opts []string) int {
	d.setFont("", 10)
	widest := 0.0
	for _, o := range opts {
		widest = max(widest, d.pdf.GetStringWidth(d.text(o)))
	}
	cols := int(bodyWidth / (widest + markW + 6))
	return max(1, min(cols, maxCols))
}

// optionHeight is the height of one option written one to a line.
func (d *doc) optionHeight(o string) float64 {
	d.setFont("", 10)
	return float64(max(1, d.lines(o, bodyWidth-markW)))*lineH + 1
}

// choices writes the options of a choice, each after an empty circle
// (one answer) or square (several answers).
func (d *doc) choices(f forms.Field) {
	p := d.pdf
	p.Ln(1)
	d.setFont("", 10)
	cols := d.columns(f.Options)
	if cols > 1 {
		colW := bodyWidth / float64(cols)
		for i, o := range f.Options {
			x := margin + float64(i%cols)*colW
			y := p.GetY()
			d.mark(f.Type, x, y)
			p.SetXY(x+markW, y)
			p.CellFormat(colW-markW, optionH, d.text(o), "", 0, "L",
				false, 0, "")
			if i%cols == cols-1 || i == len(f.Options)-1 {
				p.SetXY(margin, y+optionH)
			}
		}
		return
	}
	for _, o := range f.Options {
		h := d.optionHeight(o)
		y := p.GetY()
		d.mark(f.Type, margin, y)
		p.SetXY(margin+markW, y+0.5)
		p.MultiCell(bodyWidth-markW, lineH, d.text(o), "", "L", false)
		p.SetXY(margin, y+h)
	}
}

// mark draws the empty circle or square before an option whose line
// starts at x, y.
func (d *doc) mark(t forms.FieldType, x, y float64) {
	const size = 3.2
	x += d.pdf.GetCellMargin() // in line with the text above
	mid := y + optionH/2
	if t == forms.MultiChoice {
		d.pdf.Rect(x, mid-size/2, size, size, "D")
		return
	}
	d.pdf.Circle(x+size/2, mid, size/2, "D")
}

// signature writes lines for a signature, the date and the printed
// name, each captioned underneath.
func (d *doc) signature() {
	const gap = 8.0
	sigW := bodyWidth * 0.62
	dateX := margin + sigW + gap
	y := d.pdf.GetY()
	d.blank(margin, y, sigW, "Signature")
	d.blank(dateX, y, margin+bodyWidth-dateX, "Date")
	d.blank(margin, y+sigRowH, sigW, "Printed name")
	d.pdf.SetXY(margin, y+2*sigRowH)
}

// blank draws a line w wide at x to write on, in a row starting at y,
// with its caption in small type underneath.
func (d *doc) blank(x, y, w float64, caption string) {
	p := d.pdf
	lineY := y + sigRowH - 5
	p.SetDrawColor(120, 120, 120)
	p.Line(x, lineY, x+w, lineY)
	p.SetDrawColor(0, 0, 0)
	p.SetXY(x, lineY+0.5)
	d.setFont("", 8)
	p.CellFormat(w, 3.5, caption, "", 0, "L", false, 0, "")
}
