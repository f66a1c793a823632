package printout

import (
	"strconv"

	"github.com/tend-portal/tend/internal/forms"
)

// Layout of a measure's table, in millimetres and points.
const (
	scaleCols = 4    // responses, scored 0 to 3
	scaleColW = 22.0 // one response column
	numW      = 8.0  // the item number
	itemW     = bodyWidth - scaleCols*scaleColW
	itemSize  = 9.5 // points
	itemH     = 4.5
	headSize  = 8.0 // points
	headH     = 3.6
	boxSize   = 3.8
	totalH    = lineH + 3 // the line for the total score
)

// scaleTable writes scale items as a table: each item numbered with its
// label on the left and a box under each response on the right, the
// responses and their scores heading the columns on every page the
// table reaches. A measure's table ends with a line for the total.
func (d *doc) scaleTable(items []forms.Field, total bool) {
	p := d.pdf
	responses := items[0].Options
	need := func(i int) float64 {
		h := d.itemHeight(items[i])
		if total && i == len(items)-1 {
			h += totalH // the total goes with the last item
		}
		return h
	}
	d.keep(d.scaleHeadHeight(responses) + need(0))
	d.scaleHead(responses)
	for i, f := range items {
		if d.keep(need(i)) {
			d.scaleHead(responses)
		}
		d.scaleRow(i+1, f, d.itemHeight(f))
	}
	if total {
		p.Ln(totalH - lineH)
		d.setFont("B", 10)
		p.CellFormat(bodyWidth, lineH, "Total score: ______", "", 1, "R",
			false, 0, "")
	}
	p.Ln(fieldGap)
}

// response is the label of the response scored n, or "" when the item
// names fewer.
func response(responses []string, n int) string {
	if n < len(responses) {
		return responses[n]
	}
	return ""
}

// scaleHeadHeight is the height of the table's heading row.
func (d *doc) scaleHeadHeight(responses []string) float64 {
	d.setFont("B", headSize)
	n := 1
	for i := range scaleCols {
		n = max(n, d.lines(response(responses, i), scaleColW))
	}
	return float64(n)*headH + 7
}

// scaleHead writes the heading row: each response over its score.
func (d *doc) scaleHead(responses []string) {
	p := d.pdf
	h := d.scaleHeadHeight(responses)
	y := p.GetY()
	p.SetFillColor(235, 235, 235)
	p.Rect(margin, y, bodyWidth, h, "F")
	d.setFont("B", headSize)
	for i := range scaleCols {
		x := margin + itemW + float64(i)*scaleColW
		p.SetXY(x, y+1)
		p.MultiCell(scaleColW, headH, d.text(response(responses, i)), "",
			"C", false)
		p.SetXY(x, y+h-5)
		p.CellFormat(scaleColW, 4, strconv.Itoa(i), "", 0, "C", false, 0, "")
	}
	p.SetXY(margin, y+h)
}

// itemHeight is the height of an item's row.
func (d *doc) itemHeight(f forms.Field) float64 {
	d.setFont("", itemSize)
	h := float64(d.lines(f.Label, itemW-numW)) * itemH
	if f.Help != "" {
		d.setFont("I", helpSize)
		h += float64(d.lines(f.Help, itemW-numW)) * helpH
	}
	return h + 3
}

// scaleRow writes item n, h high: its number and label, its help, an
// empty box under each response and a rule underneath.
func (d *doc) scaleRow(n int, f forms.Field, h float64) {
	p := d.pdf
	y := p.GetY()
	d.setFont("", itemSize)
	p.SetXY(margin, y+1.5)
	p.CellFormat(numW, itemH, strconv.Itoa(n)+".", "", 0, "L", false, 0, "")
	p.SetXY(margin+numW, y+1.5)
	p.MultiCell(itemW-numW, itemH, d.text(f.Label), "", "L", false)
	if f.Help != "" {
		d.setFont("I", helpSize)
		p.SetX(margin + numW)
		p.MultiCell(itemW-numW, helpH, d.text(f.Help), "", "L", false)
	}
	for i := range scaleCols {
		x := margin + itemW + float64(i)*scaleColW + (scaleColW-boxSize)/2
		p.Rect(x, y+(h-boxSize)/2, boxSize, boxSize, "D")
	}
	p.SetDrawColor(190, 190, 190)
	p.Line(margin, y+h, margin+bodyWidth, y+h)
	p.SetDrawColor(0, 0, 0)
	p.SetXY(margin, y+h)
}
