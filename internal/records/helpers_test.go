package records_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/records"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

var start = time.Date(2025, 11, 3, 16, 30, 0, 0, time.UTC)

// env holds every service an export reads through, over one database
// with a frozen clock, and one provider with one client that has a
// signed PHQ-9, an unsigned form, a signed note with an addendum and a
// draft note.
type env struct {
	db       *store.DB
	clk      *clock.Test
	exporter *records.Exporter
	provider access.Actor
	client   access.Actor
	other    access.Actor // a provider with no tie to the client
	signed   notes.Note
	draft    notes.Note
}

// discard is a mail sender that drops everything.
type discard struct{}

func (discard) Send(context.Context, mail.Email) error { return nil }

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	ring, err := vault.LoadOrCreate(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatalf("key ring: %v", err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatalf("jobs migrate: %v", err)
	}
	clk := clock.NewFrozen(start)
	workers := river.NewWorkers()
	mail.Register(workers, discard{}, ring, "https://tend.example", nil)
	queue, err := jobs.New(jobs.Config{DB: db, Clock: clk, Workers: workers})
	if err != nil {
		t.Fatalf("jobs: %v", err)
	}
	log := audit.New(db, clk)
	cs := clients.New(db, clk, log)
	fs := forms.New(db, clk, log, ring, mail.NewOutbox(queue, ring), "https://tend.example/")
	ns := notes.New(db, clk, log, ring)
	e := &env{db: db, clk: clk, exporter: records.NewExporter(cs, fs, ns, log, clk)}

	e.provider = addProvider(t, db, "José", "Álvarez")
	e.other = addProvider(t, db, "Kim", "Other")
	c, err := cs.Create(ctx, e.provider, clients.Input{
		FirstName: "Zoë", LastName: "Núñez", PreferredName: "Zo",
		Email: "zoe@example.test", Phone: "(312) 555-0142", DateOfBirth: "1988-07-14",
		Address:   clients.Address{Line1: "12 Façade Way", City: "Chicago", State: "IL", PostalCode: "60601"},
		CashPay:   true,
		Diagnoses: []clients.Diagnosis{{Code: "F41.1", Description: "Generalized anxiety disorder"}},
	})
	if err != nil {
		t.Fatalf("create client: %v", err)
	}
	e.client = access.Actor{UserID: store.NewID(), Role: access.RoleClient,
		ClientID: c.ID, IP: "203.0.113.9"}

	// A signed PHQ-9 and a consent form not yet filled in.
	phq := assign(t, fs, e.provider, c.ID, forms.SlugPHQ9)
	answers := map[string]string{}
	for i, v := range []int{2, 2, 1, 1, 1, 0, 1, 0, 0} {
		answers["item"+strconv.Itoa(i+1)] = strconv.Itoa(v)
	}
	if _, err := fs.Sign(ctx, e.client, phq.ID, answers, "Zoë Núñez"); err != nil {
		t.Fatalf("sign PHQ-9: %v", err)
	}
	clk.Advance(time.Hour)
	assign(t, fs, e.provider, c.ID, forms.SlugConsent)

	// A signed note with an addendum, long enough to span pages, and a
	// draft.
	clk.Advance(time.Hour)
	long := strings.Repeat("Client described the week in detail; sleep and appetite discussed. ", 120)
	n, err := ns.Create(ctx, e.provider, c.ID, "soap", "", map[string]string{
		"subjective": "Zoë reports less worry at work. " + long,
		"plan":       "Continue CBT weekly; re-administer PHQ-9 in four weeks.",
	})
	if err != nil {
		t.Fatalf("create note: %v", err)
	}
	if n, err = ns.Sign(ctx, e.provider, n.ID); err != nil {
		t.Fatalf("sign note: %v", err)
	}
	clk.Advance(24 * time.Hour)
	if n, err = ns.AddAddendum(ctx, e.provider, n.ID, "Late entry: client called, doing well."); err != nil {
		t.Fatalf("addendum: %v", err)
	}
	e.signed = n
	if e.draft, err = ns.Create(ctx, e.provider, c.ID, "dap", "", map[string]string{
		"data": "Draft thoughts."}); err != nil {
		t.Fatalf("create draft: %v", err)
	}
	clk.Advance(time.Hour)
	return e
}

func addProvider(t *testing.T, db *store.DB, first, last string) access.Actor {
	t.Helper()
	id := store.NewID()
	_, err := db.Writer().ExecContext(context.Background(), `INSERT INTO providers
		(id, first_name, last_name, credentials, npi, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, 'LCSW', '1234567893', 'America/Chicago', $4, $4)`,
		id, first, last, start)
	if err != nil {
		t.Fatalf("insert provider: %v", err)
	}
	return access.Actor{UserID: store.NewID(), Role: access.RoleProvider,
		ProviderID: id, IP: "198.51.100.7"}
}

func assign(t *testing.T, fs *forms.Service, provider access.Actor, clientID,
	slug string) forms.Assignment {
	t.Helper()
	ctx := context.Background()
	list, err := fs.Templates(ctx, provider)
	if err != nil {
		t.Fatalf("templates: %v", err)
	}
	for _, tpl := range list {
		if tpl.Slug == slug && tpl.ProviderID == "" {
			a, err := fs.Assign(ctx, provider, clientID, tpl.ID)
			if err != nil {
				t.Fatalf("assign %s: %v", slug, err)
			}
			return a
		}
	}
	t.Fatalf("no instance template %s", slug)
	return forms.Assignment{}
}

// exports returns the records.client.export audit rows' details.
func exports(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Reader().QueryContext(context.Background(),
		`SELECT detail FROM audit_log WHERE action = 'records.client.export' ORDER BY seq`)
	if err != nil {
		t.Fatalf("read audit: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatalf("read audit: %v", err)
		}
		out = append(out, d)
	}
	return out
}
