package scheduling

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/validation"
)

// args numbers query arguments as they are added.
type args struct{ vals []any }

func (a *args) add(v any) string {
	a.vals = append(a.vals, v)
	return fmt.Sprintf("$%d", len(a.vals))
}

// bounds are the instants the tabs compare with, from the clock's now
// and the provider's zone. The submission window of an appointment
// closes at the local midnight that ends the 14th day after its date of
// service, so it is still open exactly when the appointment started on
// or after local midnight 13 days before today; it has 3 days or fewer
// left when it started before local midnight 10 days before today.
type bounds struct {
	now, windowOpen, expiring time.Time
}

func tabBounds(now time.Time, loc *time.Location) bounds {
	l := now.In(loc)
	y, m, d := l.Date()
	return bounds{
		now:        now.UTC(),
		windowOpen: time.Date(y, m, d-(SubmissionWindowDays-1), 0, 0, 0, 0, loc).UTC(),
		expiring:   time.Date(y, m, d-(SubmissionWindowDays-ExpiringDays-1), 0, 0, 0, 0, loc).UTC(),
	}
}

// tabCond is the SQL condition of a tab over appointments a.
func tabCond(a *args, tab string, b bounds) string {
	past := func() string {
		return `a.status IN ('scheduled', 'completed') AND a.ends_at <= ` + a.add(b.now)
	}
	switch tab {
	case TabUpcoming:
		return `a.status = 'scheduled' AND a.starts_at > ` + a.add(b.now)
	case TabPast:
		return past()
	case TabUnsubmitted:
		return past() + ` AND a.starts_at >= ` + a.add(b.windowOpen)
	case TabExpiring:
		return past() + ` AND a.starts_at >= ` + a.add(b.windowOpen) +
			` AND a.starts_at < ` + a.add(b.expiring)
	case TabCanceled:
		return `a.status IN ('canceled', 'late_canceled', 'no_show')`
	}
	return "1 = 0"
}

// ascending reports whether a tab lists the earliest first: what comes
// next, and the invoices closest to their deadline.
func ascending(tab string) bool {
	return tab == TabUpcoming || tab == TabUnsubmitted || tab == TabExpiring
}

// filters are the conditions shared by List and TabCounts.
func filters(a *args, providerID string, q ListQuery) []string {
	where := []string{"a.provider_id = " + a.add(providerID)}
	if s := strings.TrimSpace(q.Q); s != "" {
		name := "% " + escapeLike(validation.Fold(s)) + "%"
		where = append(where, `c.search_name LIKE `+a.add(name)+` ESCAPE '\'`)
	}
	if !q.From.IsZero() {
		where = append(where, "a.starts_at >= "+a.add(q.From.UTC()))
	}
	if !q.To.IsZero() {
		where = append(where, "a.starts_at < "+a.add(q.To.UTC()))
	}
	if q.ClientID != "" {
		where = append(where, "a.client_id = "+a.add(q.ClientID))
	}
	return where
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// listCursor marks where a page ended.
type listCursor struct {
	Tab   string    `json:"t"`
	Start time.Time `json:"s"`
	ID    string    `json:"i"`
}

func (c listCursor) encode() string {
	b, _ := json.Marshal(c) // strings and a time always encode
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeListCursor(s, tab string) (listCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c listCursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.Tab != tab || !store.ValidID(c.ID) {
		return listCursor{}, false
	}
	return c, true
}

// checkList fills defaults and rejects unknown values.
func checkList(q ListQuery) (ListQuery, *listCursor, error) {
	var errs validation.Errors
	if q.Tab == "" {
		q.Tab = TabUpcoming
	}
	known := false
	for _, t := range Tabs() {
		known = known || t == q.Tab
	}
	if !known {
		errs.Add("status", "Choose upcoming, unsubmitted, expiring, past or canceled.")
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit < 1 || q.Limit > MaxLimit:
		errs.Add("limit", fmt.Sprintf("Ask for 1 to %d appointments a page.", MaxLimit))
	}
	if len(q.Q) > 200 {
		errs.Add("q", "Use a shorter search.")
	}
	if q.ClientID != "" && !store.ValidID(q.ClientID) {
		errs.Add("client_id", "This is not a client id.")
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		errs.Add("to", "Choose a range that ends after it starts.")
	}
	var cur *listCursor
	if q.Cursor != "" {
		c, ok := decodeListCursor(q.Cursor, q.Tab)
		if !ok {
			errs.Add("cursor", "This page link is out of date; start from the first page.")
		}
		cur = &c
	}
	return q, cur, errs.Err()
}

// List returns one page of the acting provider's appointments in a tab,
// with the client name search and filters of q. The read is audited
// without the search text.
func (s *Service) List(ctx context.Context, actor access.Actor, q ListQuery) (Page, error) {
	if !actor.IsProvider() {
		return Page{}, fmt.Errorf("scheduling: list: %w", access.ErrForbidden)
	}
	q, cur, err := checkList(q)
	if err != nil {
		return Page{}, fmt.Errorf("scheduling: list: %w", err)
	}
	loc, err := s.providerZone(ctx, s.db.Reader(), actor.ProviderID)
	if err != nil {
		return Page{}, fmt.Errorf("scheduling: list: %w", err)
	}
	a := &args{}
	where := append(filters(a, actor.ProviderID, q), tabCond(a, q.Tab, tabBounds(s.clk.Now(), loc)))
	cond := strings.Join(where, " AND ")
	page := Page{Items: []Appointment{}}
	err = s.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*)`+apptFrom+` WHERE `+cond,
		a.vals...).Scan(&page.Total)
	if err != nil {
		return Page{}, fmt.Errorf("scheduling: list: %w", store.Translate(err))
	}
	op, dir := "<", "DESC"
	if ascending(q.Tab) {
		op, dir = ">", "ASC"
	}
	if cur != nil {
		start, id := a.add(cur.Start.UTC()), a.add(cur.ID)
		cond += ` AND (a.starts_at ` + op + ` ` + start + ` OR (a.starts_at = ` +
			start + ` AND a.id ` + op + ` ` + id + `))`
	}
	items, err := queryAppts(ctx, s.db.Reader(), `SELECT `+apptColumns+apptFrom+
		` WHERE `+cond+` ORDER BY a.starts_at `+dir+`, a.id `+dir+` LIMIT `+
		a.add(q.Limit+1), a.vals...)
	if err != nil {
		return Page{}, fmt.Errorf("scheduling: list: %w", err)
	}
	if len(items) > q.Limit {
		items = items[:q.Limit]
		last := items[len(items)-1]
		page.NextCursor = listCursor{Tab: q.Tab, Start: last.Start, ID: last.ID}.encode()
	}
	page.Items = items
	err = s.log.Record(ctx, nil, actor, audit.Entry{Action: "scheduling.appointment.list",
		ObjectType: "appointment", ProviderID: actor.ProviderID, ClientID: q.ClientID,
		Detail: fmt.Sprintf("tab=%s search=%t results=%d", q.Tab, q.Q != "", len(items))})
	if err != nil {
		return Page{}, fmt.Errorf("scheduling: list: %w", err)
	}
	return page, nil
}

// TabCounts returns how many of the acting provider's appointments each
// tab holds for the client name search q ("" for all), in one query.
func (s *Service) TabCounts(ctx context.Context, actor access.Actor, q string) (map[string]int, error) {
	if !actor.IsProvider() {
		return nil, fmt.Errorf("scheduling: tab counts: %w", access.ErrForbidden)
	}
	loc, err := s.providerZone(ctx, s.db.Reader(), actor.ProviderID)
	if err != nil {
		return nil, fmt.Errorf("scheduling: tab counts: %w", err)
	}
	b := tabBounds(s.clk.Now(), loc)
	a := &args{}
	where := filters(a, actor.ProviderID, ListQuery{Q: q})
	var sums []string
	for _, t := range Tabs() {
		sums = append(sums, `COALESCE(SUM(CASE WHEN `+tabCond(a, t, b)+` THEN 1 ELSE 0 END), 0)`)
	}
	vals := make([]int, len(sums))
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	err = s.db.Reader().QueryRowContext(ctx, `SELECT `+strings.Join(sums, ", ")+
		apptFrom+` WHERE `+strings.Join(where, " AND "), a.vals...).Scan(dest...)
	if err != nil {
		return nil, fmt.Errorf("scheduling: tab counts: %w", store.Translate(err))
	}
	out := make(map[string]int, len(vals))
	for i, t := range Tabs() {
		out[t] = vals[i]
	}
	return out, nil
}
