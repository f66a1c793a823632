package forms

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Chart geometry: margins around the plot, in SVG units.
const (
	chartLeft   = 44
	chartRight  = 16
	chartTop    = 12
	chartBottom = 40
)

// bandFills shade the severity bands from minimal to severe.
var bandFills = []string{"#e8f5e9", "#fffde7", "#fff3e0", "#ffe0b2", "#ffcdd2"}

// InstrumentName returns an instrument's display name, e.g. "PHQ-9".
func InstrumentName(instrument string) string {
	switch instrument {
	case InstrumentPHQ9:
		return "PHQ-9"
	case InstrumentGAD7:
		return "GAD-7"
	}
	return instrument
}

// TrendSVG draws an instrument's scores over time as a small line chart
// for embedding in a page: severity bands shaded behind the line, the
// band edges on the vertical axis, the first and last dates below, and
// a point per score with its date, total and band as a tooltip. The
// chart carries a <title> and a <desc> for screen readers. Scores of
// other instruments are ignored; with none left it says "No scores
// yet". Every text is escaped and the SVG holds no script.
func TrendSVG(scores []Score, instrument string, width, height int) string {
	width, height = max(width, 200), max(height, 120)
	var pts []Score
	for _, sc := range scores {
		if sc.Instrument == instrument {
			pts = append(pts, sc)
		}
	}
	top := MaxTotal(instrument)
	for _, sc := range pts {
		top = max(top, sc.Total)
	}
	top = max(top, 1)

	name := InstrumentName(instrument)
	id := "trend-" + idSafe(instrument)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" `+
		`width="%d" height="%d" role="img" aria-labelledby="%s-title %s-desc">`,
		width, height, width, height, id, id)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title>`, id, esc(name+" scores over time"))
	fmt.Fprintf(&b, `<desc id="%s-desc">%s</desc>`, id, esc(describe(pts, name)))

	plotW := float64(width - chartLeft - chartRight)
	plotH := float64(height - chartTop - chartBottom)
	y := func(v int) float64 { return chartTop + plotH - plotH*float64(v)/float64(top) }

	// Bands, lowest first, each up to the next edge.
	lo := 0
	for i, edge := range append(bandEdges(instrument), top+1) {
		hi := min(edge, top+1)
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`,
			chartLeft, y(min(hi, top)), plotW, y(lo)-y(min(hi, top)),
			bandFills[min(i, len(bandFills)-1)])
		lo = hi
	}

	// Axes and vertical labels: zero, each band edge and the top.
	fmt.Fprintf(&b, `<g fill="none" stroke="#555" stroke-width="1">`+
		`<path d="M%d %d V%.1f H%.1f"/></g>`,
		chartLeft, chartTop, y(0), chartLeft+plotW)
	b.WriteString(`<g font-family="sans-serif" font-size="11" fill="#333" text-anchor="end">`)
	for _, v := range append(append([]int{0}, bandEdges(instrument)...), top) {
		fmt.Fprintf(&b, `<text x="%d" y="%.1f">%d</text>`, chartLeft-6, y(v)+4, v)
	}
	b.WriteString(`</g>`)
	fmt.Fprintf(&b, `<text x="12" y="%.1f" font-family="sans-serif" font-size="11" `+
		`fill="#333" text-anchor="middle" transform="rotate(-90 12 %.1f)">%s</text>`,
		chartTop+plotH/2, chartTop+plotH/2, esc(name+" total"))

	if len(pts) == 0 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-family="sans-serif" font-size="13" `+
			`fill="#333" text-anchor="middle">No scores yet</text></svg>`,
			chartLeft+plotW/2, chartTop+plotH/2)
		return b.String()
	}

	// Points placed by date; a single date sits in the middle.
	first, last := pts[0].At, pts[len(pts)-1].At
	span := last.Sub(first)
	x := func(at time.Time) float64 {
		if span <= 0 {
			return chartLeft + plotW/2
		}
		return chartLeft + 8 + (plotW-16)*float64(at.Sub(first))/float64(span)
	}
	coords := make([]string, len(pts))
	for i, sc := range pts {
		coords[i] = fmt.Sprintf("%.1f,%.1f", x(sc.At), y(sc.Total))
	}
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#0b6e4f" stroke-width="2" points="%s"/>`,
		strings.Join(coords, " "))
	for _, sc := range pts {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#0b6e4f">`+
			`<title>%s</title></circle>`, x(sc.At), y(sc.Total), esc(pointLabel(sc)))
	}

	// Dates below the axis: the first and, when different, the last.
	fmt.Fprintf(&b, `<g font-family="sans-serif" font-size="11" fill="#333">`)
	anchor := "start"
	if span <= 0 {
		anchor = "middle"
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s">%s</text>`,
		x(first), y(0)+16, anchor, esc(first.Format("Jan 2, 2006")))
	if span > 0 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`,
			x(last), y(0)+16, esc(last.Format("Jan 2, 2006")))
	}
	b.WriteString(`</g></svg>`)
	return b.String()
}

// describe summarizes the chart in a sentence for screen readers.
func describe(pts []Score, name string) string {
	if len(pts) == 0 {
		return "No " + name + " scores yet."
	}
	first, last := pts[0], pts[len(pts)-1]
	if len(pts) == 1 {
		return fmt.Sprintf("One %s score: %s.", name, pointLabel(first))
	}
	return fmt.Sprintf("%d %s scores from %s to %s. First %d (%s), latest %d (%s).",
		len(pts), name, first.At.Format("Jan 2, 2006"), last.At.Format("Jan 2, 2006"),
		first.Total, BandLabel(first.Band), last.Total, BandLabel(last.Band))
}

func pointLabel(sc Score) string {
	return fmt.Sprintf("%s: %d (%s)", sc.At.Format("Jan 2, 2006"), sc.Total, BandLabel(sc.Band))
}

// esc escapes text for XML content and attribute values.
func esc(s string) string { return html.EscapeString(s) }

// idSafe keeps letters, digits and hyphens for use in an element id.
func idSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return b.String()
}
