package clients

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

// The benchmark instance: benchClients clients in all, 2,000 of them
// with the measured provider, who has about benchVisits appointments per
// client; every other client has one.
const (
	benchClients   = 100_000
	benchProviders = 50 // each with 2,000 clients
	benchVisits    = 10
)

var benchNow = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

var (
	benchFirst = strings.Fields(`Aaliyah Alejandro Amara Ananya Andrés Anh
		Benjamin Camila Chloé Daniela Deshawn Dmitri Eleanor Elif Emeka
		Fatima Gabriel Grace Hana Hiroshi Ibrahim Imani Isabella Jamal
		Javier Jennifer Jonah Kai Kwame Lakshmi Liam Lucía Malik Mariam
		Mateo Mei Michael Nadia Noor Omar Priya Quinn Rafael Rosa Samuel
		Santiago Sasha Sofia Tamar Tariq Tomás Valentina Wei Xavier Yara
		Yusuf Zainab Zoe Marcus Maya`)
	benchLast = strings.Fields(`Abebe Adeyemi Ahmed Alvarez Anderson Bautista
		Becker Bianchi Brooks Castillo Chen Cohen Delgado Dubois Edwards Eze
		Fernandes García Goldberg Gupta Haddad Hernández Hoang Ibrahim Iyer
		Jackson Jensen Kamau Kapoor Kaur Kim Kowalski Larsen Lee Lopez
		Mahmoud Mendoza Morales Müller Nakamura Nguyen Novak O'Brien Okonkwo
		Ortiz Park Patel Petrov Ramirez Reyes Rossi Sato Singh Suzuki Tan
		Thompson Torres Tran Vargas Wójcik Wu Yamamoto Yilmaz Zhang`)
)

// benchEnv seeds a database once for one sub-benchmark and returns a
// service at benchNow and the measured provider's actor.
func benchEnv(b *testing.B, db *store.DB) (*Service, access.Actor) {
	b.Helper()
	began := time.Now()
	provider := seedBench(b, db)
	b.Logf("%s: seeded %d clients in %v", db.Dialect(), benchClients, time.Since(began))
	clk := clock.NewFrozen(benchNow)
	actor := access.Actor{UserID: store.NewID(), Role: access.RoleProvider, ProviderID: provider}
	return New(db, clk, audit.New(db, clk)), actor
}

func benchDBs(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, storetest.Postgres(b)) })
}

// BenchmarkCounts measures the four tab counts of a provider with 2,000
// clients in an instance of 100,000, without and with a search.
func BenchmarkCounts(b *testing.B) {
	benchDBs(b, func(b *testing.B, db *store.DB) {
		svc, actor := benchEnv(b, db)
		for _, q := range []string{"", "ma"} {
			b.Run("q="+q, func(b *testing.B) {
				ctx := context.Background()
				for b.Loop() {
					if _, err := svc.Counts(ctx, actor, q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkSearchPage measures one searched page of a tab, with its
// total, for the same provider.
func BenchmarkSearchPage(b *testing.B) {
	cases := []struct {
		name string
		q    Query
	}{
		{"active_name", Query{Tab: StatusActive, Q: "ma", Sort: "name"}},
		{"scheduled_next", Query{Tab: StatusScheduled, Q: "ma", Sort: "next_appointment"}},
		{"follow_up_last", Query{Tab: StatusNeedsFollowUp, Q: "s", Sort: "-last_appointment"}},
		{"phone", Query{Tab: StatusActive, Q: "(212) 555-01", Sort: "name"}},
		{"email", Query{Tab: StatusActive, Q: "sofia.", Sort: "name"}},
	}
	benchDBs(b, func(b *testing.B, db *store.DB) {
		svc, actor := benchEnv(b, db)
		for _, tc := range cases {
			b.Run(tc.name, func(b *testing.B) {
				ctx := context.Background()
				for b.Loop() {
					p, err := svc.List(ctx, actor, tc.q)
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Items) == 0 {
						b.Fatalf("%s: empty page", tc.name)
					}
				}
			})
		}
	})
}

// seedBench writes the benchmark instance with multi-row inserts and
// returns the measured provider's id.
func seedBench(b *testing.B, db *store.DB) string {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(2026, 3))
	providers := make([]string, benchProviders)
	var clients, appts [][]any

	for i := range providers {
		providers[i] = store.NewID()
	}
	for i := range benchClients {
		// Providers take turns, so one provider's rows are spread through
		// the tables and indexes as in a real instance.
		own := i%benchProviders == 0
		provider := providers[i%benchProviders]
		id := store.NewID()
		first := benchFirst[r.IntN(len(benchFirst))]
		last := benchLast[r.IntN(len(benchLast))]
		phone := fmt.Sprintf("+1%s555%04d", []string{"212", "718", "917", "415"}[i%4], i%10000)
		digits, national := nationalDigits(phone)
		var archived any
		if r.IntN(10) == 0 {
			archived = benchNow.AddDate(0, 0, -r.IntN(300))
		}
		email := fmt.Sprintf("%s.%s.%d@example.com", emailLocal(first), emailLocal(last), i)
		clients = append(clients, []any{id, provider, first, last, email, phone,
			"1985-04-12", archived, benchNow, benchNow, searchName(first, last, ""),
			sortName(first, last), digits, national})

		visits := 1
		if own {
			visits = r.IntN(2 * benchVisits) // 0 for a new client
		}
		// Weekly or fortnightly, ending up to a month ahead of now.
		at := benchNow.AddDate(0, 0, 28-r.IntN(120)).Truncate(time.Hour)
		step := 7 * (1 + r.IntN(2))
		for v := range visits {
			starts := at.AddDate(0, 0, -step*v)
			status := "completed"
			switch {
			case starts.After(benchNow):
				status = "scheduled"
			case r.IntN(12) == 0:
				status = "canceled"
			}
			appts = append(appts, []any{store.NewID(), provider, id, starts,
				starts.Add(50 * time.Minute), status, benchNow, benchNow})
		}
	}

	err := db.InTx(ctx, func(tx *sql.Tx) error {
		for _, p := range providers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO providers (id, first_name,
				last_name, created_at, updated_at) VALUES ($1, 'Bench', 'Provider', $2, $2)`,
				p, benchNow); err != nil {
				return err
			}
		}
		if err := bulkInsert(ctx, tx, db.Dialect(), `clients (id, provider_id, first_name,
			last_name, email, phone, date_of_birth, archived_at, created_at,
			updated_at, search_name, sort_name, phone_digits, phone_national)`, clients); err != nil {
			return err
		}
		return bulkInsert(ctx, tx, db.Dialect(), `appointments (id, provider_id, client_id,
			starts_at, ends_at, status, created_at, updated_at)`, appts)
	})
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	// What the database would have done on its own by the time a
	// practice grew this big: on PostgreSQL, autovacuum's statistics and
	// the visibility map index-only scans need; on SQLite, checkpoints
	// that move the pages out of the write-ahead log.
	tidy := "VACUUM ANALYZE"
	if db.Dialect() == store.SQLite {
		tidy = "PRAGMA wal_checkpoint(TRUNCATE)"
	}
	if _, err := db.Writer().ExecContext(ctx, tidy); err != nil {
		b.Fatalf("%s: %v", tidy, err)
	}
	return providers[0]
}

// bulkInsert writes rows into table (with its column list): on SQLite
// one prepared statement run per row, which its parser handles far
// faster than huge statements; on PostgreSQL 1,000 rows a statement,
// which saves round trips.
func bulkInsert(ctx context.Context, tx *sql.Tx, d store.Dialect, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	batch := 1000
	if d == store.SQLite {
		batch = 1
	}
	width := len(rows[0])
	var stmt *sql.Stmt
	for len(rows) > 0 {
		n := min(batch, len(rows))
		if stmt == nil || n != batch {
			tuples := make([]string, n)
			for i := range tuples {
				tuples[i] = "(" + placeholders(i*width+1, width) + ")"
			}
			var err error
			stmt, err = tx.PrepareContext(ctx, "INSERT INTO "+table+" VALUES "+strings.Join(tuples, ", "))
			if err != nil {
				return fmt.Errorf("bulk insert: %w", err)
			}
			defer stmt.Close()
		}
		args := make([]any, 0, n*width)
		for _, row := range rows[:n] {
			args = append(args, row...)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("bulk insert: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// emailLocal folds a name into an email address part.
func emailLocal(s string) string {
	return strings.NewReplacer(" ", "", "'", "").Replace(validation.Fold(s))
}
