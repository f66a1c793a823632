package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// The fixed PCG seed: the same seed always yields the same people.
const (
	seedHi = 0x7e4d_2026
	seedLo = 0x0b5e_55ed
)

// Provider is one demo provider row.
type Provider struct {
	ID, First, Last, Credentials, Pronouns string
	TimeZone, State, NPI, Bio              string
	ReferralsOn                            bool
	CreatedAt                              time.Time
	OfficeID                               string // the one office
}

// Client is one demo client row.
type Client struct {
	ID, ProviderID, First, Last, Preferred string
	Email, Phone, DateOfBirth              string
	ArchivedAt                             *time.Time
	ArchiveReason                          string
	CreatedAt                              time.Time
	Care                                   Care
}

// Account is a demo sign-in, created through the auth service.
type Account struct {
	Email       string
	Role        access.Role
	DisplayName string
	ProviderID  string
	ClientID    string
}

// Plan is the whole demo data set, built in memory before it is written.
type Plan struct {
	Providers    []Provider
	Clients      []Client
	Accounts     []Account
	Appointments []Appointment
	Series       []Series
}

// Client counts per provider.
const (
	firstProviderClients  = 42
	secondProviderClients = 12
	directoryClients      = 3
)

// builder draws everything from one seeded source so the output depends
// only on the seed and the clock's now.
type builder struct {
	r     *rand.Rand
	care  *rand.Rand // a second source, so care details leave names alone
	now   time.Time
	plan  Plan
	taken map[string]bool // full names already used, per provider
	// busy holds each provider's booked spans, so no two overlap.
	busy map[string][][2]time.Time
	// officeOf is each provider's office id.
	officeOf map[string]string
}

// Build returns the demo plan for a clock reading now. Ids are fresh
// each time; every name, number and relative time is the same.
func Build(now time.Time) Plan {
	b := &builder{
		r:     rand.New(rand.NewPCG(seedHi, seedLo)),
		care:  rand.New(rand.NewPCG(seedLo, seedHi)),
		now:   now.UTC(),
		taken: map[string]bool{},
		busy:  map[string][][2]time.Time{}, officeOf: map[string]string{},
	}
	b.plan.Accounts = append(b.plan.Accounts, Account{
		Email: "admin@demo.test", Role: access.RoleAdmin,
		DisplayName: "Avery Stone (admin)",
	})

	first := b.provider(providerSeed{"Maya", "Okafor", "PhD", "she/her", "NY",
		"America/New_York", "Licensed psychologist offering individual " +
			"therapy for anxiety, depression and life transitions, " +
			"in person in Brooklyn and by video across New York."})
	b.account("provider@demo.test", access.RoleProvider, "Dr. Maya Okafor, PhD", first.ID, "")
	own := b.client(first, givenName{"Jamie", ""}, "Chen", "client@demo.test", false)
	b.account("client@demo.test", access.RoleClient, "Jamie Chen", "", own.ID)
	b.clients(first, firstProviderClients-1)

	second := b.provider(providerSeed{"Elena", "Vasquez", "LMFT", "she/her", "CA",
		"America/Los_Angeles", "Marriage and family therapist in Oakland " +
			"helping couples and individuals with communication, " +
			"attachment and cultural identity."})
	b.account("provider2@demo.test", access.RoleProvider, "Elena Vasquez, LMFT", second.ID, "")
	own2 := b.client(second, givenName{"Marcus", ""}, "Bell", "client2@demo.test", false)
	b.account("client2@demo.test", access.RoleClient, "Marcus Bell", "", own2.ID)
	b.clients(second, secondProviderClients-1)

	for _, s := range directoryProviders {
		b.clients(b.provider(s), directoryClients)
	}
	return b.plan
}

func (b *builder) provider(s providerSeed) Provider {
	p := Provider{
		ID: store.NewID(), First: s.First, Last: s.Last,
		Credentials: s.Credentials, Pronouns: s.Pronouns,
		TimeZone: s.TimeZone, State: s.State, NPI: newNPI(b.r), Bio: s.Bio,
		ReferralsOn: b.r.IntN(5) != 0,
		CreatedAt:   b.daysAgo(400 + b.r.IntN(800)),
		OfficeID:    store.NewID(),
	}
	b.plan.Providers = append(b.plan.Providers, p)
	b.officeOf[p.ID] = p.OfficeID
	return p
}

func (b *builder) account(email string, role access.Role, name, providerID, clientID string) {
	b.plan.Accounts = append(b.plan.Accounts, Account{
		Email: email, Role: role, DisplayName: name,
		ProviderID: providerID, ClientID: clientID,
	})
}

// clients adds n generated clients to p, about one in seven archived.
func (b *builder) clients(p Provider, n int) {
	for range n {
		g := givenNames[b.r.IntN(len(givenNames))]
		last := familyNames[b.r.IntN(len(familyNames))]
		if b.taken[p.ID+"|"+g.First+"|"+last] {
			last = familyNames[b.r.IntN(len(familyNames))]
		}
		domain := "example.com"
		if b.r.IntN(3) == 0 {
			domain = "example.org"
		}
		email := fmt.Sprintf("%s.%s@%s", emailPart(g.First), emailPart(last), domain)
		b.client(p, g, last, email, b.r.IntN(7) == 0)
	}
}

func (b *builder) client(p Provider, g givenName, last, email string, archived bool) Client {
	b.taken[p.ID+"|"+g.First+"|"+last] = true
	created := b.daysAgo(20 + b.r.IntN(700))
	c := Client{
		ID: store.NewID(), ProviderID: p.ID, First: g.First, Last: last,
		Preferred: g.Preferred, Email: email, CreatedAt: created,
		DateOfBirth: b.birthDate(),
	}
	if b.r.IntN(8) != 0 {
		c.Phone = fmt.Sprintf("+1%s55501%02d",
			areaCodes[b.r.IntN(len(areaCodes))], b.r.IntN(100))
	}
	if archived {
		// Archived somewhere between a week after intake and a week ago.
		span := int(b.now.Sub(created).Hours()/24) - 14
		at := created.AddDate(0, 0, 7+b.r.IntN(max(span, 1)))
		c.ArchivedAt = &at
	}
	b.plan.Clients = append(b.plan.Clients, c)
	b.addCare(len(b.plan.Clients) - 1)
	return b.plan.Clients[len(b.plan.Clients)-1]
}

// birthDate returns an adult's date of birth, 19 to 72 years before now.
func (b *builder) birthDate() string {
	d := b.now.AddDate(-19-b.r.IntN(54), 0, -b.r.IntN(365))
	return d.Format(time.DateOnly)
}

// daysAgo returns the clock's now minus n days, at a working hour.
func (b *builder) daysAgo(n int) time.Time {
	d := b.now.AddDate(0, 0, -n).Truncate(24 * time.Hour)
	return d.Add(time.Duration(13+b.r.IntN(9))*time.Hour +
		time.Duration(b.r.IntN(60))*time.Minute)
}

// emailPart lowercases a name and folds the accented letters used in the
// name pools to ASCII, dropping anything else an address cannot hold.
func emailPart(s string) string {
	fold := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o",
		"ú", "u", "ü", "u", "ñ", "n", "'", "")
	s = fold.Replace(strings.ToLower(s))
	var out strings.Builder
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || c == '-' {
			out.WriteRune(c)
		}
	}
	return out.String()
}
