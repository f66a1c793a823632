package forms

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestBands(t *testing.T) {
	tests := []struct {
		total      int
		phq9, gad7 string
	}{
		{0, BandMinimal, BandMinimal},
		{4, BandMinimal, BandMinimal},
		{5, BandMild, BandMild},
		{9, BandMild, BandMild},
		{10, BandModerate, BandModerate},
		{14, BandModerate, BandModerate},
		{15, BandModeratelySevere, BandSevere},
		{19, BandModeratelySevere, BandSevere},
		{20, BandSevere, BandSevere},
		{21, BandSevere, BandSevere},
		{27, BandSevere, ""},
	}
	for _, tt := range tests {
		if got := BandPHQ9(tt.total); got != tt.phq9 {
			t.Errorf("BandPHQ9(%d) = %s, want %s", tt.total, got, tt.phq9)
		}
		if tt.gad7 == "" {
			continue
		}
		if got := BandGAD7(tt.total); got != tt.gad7 {
			t.Errorf("BandGAD7(%d) = %s, want %s", tt.total, got, tt.gad7)
		}
	}
}

func TestScorePHQ9(t *testing.T) {
	tests := []struct {
		name    string
		answers map[string]string
		total   int
		band    string
		item9   bool
		wantErr bool
	}{
		{"all zero", measureAnswers(0, 0, 0, 0, 0, 0, 0, 0, 0), 0, BandMinimal, false, false},
		{"minimal top", measureAnswers(1, 1, 1, 1, 0, 0, 0, 0, 0), 4, BandMinimal, false, false},
		{"mild bottom", measureAnswers(1, 1, 1, 1, 1, 0, 0, 0, 0), 5, BandMild, false, false},
		{"mild top", measureAnswers(3, 3, 3, 0, 0, 0, 0, 0, 0), 9, BandMild, false, false},
		{"moderate bottom", measureAnswers(3, 3, 3, 1, 0, 0, 0, 0, 0), 10, BandModerate, false, false},
		{"moderate top", measureAnswers(2, 2, 2, 2, 2, 2, 2, 0, 0), 14, BandModerate, false, false},
		{"moderately severe bottom", measureAnswers(3, 3, 3, 3, 3, 0, 0, 0, 0), 15,
			BandModeratelySevere, false, false},
		{"moderately severe top", measureAnswers(3, 3, 3, 3, 3, 3, 1, 0, 0), 19,
			BandModeratelySevere, false, false},
		{"severe bottom", measureAnswers(3, 3, 3, 3, 3, 3, 2, 0, 0), 20, BandSevere, false, false},
		{"maximum", measureAnswers(3, 3, 3, 3, 3, 3, 3, 3, 3), 27, BandSevere, true, false},
		{"item 9 only", measureAnswers(0, 0, 0, 0, 0, 0, 0, 0, 1), 1, BandMinimal, true, false},
		{"item missing", measureAnswers(0, 0, 0, 0, 0, 0, 0, 0), 0, "", false, true},
		{"out of range", measureAnswers(0, 0, 0, 0, 0, 0, 0, 0, 4), 0, "", false, true},
		{"not a number", map[string]string{"item1": "x"}, 0, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ScorePHQ9(tt.answers)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ScorePHQ9 = %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ScorePHQ9: %v", err)
			}
			if got.Total != tt.total || got.Band != tt.band ||
				got.Item9Positive != tt.item9 || got.Instrument != InstrumentPHQ9 {
				t.Errorf("ScorePHQ9 = %+v, want total %d band %s item9 %t",
					got, tt.total, tt.band, tt.item9)
			}
		})
	}
}

func TestScoreGAD7(t *testing.T) {
	tests := []struct {
		name    string
		answers map[string]string
		total   int
		band    string
		wantErr bool
	}{
		{"all zero", measureAnswers(0, 0, 0, 0, 0, 0, 0), 0, BandMinimal, false},
		{"minimal top", measureAnswers(2, 2, 0, 0, 0, 0, 0), 4, BandMinimal, false},
		{"mild bottom", measureAnswers(2, 2, 1, 0, 0, 0, 0), 5, BandMild, false},
		{"mild top", measureAnswers(3, 3, 3, 0, 0, 0, 0), 9, BandMild, false},
		{"moderate bottom", measureAnswers(3, 3, 3, 1, 0, 0, 0), 10, BandModerate, false},
		{"moderate top", measureAnswers(2, 2, 2, 2, 2, 2, 2), 14, BandModerate, false},
		{"severe bottom", measureAnswers(3, 3, 3, 3, 3, 0, 0), 15, BandSevere, false},
		{"maximum", measureAnswers(3, 3, 3, 3, 3, 3, 3), 21, BandSevere, false},
		{"item missing", measureAnswers(3, 3, 3, 3, 3, 3), 0, "", true},
		{"negative", map[string]string{"item1": "-1"}, 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ScoreGAD7(tt.answers)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ScoreGAD7 = %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ScoreGAD7: %v", err)
			}
			if got.Total != tt.total || got.Band != tt.band || got.Item9Positive {
				t.Errorf("ScoreGAD7 = %+v, want total %d band %s", got, tt.total, tt.band)
			}
		})
	}
}

func TestHashAnswers(t *testing.T) {
	// Keys sorted, no spaces, no HTML escaping.
	canonical := `{"a":"<1> & \"x\"","b":"2","c":"line\nbreak"}`
	sum := sha256.Sum256([]byte(canonical))
	want := hex.EncodeToString(sum[:])
	got := HashAnswers(map[string]string{"c": "line\nbreak", "b": "2", "a": `<1> & "x"`})
	if got != want {
		t.Errorf("HashAnswers = %s, want %s (sha256 of %s)", got, want, canonical)
	}
	if HashAnswers(map[string]string{"a": "1"}) == HashAnswers(map[string]string{"a": "2"}) {
		t.Error("different answers hash the same")
	}
}
