package printout

import (
	"slices"

	"github.com/tend-portal/tend/internal/forms"
)

// Spacing of a paper form, in millimetres.
const (
	ruleH    = 9.0  // one ruled line to write on
	optionH  = 6.0  // one option of a choice
	markW    = 6.0  // an option's text starts this far right of its mark
	maxCols  = 4    // short options sit up to this many to a row
	helpSize = 8.5  // points, for help text and notes
	helpH    = 4.0  // line height of help text
	sigRowH  = 16.0 // a signature line with its caption
	fieldGap = 5.0  // space after a field
)

// known reports whether the form knows how to lay out fields of type t.
func known(t forms.FieldType) bool {
	switch t {
	case forms.ShortText, forms.LongText, forms.SingleChoice,
		forms.MultiChoice, forms.Date, forms.Signature, forms.Scale:
		return true
	}
	return false
}

// form writes the title, the description and every field of t.
func (d *doc) form(t forms.Template) {
	p := d.pdf
	d.setFont("B", 16)
	p.MultiCell(bodyWidth, 7.5, d.text(t.Title), "", "L", false)
	if required(t.Fields) {
		d.setFont("I", helpSize)
		p.MultiCell(bodyWidth, helpH, "* required", "", "L", false)
	}
	p.Ln(2)
	if t.Description != "" {
		d.setFont("", 10)
		p.MultiCell(bodyWidth, lineH, d.text(t.Description), "", "L", false)
	}
	p.Ln(5)

	// Runs of scale items sharing their responses become one table.
	fs := t.Fields
	for i := 0; i < len(fs); {
		if fs[i].Type != forms.Scale {
			d.field(fs[i])
			i++
			continue
		}
		j := i + 1
		for j < len(fs) && fs[j].Type == forms.Scale &&
			slices.Equal(fs[j].Options, fs[i].Options) {
			j++
		}
		d.scaleTable(fs[i:j], t.Kind == forms.KindMeasure)
		i = j
	}
}

// required reports whether any field is marked required. Scale items
// are not: a measure's items are all answered, and its table shows no
// marks.
func required(fs []forms.Field) bool {
	for _, f := range fs {
		if f.Required && f.Type != forms.Scale {
			return true
		}
	}
	return false
}

// field writes one field's label and help and the space to answer in,
// on a new page when they do not fit together on this one.
func (d *doc) field(f forms.Field) {
	d.keep(d.headHeight(f) + d.answerHeight(f))
	d.head(f)
	switch f.Type {
	case forms.ShortText:
		d.rules(1)
	case forms.LongText:
		d.rules(4)
	case forms.Date:
		d.setFont("", 10)
		d.pdf.CellFormat(bodyWidth, ruleH,
			"____ / ____ / ________  (MM / DD / YYYY)", "", 1, "L",
			false, 0, "")
	case forms.SingleChoice, forms.MultiChoice:
		d.choices(f)
	case forms.Signature:
		d.signature()
	}
	d.pdf.Ln(fieldGap)
}

// paperHelp is a field's help as the printed form shows it. A
// signature's help explains typing one's name in the portal, which
// means nothing on paper, so it is left out.
func paperHelp(f forms.Field) string {
	if f.Type == forms.Signature {
		return ""
	}
	return f.Help
}

// headHeight is the height of what head writes.
func (d *doc) headHeight(f forms.Field) float64 {
	d.setFont("B", 10)
	h := float64(d.lines(label(f), bodyWidth)) * lineH
	if help := paperHelp(f); help != "" {
		d.setFont("I", helpSize)
		h += float64(d.lines(help, bodyWidth))*helpH + 0.5
	}
	if f.Type == forms.MultiChoice {
		h += helpH
	}
	return h
}

// head writes a field's label, its help and, for a multiple choice,
// how to answer it.
func (d *doc) head(f forms.Field) {
	p := d.pdf
	d.setFont("B", 10)
	p.MultiCell(bodyWidth, lineH, d.text(label(f)), "", "L", false)
	if help := paperHelp(f); help != "" {
		d.setFont("I", helpSize)
		p.MultiCell(bodyWidth, helpH, d.text(help), "", "L", false)
		p.Ln(0.5)
	}
	if f.Type == forms.MultiChoice {
		d.setFont("I", helpSize)
		p.MultiCell(bodyWidth, helpH, "(check all that apply)", "", "L",
			false)
	}
}

// label is a field's label, with " *" when it is required.
func label(f forms.Field) string {
	if f.Required {
		return f.Label + " *"
	}
	return f.Label
}

// answerHeight is the height of the space to answer f in.
func (d *doc) answerHeight(f forms.Field) float64 {
	switch f.Type {
	case forms.ShortText, forms.Date:
		return ruleH
	case forms.LongText:
		return 4 * ruleH
	case forms.SingleChoice, forms.MultiChoice:
		cols := d.columns(f.Options)
		if cols > 1 {
			rows := (len(f.Options) + cols - 1) / cols
			return 1 + float64(rows)*optionH
		}
		h := 1.0
		for _, o := range f.Options {
			h += d.optionHeight(o)
		}
		return h
	case forms.Signature:
		return 2 * sigRowH
	}
	return 0
}

// rules draws n lines across the page to write on.
func (d *doc) rules(n int) {
	p := d.pdf
	p.SetDrawColor(120, 120, 120)
	for range n {
		y := p.GetY() + ruleH - 1
		p.Line(margin, y, margin+bodyWidth, y)
		p.SetY(p.GetY() + ruleH)
	}
	p.SetDrawColor(0, 0, 0)
}
