package clients

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// Query selects one page of a tab of the clients list.
type Query struct {
	Tab    Status // "" means active
	Q      string // name, preferred name, email or phone; "" for all
	Sort   string // name, last_appointment, next_appointment; "-" first for descending
	Cursor string // NextCursor of the previous page; "" for the first
	Limit  int    // 1 to MaxLimit; 0 means DefaultLimit
}

// Page sizes.
const (
	DefaultLimit = 25
	MaxLimit     = 100
)

// Page is one page of clients. NextCursor is "" on the last page;
// Total counts the whole tab for the same search.
type Page struct {
	Items      []Client
	NextCursor string
	Total      int
}

// Counts holds how many of a provider's clients each tab shows.
type Counts struct {
	Active, NeedsFollowUp, Scheduled, Archived int
}

// Sorts lists the accepted Query.Sort values.
func Sorts() []string {
	return []string{"name", "-name", "last_appointment", "-last_appointment",
		"next_appointment", "-next_appointment"}
}

// args numbers query arguments as they are added. The clock's now is
// added on first use only: PostgreSQL refuses an argument that the
// statement never mentions.
type args struct {
	vals     []any
	at       time.Time
	nowAt    string
	provider string // the placeholder filters put the provider's id in
	dialect  store.Dialect
}

func (a *args) add(v any) string {
	a.vals = append(a.vals, v)
	return fmt.Sprintf("$%d", len(a.vals))
}

// contains tests whether the stored search key col holds needle, and
// hasPrefix whether it starts with prefix. They are plain substring
// functions rather than LIKE: the keys are stored folded, so nothing
// needs LIKE's case rules or wildcards, and SQLite re-plans a statement
// whenever a LIKE pattern parameter is bound again, which cost as much
// as running the list.
func (a *args) contains(col, needle string) string {
	p := a.add(needle)
	if a.dialect == store.Postgres {
		return "strpos(" + col + ", " + p + ") > 0"
	}
	return "instr(" + col + ", " + p + ") > 0"
}

func (a *args) hasPrefix(col, prefix string) string {
	p := a.add(prefix)
	if a.dialect == store.Postgres {
		return "starts_with(" + col + ", " + p + ")"
	}
	return "instr(" + col + ", " + p + ") = 1"
}

// scheduled returns the test for "has a future appointment that is not
// cancelled" suited to how many clients it will run for: after a search,
// few, so one probe each; otherwise most of the provider's clients, so a
// lookup in the set of the provider's future appointments, built once.
func (a *args) scheduled(search bool) string {
	if search {
		return futureExists(a.now())
	}
	return "c.id IN (" + scheduledSet(a.provider, a.now()) + ")"
}

// now returns the placeholder holding the clock's now.
func (a *args) now() string {
	if a.nowAt == "" {
		a.nowAt = a.add(a.at)
	}
	return a.nowAt
}

// List returns one page of the acting provider's clients in a tab,
// filtered by the search and in the chosen order. The read is audited
// without the search text, which may hold a name.
func (s *Service) List(ctx context.Context, actor access.Actor, q Query) (Page, error) {
	if !actor.IsProvider() {
		return Page{}, fmt.Errorf("clients: list: %w", access.ErrForbidden)
	}
	q, cur, err := checkQuery(q)
	if err != nil {
		return Page{}, fmt.Errorf("clients: list: %w", err)
	}
	a := &args{at: s.now(), dialect: s.db.Dialect()}
	where := s.filters(a, actor.ProviderID, q.Tab, q.Q)
	whereArgs := len(a.vals) // the count needs just these
	key, desc := sortKey(q.Sort, a)
	op, dir := ">", "ASC"
	if desc {
		op, dir = "<", "DESC"
	}
	// A name sort walks clients_provider_sort in order and stops at the
	// end of the page, so its total is a separate, index-only count. An
	// appointment sort computes every matching client's key anyway, so
	// the total is counted over the same rows, before the cursor and
	// LIMIT apply, instead of testing the whole tab a second time.
	byName := strings.TrimPrefix(q.Sort, "-") == "name"
	total := "COUNT(*) OVER ()"
	if byName {
		total = "0"
	}
	after := ""
	if cur != nil {
		after = fmt.Sprintf(" WHERE (t.sort_key, t.id) %s (%s, %s)",
			op, a.add(cur.keyValue()), a.add(cur.ID))
	}
	// The page's ids are chosen first from the narrow search columns,
	// with LIMIT applied there; only the chosen rows are then read whole
	// with their derived parts, so the derived parts cost a few probes a
	// row instead of a few per matching client.
	order := ` ORDER BY k.sort_key ` + dir + `, k.id ` + dir
	query := `SELECT ` + clientColumns(a.now()) + `, k.sort_key, k.total FROM (SELECT t.id,
		t.sort_key, t.total FROM (SELECT c.id, ` + key + ` AS sort_key, ` + total +
		` AS total FROM clients c WHERE ` + strings.Join(where, " AND ") + `) t` + after +
		strings.ReplaceAll(order, "k.", "t.") + ` LIMIT ` + a.add(q.Limit+1) +
		`) k JOIN clients c ON c.id = k.id LEFT JOIN payers p ON p.id = c.payer_id` + order

	rows, err := s.query(ctx, query, a.vals...)
	if err != nil {
		return Page{}, fmt.Errorf("clients: list: %w", store.Translate(err))
	}
	defer rows.Close()
	page := Page{Items: []Client{}}
	var last cursor
	for rows.Next() {
		var k sortValue
		c, err := scanClient(rows, &k, &page.Total)
		if err != nil {
			return Page{}, fmt.Errorf("clients: list: %w", err)
		}
		if len(page.Items) == q.Limit {
			page.NextCursor = last.encode()
			break
		}
		page.Items = append(page.Items, c)
		last = cursor{Sort: q.Sort, Key: k.key(q.Sort), ID: c.ID}
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("clients: list: %w", store.Translate(err))
	}
	rows.Close()
	// A page past the last one has no row to carry the total.
	if byName || (len(page.Items) == 0 && cur != nil) {
		if page.Total, err = s.count(ctx, where, a.vals[:whereArgs]); err != nil {
			return Page{}, fmt.Errorf("clients: list: %w", err)
		}
	}

	detail := fmt.Sprintf("tab=%s sort=%s search=%t results=%d",
		q.Tab, q.Sort, q.Q != "", len(page.Items))
	if err := s.audit(ctx, nil, actor, "clients.client.list", "", actor.ProviderID, detail); err != nil {
		return Page{}, fmt.Errorf("clients: list: %w", err)
	}
	return page, nil
}

// Counts returns how many of the acting provider's clients each tab
// holds for the search q ("" for all), in one query.
func (s *Service) Counts(ctx context.Context, actor access.Actor, q string) (Counts, error) {
	if !actor.IsProvider() {
		return Counts{}, fmt.Errorf("clients: counts: %w", access.ErrForbidden)
	}
	a := &args{at: s.now(), dialect: s.db.Dialect()}
	where := s.filters(a, actor.ProviderID, "", strings.TrimSpace(q))
	// One status per client, grouped: a status written into four sums
	// would be evaluated four times a client once SQLite flattens the
	// subquery.
	query := `SELECT t.st, COUNT(*) FROM (SELECT ` + listStatusExpr(a.scheduled(strings.TrimSpace(q) != ""), a.now()) +
		` AS st FROM clients c WHERE ` + strings.Join(where, " AND ") + `) t GROUP BY t.st`
	rows, err := s.query(ctx, query, a.vals...)
	if err != nil {
		return Counts{}, fmt.Errorf("clients: counts: %w", store.Translate(err))
	}
	defer rows.Close()
	var c Counts
	for rows.Next() {
		var st Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return Counts{}, fmt.Errorf("clients: counts: %w", store.Translate(err))
		}
		switch st {
		case StatusScheduled:
			c.Scheduled = n
		case StatusNeedsFollowUp:
			c.NeedsFollowUp = n
		case StatusArchived:
			c.Archived = n
		}
		if st != StatusArchived {
			c.Active += n
		}
	}
	if err := rows.Err(); err != nil {
		return Counts{}, fmt.Errorf("clients: counts: %w", store.Translate(err))
	}
	return c, nil
}

// count returns how many clients match where.
func (s *Service) count(ctx context.Context, where []string, vals []any) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM clients c WHERE `+
		strings.Join(where, " AND "), vals...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count: %w", store.Translate(err))
	}
	return n, nil
}

// filters returns the WHERE conditions for a provider's tab and search.
// An empty tab means no tab filter (Counts); List passes a real tab.
func (s *Service) filters(a *args, providerID string, tab Status, q string) []string {
	a.provider = a.add(providerID)
	where := []string{"c.provider_id = " + a.provider}
	// The search goes first: SQLite tests the terms in the order written
	// (correlated subqueries last), and the search drops most clients
	// with a cheap test on the index row.
	if cond := searchCond(a, q); cond != "" {
		where = append(where, cond)
	}
	switch tab {
	case StatusActive:
		where = append(where, "c.archived_at IS NULL")
	case StatusArchived:
		where = append(where, "c.archived_at IS NOT NULL")
	case StatusScheduled:
		where = append(where, "c.archived_at IS NULL", a.scheduled(q != ""))
	case StatusNeedsFollowUp:
		where = append(where, "c.archived_at IS NULL",
			"NOT "+a.scheduled(q != ""), pastProbe(a.now()))
	}
	return where
}

// searchCond matches q against the search keys: a query of digits and
// phone punctuation searches phone numbers (with or without the country
// code); anything else searches word prefixes of the names and the
// start of the email address.
func searchCond(a *args, q string) string {
	q = strings.TrimSpace(q)
	if q == "" {
		return ""
	}
	if looksLikePhone(q) {
		d := digitsOf(q)
		if strings.HasPrefix(q, "+") {
			return a.hasPrefix("c.phone_digits", d)
		}
		return "(" + a.hasPrefix("c.phone_digits", d) + " OR " +
			a.hasPrefix("c.phone_national", d) + ")"
	}
	// search_name starts every word with a space (see searchName).
	return "(" + a.contains("c.search_name", " "+validation.Fold(q)) + " OR " +
		a.hasPrefix("c.email", strings.ToLower(q)) + ")"
}

// looksLikePhone reports whether q is made of phone characters and has
// at least three digits.
func looksLikePhone(q string) bool {
	digits := 0
	for i, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" -.()/", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// sortKey returns the SQL for the sort key and whether it descends.
// Clients with no appointment on the sorted side sort last either way.
func sortKey(sort string, a *args) (string, bool) {
	desc := strings.HasPrefix(sort, "-")
	switch strings.TrimPrefix(sort, "-") {
	case "last_appointment":
		return "COALESCE(" + lastAt(a.now()) + ", " + a.add(missingTime(desc)) + ")", desc
	case "next_appointment":
		return "COALESCE(" + nextAt(a.now()) + ", " + a.add(missingTime(desc)) + ")", desc
	}
	return "c.sort_name", desc
}

// missingTime stands in for "no appointment": past every real time when
// ascending and before every real time when descending.
func missingTime(desc bool) time.Time {
	if desc {
		return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
}

// checkQuery fills defaults and rejects unknown values.
func checkQuery(q Query) (Query, *cursor, error) {
	var errs validation.Errors
	if q.Tab == "" {
		q.Tab = StatusActive
	}
	if !q.Tab.Valid() {
		errs.Add("status", "Choose active, needs_follow_up, scheduled or archived.")
	}
	if q.Sort == "" {
		q.Sort = "name"
	}
	valid := false
	for _, s := range Sorts() {
		valid = valid || s == q.Sort
	}
	if !valid {
		errs.Add("sort", "Sort by name, last_appointment or next_appointment (prefix - to reverse).")
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit < 1 || q.Limit > MaxLimit:
		errs.Add("limit", fmt.Sprintf("Ask for 1 to %d clients a page.", MaxLimit))
	}
	q.Q = strings.TrimSpace(q.Q)
	if len(q.Q) > 200 {
		errs.Add("q", "Use a shorter search.")
	}
	var cur *cursor
	if q.Cursor != "" && valid {
		c, err := decodeCursor(q.Cursor, q.Sort)
		if err != nil {
			errs.Add("cursor", "This page link is out of date; start from the first page.")
		}
		cur = &c
	}
	return q, cur, errs.Err()
}
