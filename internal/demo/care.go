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
// fortnightly follow-ups over at most the last year, ending as the
// profile says. A few sessions along the way were cancelled.
func (b *builder) history(c Client) {
	if c.Care.Profile == profileNew {
		return
	}
	r := b.care
	step := 7 * (1 + r.IntN(2))
	minutes := 50
	if c.Care.Type == clients.TypeCoupleFamily {
		minutes = 80
	}
	first := c.CreatedAt.AddDate(0, 0, 3+r.IntN(7))
	if yearAgo := b.now.AddDate(-1, 0, 0); first.Before(yearAgo) {
		first = yearAgo.Add(time.Duration(first.Hour()) * time.Hour)
	}
	first = first.Truncate(time.Hour)

	// Where the history stops.
	var end time.Time
	switch c.Care.Profile {
	case profileScheduled:
		// A span of one step after now holds exactly one session: the
		// booked one.
		end = b.now.AddDate(0, 0, step)
	case profileFollowUp:
		end = b.now.AddDate(0, 0, -(10 + r.IntN(50)))
	case profileArchived:
		end = c.ArchivedAt.AddDate(0, 0, -3)
	}
	if !first.Before(end) {
		first = end.AddDate(0, 0, -step).Truncate(time.Hour)
	}
	if c.Care.Profile != profileScheduled && !first.Before(b.now) {
		return
	}

	for at, n := first, 0; !at.After(end); at, n = at.AddDate(0, 0, step), n+1 {
		a := Appointment{ID: store.NewID(), ProviderID: c.ProviderID, ClientID: c.ID,
			StartsAt: at, Minutes: minutes, Status: "completed", Kind: "follow_up"}
		if n == 0 {
			a.Kind, a.Minutes = "intake", 60
		}
		switch {
		case at.After(b.now):
			a.Status = "scheduled"
		case n > 0 && r.IntN(15) == 0:
			a.Status = "canceled"
		case n > 0 && r.IntN(40) == 0:
			a.Status = "no_show"
		}
		if a.StartsAt.Add(time.Duration(a.Minutes)*time.Minute).After(b.now) && !at.After(b.now) {
			continue // never leave one under way at the clock's now
		}
		b.plan.Appointments = append(b.plan.Appointments, a)
	}
}
