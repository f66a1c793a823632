package demo

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/validation"
)

var testNow = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

func TestNewNPI(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		if n := newNPI(r); !validation.ValidNPI(n) || n[0] != '1' {
			t.Fatalf("newNPI gave %q, not a valid individual NPI", n)
		}
	}
}

// people projects a plan onto what must not change between builds.
func people(p Plan) []string {
	var out []string
	for _, pr := range p.Providers {
		out = append(out, strings.Join([]string{pr.First, pr.Last, pr.NPI,
			pr.State, pr.CreatedAt.String()}, "|"))
	}
	for _, c := range p.Clients {
		out = append(out, strings.Join([]string{c.First, c.Last, c.Preferred,
			c.Email, c.Phone, c.DateOfBirth, c.CreatedAt.String()}, "|"))
	}
	return out
}

func TestBuildIsDeterministic(t *testing.T) {
	a, b := people(Build(testNow)), people(Build(testNow))
	if len(a) != len(b) {
		t.Fatalf("builds differ in size: %d and %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("builds differ at %d: %q and %q", i, a[i], b[i])
		}
	}
	if c := people(Build(testNow.AddDate(0, 0, 1))); c[0] == a[0] {
		t.Errorf("a later clock should move the dates, got the same %q", c[0])
	}
}

func TestBuildShape(t *testing.T) {
	p := Build(testNow)
	perProvider := map[string]int{}
	archived, preferred := 0, 0
	phone := regexp.MustCompile(`^\+1\d{3}55501\d{2}$`)
	email := regexp.MustCompile(`^[a-z-]+\.[a-z-]+@example\.(com|org)$`)
	for _, c := range p.Clients {
		perProvider[c.ProviderID]++
		if c.ArchivedAt != nil {
			archived++
			if !c.ArchivedAt.After(c.CreatedAt) || c.ArchivedAt.After(testNow) {
				t.Errorf("archived at %v outside intake %v .. now", c.ArchivedAt, c.CreatedAt)
			}
		}
		if c.Preferred != "" {
			preferred++
		}
		if c.Phone != "" && !phone.MatchString(c.Phone) {
			t.Errorf("phone %q is not a fictional 555-01xx E.164 number", c.Phone)
		}
		if !email.MatchString(c.Email) && !strings.HasSuffix(c.Email, "@demo.test") {
			t.Errorf("email %q is not on a reserved domain", c.Email)
		}
		dob, err := time.Parse(time.DateOnly, c.DateOfBirth)
		if err != nil || testNow.Sub(dob) < 18*365*24*time.Hour {
			t.Errorf("date of birth %q is not an adult's", c.DateOfBirth)
		}
		if c.CreatedAt.After(testNow) {
			t.Errorf("client created in the future: %v", c.CreatedAt)
		}
	}

	first, second := p.Providers[0], p.Providers[1]
	if got := perProvider[first.ID]; got < 40 {
		t.Errorf("first provider has %d clients, want at least 40", got)
	}
	if got := perProvider[second.ID]; got < 12 {
		t.Errorf("second provider has %d clients, want at least 12", got)
	}
	if first.State == second.State {
		t.Errorf("both sign-in providers are licensed in %s", first.State)
	}
	if got := len(p.Providers) - 2; got < 12 {
		t.Errorf("%d directory providers, want at least 12", got)
	}
	if archived == 0 || preferred == 0 {
		t.Errorf("archived = %d, preferred = %d; want some of each", archived, preferred)
	}
	for _, pr := range p.Providers {
		if !validation.ValidNPI(pr.NPI) || pr.TimeZone == "" || pr.Credentials == "" || pr.Bio == "" {
			t.Errorf("provider %s %s is incomplete: %+v", pr.First, pr.Last, pr)
		}
		if _, err := time.LoadLocation(pr.TimeZone); err != nil {
			t.Errorf("time zone %q: %v", pr.TimeZone, err)
		}
	}

	byEmail := map[string]Account{}
	for _, a := range p.Accounts {
		byEmail[a.Email] = a
	}
	for _, s := range SignIns() {
		if a, ok := byEmail[s.Email]; !ok || a.Role != s.Role {
			t.Errorf("sign-in %s (%s) has no matching account", s.Email, s.Role)
		}
	}
	if byEmail["provider@demo.test"].ProviderID != first.ID ||
		byEmail["provider2@demo.test"].ProviderID != second.ID {
		t.Error("provider sign-ins are not linked to the first two providers")
	}
	clientOf := map[string]string{}
	for _, c := range p.Clients {
		clientOf[c.ID] = c.ProviderID
	}
	if clientOf[byEmail["client@demo.test"].ClientID] != first.ID {
		t.Error("client@demo.test is not a client of the first provider")
	}
	if clientOf[byEmail["client2@demo.test"].ClientID] != second.ID {
		t.Error("client2@demo.test is not a client of the second provider")
	}
	if byEmail["admin@demo.test"].Role != access.RoleAdmin {
		t.Error("admin@demo.test is not an admin")
	}
}

func TestBuildCare(t *testing.T) {
	p := Build(testNow)
	first := p.Providers[0].ID
	profiles := map[string]int{}
	clientOf := map[string]Client{}
	for _, c := range p.Clients {
		clientOf[c.ID] = c
		if c.ProviderID == first {
			profiles[c.Care.Profile]++
		}
		if (c.ArchivedAt != nil) != (c.ArchiveReason != "") {
			t.Errorf("archived at %v with reason %q", c.ArchivedAt, c.ArchiveReason)
		}
		if c.Care.CashPay == (c.Care.PayerCode != "") {
			t.Errorf("client is cash pay %v with payer %q", c.Care.CashPay, c.Care.PayerCode)
		}
		if len(c.Care.Diagnoses) == 0 {
			t.Errorf("client %s has no diagnosis", c.ID)
		}
	}
	for _, want := range []string{profileScheduled, profileFollowUp, profileNew, profileArchived} {
		if profiles[want] == 0 {
			t.Errorf("no client of the first provider has profile %s (%v)", want, profiles)
		}
	}
	for _, a := range p.Appointments {
		c := clientOf[a.ClientID]
		ends := a.StartsAt.Add(time.Duration(a.Minutes) * time.Minute)
		if a.StartsAt.Before(testNow) && ends.After(testNow) {
			t.Errorf("appointment under way at now: %v", a.StartsAt)
		}
		if a.StartsAt.After(testNow) != (a.Status == "scheduled") {
			t.Errorf("appointment at %v has status %s", a.StartsAt, a.Status)
		}
		if c.ArchivedAt != nil && a.StartsAt.After(*c.ArchivedAt) {
			t.Errorf("appointment after archiving")
		}
		if c.ArchivedAt == nil && a.StartsAt.Before(testNow.AddDate(-1, 0, -1)) {
			t.Errorf("appointment more than a year back: %v", a.StartsAt)
		}
	}
	if len(p.Appointments) != len(Build(testNow).Appointments) {
		t.Error("appointment history is not deterministic")
	}
}
