package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
)

// Care is the clinical and billing side of a demo client.
type Care struct {
	Profile   string // which tab the history puts the client in
	Type      string // clients.TypeAdult, …
	Pronouns  string
	PayerCode string // a payers.code; "" with CashPay
	MemberID  string
	CashPay   bool
	Diagnoses []clients.Diagnosis
}

// Appointment is one demo appointment row.
type Appointment struct {
	ID, ProviderID, ClientID string
	StartsAt                 time.Time
	Minutes                  int
	Status, Kind             string
	TypeKey, CPT             string
	Location, OfficeID       string
	SeriesID                 string
	OriginalStart            time.Time // set for sessions of a series
	Detached                 bool      // moved off its series' rule
}

// Series is one demo recurring series: weekly (Interval 1) or
// fortnightly (2) from Start, Count sessions.
type Series struct {
	ID, ProviderID, ClientID string
	Start                    time.Time
	Minutes, Interval, Count int
}

// The histories a client can have.
const (
	profileScheduled = "scheduled"       // seen regularly, next session booked
	profileFollowUp  = "needs_follow_up" // seen, nothing booked
	profileNew       = "new"             // no session yet
	profileArchived  = "archived"        // seen, then archived
)

// diagnosisPool holds common ICD-10-CM codes in outpatient therapy, with
// their descriptions from the ICD-10-CM tabular list.
var diagnosisPool = []clients.Diagnosis{
	{Code: "F41.1", Description: "Generalized anxiety disorder"},
	{Code: "F32.1", Description: "Major depressive disorder, single episode, moderate"},
	{Code: "F33.1", Description: "Major depressive disorder, recurrent, moderate"},
	{Code: "F43.10", Description: "Post-traumatic stress disorder, unspecified"},
	{Code: "F43.23", Description: "Adjustment disorder with mixed anxiety and depressed mood"},
	{Code: "F41.0", Description: "Panic disorder [episodic paroxysmal anxiety]"},
	{Code: "F40.10", Description: "Social phobia, unspecified"},
	{Code: "F42.2", Description: "Mixed obsessional thoughts and acts"},
	{Code: "F90.0", Description: "Attention-deficit hyperactivity disorder, predominantly inattentive type"},
	{Code: "F34.1", Description: "Dysthymic disorder"},
	{Code: "F32.A", Description: "Depression, unspecified"},
	{Code: "Z63.0", Description: "Problems in relationship between spouses and partners"},
}

// payerCodes are payers seeded by the clients migration.
var payerCodes = []string{"aetna", "anthem_bcbs", "cigna", "unitedhealthcare",
	"humana", "medicare", "medicaid", "kaiser", "optum", "tricare"}

var pronounPool = []string{"she/her", "he/him", "they/them", "she/they", ""}

// addCare draws the care details and appointment history of client i.
func (b *builder) addCare(i int) {
	c := &b.plan.Clients[i]
	r := b.care
	care := Care{Type: clients.TypeAdult, Pronouns: pronounPool[r.IntN(len(pronounPool))]}
	switch roll := r.IntN(20); {
	case c.ArchivedAt != nil:
		care.Profile = profileArchived
		c.ArchiveReason = clients.ArchiveReasons()[r.IntN(len(clients.ArchiveReasons()))]
	case strings.HasSuffix(c.Email, "@demo.test") || roll < 10:
		care.Profile = profileScheduled
	case roll < 17:
		care.Profile = profileFollowUp
	default:
		care.Profile = profileNew
	}
	if r.IntN(9) == 0 {
		care.Type = clients.TypeCoupleFamily
		care.Diagnoses = []clients.Diagnosis{diagnosisPool[len(diagnosisPool)-1]}
	} else {
		care.Diagnoses = []clients.Diagnosis{diagnosisPool[r.IntN(len(diagnosisPool)-1)]}
		if r.IntN(3) == 0 {
			d := diagnosisPool[r.IntN(len(diagnosisPool)-1)]
			if d.Code != care.Diagnoses[0].Code {
				care.Diagnoses = append(care.Diagnoses, d)
			}
		}
	}
	if r.IntN(5) == 0 {
		care.CashPay = true
	} else {
		care.PayerCode = payerCodes[r.IntN(len(payerCodes))]
		care.MemberID = fmt.Sprintf("%c%09d", 'A'+r.IntN(26), r.IntN(1_000_000_000))
	}
	c.Care = care
	b.history(*c)
}

// history adds a client's appointments: an intake, then weekly or
// fortnightly follow-ups over at most the last year as one recurring
// series at a fixed local hour in the provider's zone, ending as the
// profile says. A few sessions along the way were cancelled. A session
// that would overlap another of the provider's is moved to the next
// free hour and detached from its series, as a provider would have
// done, so no provider is ever double-booked.
func (b *builder) history(c Client) {
	if c.Care.Profile == profileNew {
		return
	}
	r := b.care
	loc := b.zone(c.ProviderID)
	step := 7 * (1 + r.IntN(2))
	minutes, typeKey, cpt := 45, "individual_45", "90834"
	if c.Care.Type == clients.TypeCoupleFamily {
		minutes, typeKey, cpt = 50, "family", "90847"
	}
	hour := 9 + r.IntN(8) // a local hour between 09:00 and 16:00
	first := c.CreatedAt.AddDate(0, 0, 3+r.IntN(7))
	if yearAgo := b.now.AddDate(-1, 0, 0); first.Before(yearAgo) {
		first = yearAgo
	}

	// Where the history stops.
	var end time.Time
	switch c.Care.Profile {
	case profileScheduled:
		// Four more sessions are booked ahead.
		end = b.now.AddDate(0, 0, 4*step)
	case profileFollowUp:
		end = b.now.AddDate(0, 0, -(10 + r.IntN(50)))
	case profileArchived:
		end = c.ArchivedAt.AddDate(0, 0, -3)
	}
	if !first.Before(end) {
		first = end.AddDate(0, 0, -step)
	}
	if c.Care.Profile != profileScheduled && !first.Before(b.now) {
		return
	}
	y, m, d := first.In(loc).Date()
	switch first.In(loc).Weekday() { // sessions fall on weekdays
	case time.Saturday:
		d += 2
	case time.Sunday:
		d++
	}
	local := func(n int) time.Time { return time.Date(y, m, d+n*step, hour, 0, 0, 0, loc) }

	series := &Series{ID: store.NewID(), ProviderID: c.ProviderID, ClientID: c.ID,
		Start: local(1), Minutes: minutes, Interval: step / 7}
	for n := 0; !local(n).After(end); n++ {
		at := local(n)
		a := Appointment{ID: store.NewID(), ProviderID: c.ProviderID, ClientID: c.ID,
			Minutes: minutes, Status: "completed", Kind: "follow_up", TypeKey: typeKey,
			CPT: cpt, Location: "telehealth"}
		if n == 0 {
			a.Kind, a.Minutes, a.TypeKey, a.CPT = "intake", 60, "intake", "90791"
		} else {
			a.SeriesID, a.OriginalStart = series.ID, at.UTC()
			series.Count++
		}
		if hour < 12 {
			a.Location, a.OfficeID = "office", b.officeOf[c.ProviderID]
		}
		a.StartsAt = b.free(c.ProviderID, at, a.Minutes)
		a.Detached = n > 0 && !a.StartsAt.Equal(at)
		switch {
		case a.StartsAt.After(b.now):
			a.Status = "scheduled"
		case n > 0 && r.IntN(15) == 0:
			a.Status = "canceled"
		case n > 0 && r.IntN(40) == 0:
			a.Status = "no_show"
		}
		if a.StartsAt.Add(time.Duration(a.Minutes)*time.Minute).After(b.now) && !a.StartsAt.After(b.now) {
			continue // never leave one under way at the clock's now
		}
		if a.Status != "canceled" {
			b.book(c.ProviderID, a.StartsAt, a.Minutes)
		}
		b.plan.Appointments = append(b.plan.Appointments, a)
	}
	if series.Count > 0 {
		b.plan.Series = append(b.plan.Series, *series)
	}
}

// free returns at, or the first later whole hour in the same local
// working day (then the next days) at which the provider has nothing
// booked for minutes.
func (b *builder) free(providerID string, at time.Time, minutes int) time.Time {
	for try := at; ; try = try.Add(time.Hour) {
		if local := try.In(at.Location()); local.Hour() > 16 {
			try = time.Date(local.Year(), local.Month(), local.Day()+1, 9, 0, 0, 0, at.Location())
		}
		if !b.booked(providerID, try, minutes) {
			return try.UTC()
		}
	}
}

// booked reports whether [at, at+minutes) overlaps a booked session.
func (b *builder) booked(providerID string, at time.Time, minutes int) bool {
	end := at.Add(time.Duration(minutes) * time.Minute)
	for _, iv := range b.busy[providerID] {
		if iv[0].Before(end) && at.Before(iv[1]) {
			return true
		}
	}
	return false
}

func (b *builder) book(providerID string, at time.Time, minutes int) {
	b.busy[providerID] = append(b.busy[providerID],
		[2]time.Time{at, at.Add(time.Duration(minutes) * time.Minute)})
}

// zone returns the provider's time zone.
func (b *builder) zone(providerID string) *time.Location {
	for _, p := range b.plan.Providers {
		if p.ID == providerID {
			if loc, err := time.LoadLocation(p.TimeZone); err == nil {
				return loc
			}
		}
	}
	return time.UTC
}
