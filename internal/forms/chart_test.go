package forms

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// elements decodes svg as XML, failing if it is not well formed, and
// counts its elements by name.
func elements(t testing.TB, svg string) map[string]int {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	counts := map[string]int{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
		}
	}
	return counts
}

func TestTrendSVG(t *testing.T) {
	day := func(d int) time.Time { return start.AddDate(0, 0, d) }
	scores := []Score{
		{Instrument: InstrumentPHQ9, Total: 18, Band: BandModeratelySevere, At: day(0)},
		{Instrument: InstrumentGAD7, Total: 12, Band: BandModerate, At: day(3)},
		{Instrument: InstrumentPHQ9, Total: 11, Band: BandModerate, At: day(14)},
		{Instrument: InstrumentPHQ9, Total: 6, Band: BandMild, At: day(28)},
	}
	tests := []struct {
		name       string
		scores     []Score
		instrument string
		points     int
		rects      int
		contains   []string
	}{
		{"phq9", scores, InstrumentPHQ9, 3, 5, []string{"PHQ-9 scores over time",
			"3 PHQ-9 scores from Mar 2, 2026 to Mar 30, 2026", "Mar 30, 2026: 6 (Mild)",
			"<polyline", `role="img"`}},
		{"gad7", scores, InstrumentGAD7, 1, 4, []string{"GAD-7 scores over time",
			"One GAD-7 score: Mar 5, 2026: 12 (Moderate)."}},
		{"none", nil, InstrumentPHQ9, 0, 5, []string{"No scores yet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := TrendSVG(tt.scores, tt.instrument, 480, 220)
			counts := elements(t, svg)
			if counts["circle"] != tt.points {
				t.Errorf("%d points, want %d", counts["circle"], tt.points)
			}
			if counts["rect"] != tt.rects {
				t.Errorf("%d band rects, want %d", counts["rect"], tt.rects)
			}
			if counts["title"] < 1 || counts["desc"] != 1 {
				t.Errorf("title/desc missing: %v", counts)
			}
			for _, want := range tt.contains {
				if !strings.Contains(svg, want) {
					t.Errorf("svg lacks %q:\n%s", want, svg)
				}
			}
		})
	}
}

func TestTrendSVGEscapes(t *testing.T) {
	hostile := `"><script>alert(1)</script><x a='`
	svg := TrendSVG([]Score{{Instrument: hostile, Total: 3, Band: `<b>&`, At: start}},
		hostile, 300, 150)
	elements(t, svg)
	if strings.Contains(svg, "<script") || strings.Contains(svg, "<b>") {
		t.Fatalf("unescaped text in svg:\n%s", svg)
	}
	if !strings.Contains(svg, "&lt;script&gt;") {
		t.Errorf("escaped instrument name missing:\n%s", svg)
	}
}
