package store_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestSchemasMatch migrates a SQLite and a PostgreSQL database and holds
// them to the same tables with the same column names, so code written
// once runs on both. Column types differ by design (TIMESTAMP against
// TIMESTAMPTZ) and are not compared.
func TestSchemasMatch(t *testing.T) {
	lite := columnsByTable(t, storetest.SQLite(t))
	pg := columnsByTable(t, storetest.Postgres(t))

	// Both listings must see a table known to exist, or the comparison
	// below would pass on two empty sets.
	known := map[string][]string{"sqlite": lite["users"], "postgres": pg["users"]}
	for name, cols := range known {
		if !slices.Contains(cols, "email") {
			t.Fatalf("%s: users columns = %v, want email among them", name, cols)
		}
	}
	for _, table := range sortedUnion(lite, pg) {
		liteCols, inLite := lite[table]
		pgCols, inPG := pg[table]
		switch {
		case !inLite:
			t.Errorf("table %s exists only on PostgreSQL", table)
		case !inPG:
			t.Errorf("table %s exists only on SQLite", table)
		default:
			if only := missing(liteCols, pgCols); len(only) > 0 {
				t.Errorf("table %s: columns only on SQLite: %s",
					table, strings.Join(only, ", "))
			}
			if only := missing(pgCols, liteCols); len(only) > 0 {
				t.Errorf("table %s: columns only on PostgreSQL: %s",
					table, strings.Join(only, ", "))
			}
		}
	}
}

// columnsByTable returns each application table's column names, sorted.
// Goose's version table and River's job queue tables are left out.
func columnsByTable(t testing.TB, db *store.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	query := `SELECT m.name, p.name
		FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`
	if db.Dialect() == store.Postgres {
		query = `SELECT c.table_name, c.column_name
			FROM information_schema.columns c
			JOIN information_schema.tables t
			  ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema()
			  AND t.table_type = 'BASE TABLE'`
	}
	rows, err := db.Reader().QueryContext(ctx, query)
	if err != nil {
		t.Fatalf("%s: list columns: %v", db.Dialect(), err)
	}
	defer rows.Close()

	out := map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			t.Fatalf("%s: list columns: %v", db.Dialect(), err)
		}
		if table == "goose_db_version" || strings.HasPrefix(table, "river_") {
			continue
		}
		out[table] = append(out[table], column)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: list columns: %v", db.Dialect(), err)
	}
	for _, cols := range out {
		slices.Sort(cols)
	}
	return out
}

func sortedUnion(a, b map[string][]string) []string {
	names := slices.Collect(maps.Keys(a))
	for name := range b {
		if _, ok := a[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// missing returns the names in have that want lacks.
func missing(have, want []string) []string {
	var out []string
	for _, name := range have {
		if !slices.Contains(want, name) {
			out = append(out, name)
		}
	}
	return out
}
