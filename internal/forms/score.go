package forms

import (
	"context"
	"fmt"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// Severity bands of the measures.
const (
	BandMinimal          = "minimal"
	BandMild             = "mild"
	BandModerate         = "moderate"
	BandModeratelySevere = "moderately_severe"
	BandSevere           = "severe"
)

// BandLabel returns a band's name for people, e.g. "Moderately severe".
func BandLabel(band string) string {
	switch band {
	case BandMinimal:
		return "Minimal"
	case BandMild:
		return "Mild"
	case BandModerate:
		return "Moderate"
	case BandModeratelySevere:
		return "Moderately severe"
	case BandSevere:
		return "Severe"
	}
	return band
}

// MaxTotal returns the highest possible score of an instrument, or 0.
func MaxTotal(instrument string) int {
	switch instrument {
	case InstrumentPHQ9:
		return 27
	case InstrumentGAD7:
		return 21
	}
	return 0
}

// BandPHQ9 returns the PHQ-9 severity band of a total from 0 to 27:
// 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe,
// 20-27 severe.
func BandPHQ9(total int) string {
	switch {
	case total <= 4:
		return BandMinimal
	case total <= 9:
		return BandMild
	case total <= 14:
		return BandModerate
	case total <= 19:
		return BandModeratelySevere
	}
	return BandSevere
}

// BandGAD7 returns the GAD-7 severity band of a total from 0 to 21:
// 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
func BandGAD7(total int) string {
	switch {
	case total <= 4:
		return BandMinimal
	case total <= 9:
		return BandMild
	case total <= 14:
		return BandModerate
	}
	return BandSevere
}

// bandEdges are the lowest totals of each band after the first, for
// charts.
func bandEdges(instrument string) []int {
	switch instrument {
	case InstrumentPHQ9:
		return []int{5, 10, 15, 20}
	case InstrumentGAD7:
		return []int{5, 10, 15}
	}
	return nil
}

// ScorePHQ9 scores PHQ-9 answers: items "item1" to "item9", each "0" to
// "3". Every item must be answered.
func ScorePHQ9(answers map[string]string) (Score, error) {
	total, items, err := sumItems(answers, 9)
	if err != nil {
		return Score{}, fmt.Errorf("forms: score PHQ-9: %w", err)
	}
	return Score{Instrument: InstrumentPHQ9, Total: total, Band: BandPHQ9(total),
		Item9Positive: items[8] > 0}, nil
}

// ScoreGAD7 scores GAD-7 answers: items "item1" to "item7", each "0" to
// "3". Every item must be answered.
func ScoreGAD7(answers map[string]string) (Score, error) {
	total, _, err := sumItems(answers, 7)
	if err != nil {
		return Score{}, fmt.Errorf("forms: score GAD-7: %w", err)
	}
	return Score{Instrument: InstrumentGAD7, Total: total, Band: BandGAD7(total)}, nil
}

func sumItems(answers map[string]string, n int) (int, []int, error) {
	total, items := 0, make([]int, n)
	for i := range n {
		v := answers[itemKey(i+1)]
		if len(v) != 1 || v[0] < '0' || v[0] > '3' {
			return 0, nil, fmt.Errorf("item %d is %q, want 0 to 3", i+1, v)
		}
		items[i] = int(v[0] - '0')
		total += items[i]
	}
	return total, items, nil
}

// scoreOf scores answers when instrument is a measure, else nil.
func scoreOf(instrument string, answers map[string]string) (*Score, error) {
	var sc Score
	var err error
	switch instrument {
	case InstrumentPHQ9:
		sc, err = ScorePHQ9(answers)
	case InstrumentGAD7:
		sc, err = ScoreGAD7(answers)
	case "":
		return nil, nil
	default:
		return nil, fmt.Errorf("forms: unknown instrument %q", instrument)
	}
	if err != nil {
		return nil, err
	}
	return &sc, nil
}

// Measures returns a client's measure scores, oldest first, for their
// provider or the client themself. The read is audited.
func (s *Service) Measures(ctx context.Context, actor access.Actor, clientID string) ([]Score, error) {
	owner, err := reachClient(ctx, s.db.Reader(), actor, clientID)
	if err != nil {
		return nil, fmt.Errorf("forms: measures: %w", err)
	}
	rows, err := s.db.Reader().QueryContext(ctx, `SELECT id, instrument,
		score_total, score_band, signed_at, item9_positive
		FROM form_assignments
		WHERE client_id = $1 AND status = 'signed' AND score_total IS NOT NULL
		ORDER BY signed_at, id`, clientID)
	if err != nil {
		return nil, fmt.Errorf("forms: measures: %w", store.Translate(err))
	}
	defer rows.Close()
	var out []Score
	for rows.Next() {
		var sc Score
		err := rows.Scan(&sc.AssignmentID, &sc.Instrument, &sc.Total, &sc.Band,
			&sc.At, &sc.Item9Positive)
		if err != nil {
			return nil, fmt.Errorf("forms: measures: %w", store.Translate(err))
		}
		sc.At = sc.At.UTC()
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forms: measures: %w", store.Translate(err))
	}

	err = s.audit.Record(ctx, nil, actor, audit.Entry{
		Action:     "forms.measures.read",
		ObjectType: "client",
		ObjectID:   clientID,
		ProviderID: owner,
		ClientID:   clientID,
		Detail:     fmt.Sprintf("count=%d", len(out)),
	})
	if err != nil {
		return nil, fmt.Errorf("forms: measures: %w", err)
	}
	return out, nil
}
