package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// providerActor is the actor of a provider's account, for setting up
// data through the areas.
func providerActor(u auth.User) access.Actor {
	return access.Actor{UserID: u.ID, Role: access.RoleProvider, ProviderID: u.ProviderID,
		IP: "192.0.2.10", UserAgent: "test"}
}

// newClient creates a client of the provider through the clients area.
func (s *site) newClient(prov auth.User, in clients.Input) clients.Client {
	s.t.Helper()
	if in.Type == "" {
		in.Type = clients.TypeAdult
	}
	in.CashPay = true
	c, err := s.clients.Create(context.Background(), providerActor(prov), in)
	if err != nil {
		s.t.Fatalf("create client %s: %v", in.LastName, err)
	}
	return c
}

// appointment books an appointment for the client at, with a status.
func (s *site) appointment(prov auth.User, clientID string, at time.Time, status string) {
	s.t.Helper()
	_, err := s.db.Writer().ExecContext(context.Background(), `INSERT INTO appointments
		(id, provider_id, client_id, starts_at, ends_at, status, kind, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'follow_up', $7, $7)`,
		store.NewID(), prov.ProviderID, clientID, at.UTC(), at.Add(50*time.Minute).UTC(), status,
		s.clk.Now().UTC())
	if err != nil {
		s.t.Fatalf("insert appointment: %v", err)
	}
}

// tabCounts reads the count of each client tab from the list page.
func tabCounts(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	re := regexp.MustCompile(`id="(tab-[a-z-]+)"[^>]*>\s*[^<]*<span class="count">(\d+)</span>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	if len(out) != 4 {
		t.Fatalf("found %d tab counts (%v) in:\n%s", len(out), out, body)
	}
	return out
}

// clientIDs lists the ids of the clients in the list's table, in order.
func clientIDs(body string) []string {
	return regexpAll(body, `<tr id="client-([0-9a-f-]+)"`)
}

func TestClientListTabsAndSearch(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	prov := s.provider("dana@example.org")
	other := s.provider("olu@example.org")

	ana := s.newClient(prov, clients.Input{FirstName: "Ana", LastName: "Álvarez",
		Email: "ana@example.org", Phone: "(212) 555-0147"})
	ben := s.newClient(prov, clients.Input{FirstName: "Ben", LastName: "Brook", Phone: "+1 646 555 0100"})
	cy := s.newClient(prov, clients.Input{FirstName: "Cy", LastName: "Cole", PreferredName: "Cyrus"})
	dee := s.newClient(prov, clients.Input{FirstName: "Dee", LastName: "Dunn"})
	s.newClient(other, clients.Input{FirstName: "Eve", LastName: "Else", Phone: "212-555-0147"})

	now := s.clk.Now()
	s.appointment(prov, ana.ID, now.Add(48*time.Hour), "scheduled")
	s.appointment(prov, ben.ID, now.Add(-7*24*time.Hour), "completed")
	s.appointment(prov, cy.ID, now.Add(-14*24*time.Hour), "completed")
	s.appointment(prov, cy.ID, now.Add(24*time.Hour), "canceled")
	if _, err := s.clients.Archive(context.Background(), providerActor(prov), dee.ID, "discharged"); err != nil {
		t.Fatalf("archive: %v", err)
	}

	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	tests := []struct {
		name   string
		query  string
		counts map[string]string
		rows   []string
	}{
		{"active", "", map[string]string{"tab-active": "3", "tab-needs-follow-up": "2",
			"tab-scheduled": "1", "tab-archived": "1"}, []string{ana.ID, ben.ID, cy.ID}},
		{"needs follow-up", "?tab=needs_follow_up", nil, []string{ben.ID, cy.ID}},
		{"scheduled", "?tab=scheduled", nil, []string{ana.ID}},
		{"archived", "?tab=archived", nil, []string{dee.ID}},
		{"phone in another format", "?q=212.555.0147", map[string]string{"tab-active": "1",
			"tab-needs-follow-up": "0", "tab-scheduled": "1", "tab-archived": "0"}, []string{ana.ID}},
		{"search with tab", "?tab=scheduled&q=%2B12125550147", nil, []string{ana.ID}},
		{"search finds nothing in tab", "?tab=archived&q=ana", nil, nil},
		{"accent folded name prefix", "?q=alv", nil, []string{ana.ID}},
		{"preferred name", "?q=cyr", nil, []string{cy.ID}},
		{"sort by name descending", "?sort=-name", nil, []string{cy.ID, ben.ID, ana.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.get("/clients" + tt.query)
			want(t, p, http.StatusOK, `id="client-search"`)
			if tt.counts != nil {
				got := tabCounts(t, p.body)
				for tab, n := range tt.counts {
					if got[tab] != n {
						t.Errorf("%s count = %s, want %s", tab, got[tab], n)
					}
				}
			}
			got := clientIDs(p.body)
			if strings.Join(got, ",") != strings.Join(tt.rows, ",") {
				t.Errorf("rows = %v, want %v", got, tt.rows)
			}
			if len(tt.rows) == 0 && !strings.Contains(p.body, `id="clients-empty"`) {
				t.Error("empty result without the empty state")
			}
		})
	}

	// The list formats phones for reading and links each client.
	p := b.get("/clients?q=ana")
	want(t, p, http.StatusOK, "(212) 555-0147", `href="/clients/`+ana.ID+`"`, "Scheduled")
}

func TestClientListPages(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	prov := s.provider("dana@example.org")
	for i := range 30 {
		s.newClient(prov, clients.Input{FirstName: "Pat", LastName: "Page" + string(rune('A'+i%26)) +
			string(rune('a'+i/26))})
	}
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")
	first := b.get("/clients")
	want(t, first, http.StatusOK, `id="next-page"`, "30 clients")
	next := regexp.MustCompile(`href="([^"]+)" class="button secondary" id="next-page"`).FindStringSubmatch(first.body)
	if next == nil {
		t.Fatal("no next-page link")
	}
	second := b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	want(t, second, http.StatusOK)
	seen := map[string]bool{}
	for _, id := range append(clientIDs(first.body), clientIDs(second.body)...) {
		if seen[id] {
			t.Fatalf("client %s on both pages", id)
		}
		seen[id] = true
	}
	if len(seen) != 30 || strings.Contains(second.body, `id="next-page"`) {
		t.Errorf("two pages hold %d clients; second has next link: %v", len(seen),
			strings.Contains(second.body, `id="next-page"`))
	}
}

func TestCreateClientShowsErrorsNextToFields(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	s.provider("dana@example.org")
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	want(t, b.get("/clients/new"), http.StatusOK, `id="client-form"`, `name="first_name"`,
		`name="insurance.payer_id"`, `name="diagnoses.0.code"`, `name="guardian.name"`, "Aetna")

	bad := url.Values{
		"first_name": {"Mia"}, "last_name": {"Moss"},
		"email":         {"not-an-email"},
		"phone":         {"12"},
		"date_of_birth": {"2031-01-01"},
		"type":          {"adult"}, "cash_pay": {"1"},
		"diagnoses.0.code": {"F41.1"}, "diagnoses.0.description": {"Generalized anxiety disorder"},
		"diagnoses.2.code": {"XYZ"}, "diagnoses.2.description": {"Not a code"},
	}
	p := b.post("/clients", bad)
	want(t, p, http.StatusUnprocessableEntity,
		`id="cf-email-error"`, `aria-describedby="cf-email-error"`,
		`id="cf-phone-error"`, `id="cf-date-of-birth-error"`,
		`id="cf-diagnoses-2-code-error"`, `href="#cf-email"`,
		`value="Mia"`, `value="not-an-email"`)
	if strings.Contains(p.body, `id="cf-diagnoses-0-code-error"`) {
		t.Error("the valid diagnosis row got an error")
	}
	var n int
	if err := s.db.Reader().QueryRow(`SELECT COUNT(*) FROM clients`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("clients after a refused create = %d (%v), want 0", n, err)
	}

	good := url.Values{"first_name": {"Mia"}, "last_name": {"Moss"}, "email": {"mia@example.org"},
		"phone": {"212 555 0188"}, "date_of_birth": {"1990-04-23"}, "type": {"adult"}, "cash_pay": {"1"},
		"diagnoses.1.code": {"F41.1"}, "diagnoses.1.description": {"Generalized anxiety disorder"}}
	p = b.post("/clients", good)
	loc := p.location()
	id, ok := strings.CutPrefix(strings.TrimSuffix(loc, "?done=created"), "/clients/")
	if p.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("create: %d → %q", p.StatusCode, loc)
	}
	want(t, b.get(loc), http.StatusOK, "Mia Moss", "(212) 555-0188", "F41.1",
		"The client has been added", `id="forms-section"`, `id="notes-section"`,
		`id="appointments-section"`, `id="invoices-section"`, `id="messages-section"`)

	// Editing shows the record and refuses the same bad input.
	want(t, b.get("/clients/"+id+"/edit"), http.StatusOK, `value="mia@example.org"`, `value="F41.1"`)
	p = b.post("/clients/"+id, url.Values{"first_name": {""}, "last_name": {"Moss"}, "type": {"adult"},
		"cash_pay": {"1"}})
	want(t, p, http.StatusUnprocessableEntity, `id="cf-first-name-error"`, "Edit Mia Moss")
}

func TestArchiveAndUnarchive(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	prov := s.provider("dana@example.org")
	c := s.newClient(prov, clients.Input{FirstName: "Ana", LastName: "Ames"})
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	want(t, b.post("/clients/"+c.ID+"/archive", url.Values{"reason": {""}}),
		http.StatusUnprocessableEntity, `id="archive-reason-error"`)
	wantRedirect(t, b.post("/clients/"+c.ID+"/archive", url.Values{"reason": {"referred_out"}}),
		"/clients?tab=archived&done=archived")
	want(t, b.get("/clients/"+c.ID), http.StatusOK, `id="archived-notice"`, "referred out", `id="unarchive"`)
	if ids := clientIDs(b.get("/clients").body); len(ids) != 0 {
		t.Errorf("archived client listed under Active: %v", ids)
	}
	wantRedirect(t, b.post("/clients/"+c.ID+"/unarchive", nil), "/clients/"+c.ID+"?done=unarchived")
	if ids := clientIDs(b.get("/clients").body); len(ids) != 1 {
		t.Errorf("unarchived client not listed under Active: %v", ids)
	}
}

// TestClientScoping runs on both databases: another provider's client,
// and malformed ids, are a 404 page everywhere; clients cannot reach
// the provider pages.
func TestClientScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db, nil)
		s.admin("admin@example.org")
		prov := s.provider("dana@example.org")
		s.provider("olu@example.org")
		c := s.newClient(prov, clients.Input{FirstName: "Ana", LastName: "Ames"})
		s.user(auth.NewUser{Email: "ana@example.org", Role: access.RoleClient, ClientID: c.ID})

		olu := s.browser()
		olu.signIn("olu@example.org", "/dashboard")
		for _, path := range []string{"/clients/" + c.ID, "/clients/" + c.ID + "/edit",
			"/clients/" + c.ID + "/record.json", "/clients/not-an-id", "/notes/not-an-id"} {
			want(t, olu.get(path), http.StatusNotFound, "Page not found")
		}
		for _, path := range []string{"/clients/" + c.ID, "/clients/" + c.ID + "/archive",
			"/clients/" + c.ID + "/notes"} {
			want(t, olu.post(path, url.Values{"reason": {"discharged"}, "template": {"soap"},
				"first_name": {"X"}, "last_name": {"Y"}}), http.StatusNotFound)
		}
		if ids := clientIDs(olu.get("/clients").body); len(ids) != 0 {
			t.Errorf("another provider's list shows %v", ids)
		}
		got, err := s.clients.Get(context.Background(), providerActor(prov), c.ID)
		if err != nil || got.ArchivedAt != nil || got.FirstName != "Ana" {
			t.Errorf("client changed by another provider: %+v, %v", got, err)
		}

		ana := s.browser()
		ana.signIn("ana@example.org", "/portal")
		want(t, ana.get("/clients"), http.StatusNotFound)
		want(t, ana.get("/clients/"+c.ID), http.StatusNotFound)
	})
}
