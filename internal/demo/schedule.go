package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/scheduling/slots"
)

// officeCities gives each demo state's office a plausible address.
var officeCities = map[string][2]string{
	"NY": {"Brooklyn", "11201"}, "CA": {"Oakland", "94612"}, "TX": {"Austin", "78701"},
	"FL": {"Miami", "33130"}, "IL": {"Chicago", "60601"}, "WA": {"Seattle", "98101"},
	"MA": {"Boston", "02108"}, "CO": {"Denver", "80202"}, "NJ": {"Newark", "07102"},
	"MN": {"Minneapolis", "55401"}, "GA": {"Atlanta", "30303"}, "AZ": {"Phoenix", "85004"},
	"HI": {"Honolulu", "96813"}, "OR": {"Portland", "97204"},
}

// availabilityOf is a demo provider's scheduling settings: one office,
// weekdays 09:00–12:00 in the office and 12:00–17:00 by telehealth, the
// default types and rules, and a booking link made from the name
// ("maya-okafor").
func availabilityOf(p Provider) scheduling.Availability {
	city := officeCities[p.State]
	a := scheduling.Availability{ProviderID: p.ID, TimeZone: p.TimeZone,
		Slug:  scheduling.Slugify(p.First + " " + p.Last),
		Types: scheduling.DefaultTypes(), Rules: scheduling.DefaultRules(),
		Telehealth: true,
		Offices: []scheduling.Office{{ID: p.OfficeID, Name: p.Last + " Therapy",
			Line1: fmt.Sprintf("%d Main Street, Suite 2%02d", 100+len(p.Last)*7, len(p.First)),
			City:  city[0], State: p.State, PostalCode: city[1]}},
	}
	for d := time.Monday; d <= time.Friday; d++ {
		a.Weekly[d] = []slots.Range{
			{Start: 9 * time.Hour, End: 12 * time.Hour, Mode: slots.Office, OfficeID: p.OfficeID},
			{Start: 12 * time.Hour, End: 17 * time.Hour, Mode: slots.Telehealth},
		}
	}
	return a
}

// insertSeries writes the recurring series the follow-ups belong to.
func insertSeries(ctx context.Context, tx *sql.Tx, now time.Time, providers []Provider, series []Series) error {
	zones := map[string]string{}
	for _, p := range providers {
		zones[p.ID] = p.TimeZone
	}
	for _, s := range series {
		loc, err := time.LoadLocation(zones[s.ProviderID])
		if err != nil {
			return fmt.Errorf("insert series: %w", err)
		}
		rule := fmt.Sprintf("FREQ=WEEKLY;INTERVAL=%d;COUNT=%d", s.Interval, s.Count)
		if s.Interval == 1 {
			rule = fmt.Sprintf("FREQ=WEEKLY;COUNT=%d", s.Count)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO appointment_series (id, provider_id,
			client_id, rrule, dtstart, local_start, time_zone, duration_minutes,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			s.ID, s.ProviderID, s.ClientID, rule, s.Start.UTC(),
			s.Start.In(loc).Format("2006-01-02T15:04:05"), zones[s.ProviderID],
			s.Minutes, now.UTC())
		if err != nil {
			return fmt.Errorf("insert series: %w", err)
		}
	}
	return nil
}
