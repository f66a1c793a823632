package clients_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

// names lists the page's clients as "First Last".
func names(p clients.Page) []string {
	out := []string{}
	for _, c := range p.Items {
		out = append(out, c.FirstName+" "+c.LastName)
	}
	return out
}

func TestSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		chloe := input("Chloé", "Müller", "chloe.m@example.com")
		chloe.Phone = "+1 (718) 555-0123"
		e.create(t, e.a, chloe)
		bella := input("Isabella", "García", "bella@example.org")
		bella.PreferredName, bella.Phone = "Bella", "917.555.0188"
		e.create(t, e.a, bella)
		e.create(t, e.a, input("Liam", "Nguyen", "liam@example.com"))
		// Provider B's client matches many searches but is never listed.
		e.create(t, e.b, input("Chloe", "Muller", "chloe.m@example.com"))

		tests := []struct {
			q    string
			want []string
		}{
			{"chloe", []string{"Chloé Müller"}},
			{"CHLOÉ", []string{"Chloé Müller"}},
			{"mull", []string{"Chloé Müller"}},
			{"chloe mu", []string{"Chloé Müller"}},
			{"bella", []string{"Isabella García"}},
			{"garcia", []string{"Isabella García"}},
			{"bella garc", []string{"Isabella García"}},
			{"bella@", []string{"Isabella García"}},
			{"LIAM@EXAMPLE", []string{"Liam Nguyen"}},
			{"(917) 555-0188", []string{"Isabella García"}},
			{"9175550188", []string{"Isabella García"}},
			{"+1 917 555", []string{"Isabella García"}},
			{"1-718-555-01", []string{"Chloé Müller"}},
			{"212", []string{"Liam Nguyen"}},
			{"555", []string{}}, // a phone search matches from the start
			{"ller", []string{}},
			{"%", []string{}},
			{"_iam", []string{}},
			{"müller chloé", []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.q, func(t *testing.T) {
				p, err := e.svc.List(ctx, e.a, clients.Query{Q: tt.q})
				if err != nil {
					t.Fatalf("List: %v", err)
				}
				if got := names(p); !slices.Equal(got, tt.want) || p.Total != len(tt.want) {
					t.Errorf("q=%q: got %v (total %d), want %v", tt.q, got, p.Total, tt.want)
				}
				n, err := e.svc.Counts(ctx, e.a, tt.q)
				if err != nil || n.Active != len(tt.want) {
					t.Errorf("Counts(%q) = %+v, %v; want %d active", tt.q, n, err, len(tt.want))
				}
			})
		}
	})
}

func TestPaginationAndSort(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		lasts := []string{"Abebe", "Brooks", "Chen", "Delgado", "Eze", "Fitzgerald", "García"}
		byLast := map[string]clients.Client{}
		for i, last := range lasts {
			c := e.create(t, e.a, input("Sam", last, last+"@example.com"))
			byLast[last] = c
			// Seen i days ago; the first four booked 10-i days ahead.
			e.appointment(t, c, start.Add(-time.Duration(i+1)*24*time.Hour), "completed")
			if i < 4 {
				e.appointment(t, c, start.Add(time.Duration(10-i)*24*time.Hour), "scheduled")
			}
		}
		e.create(t, e.a, input("Zed", "Zimmer", "zed@example.com")) // never seen

		// walk pages through q and checks that every page carries the
		// total of the whole tab (counted separately for name sorts and
		// along with the rows for appointment sorts).
		walk := func(q clients.Query, want int) []string {
			t.Helper()
			var out []string
			q.Limit = 3
			for range 10 {
				p, err := e.svc.List(ctx, e.a, q)
				if err != nil {
					t.Fatalf("List %+v: %v", q, err)
				}
				if len(p.Items) > 3 {
					t.Fatalf("page of %d, limit 3", len(p.Items))
				}
				if p.Total != want {
					t.Errorf("List %+v: total %d, want %d", q, p.Total, want)
				}
				for _, c := range p.Items {
					out = append(out, c.LastName)
				}
				if p.NextCursor == "" {
					return out
				}
				q.Cursor = p.NextCursor
			}
			t.Fatal("pagination did not end")
			return nil
		}
		tests := []struct {
			name string
			q    clients.Query
			want []string
		}{
			{"name", clients.Query{Sort: "name"},
				[]string{"Abebe", "Brooks", "Chen", "Delgado", "Eze", "Fitzgerald", "García", "Zimmer"}},
			{"name descending", clients.Query{Sort: "-name"},
				[]string{"Zimmer", "García", "Fitzgerald", "Eze", "Delgado", "Chen", "Brooks", "Abebe"}},
			{"next appointment", clients.Query{Sort: "next_appointment"},
				[]string{"Delgado", "Chen", "Brooks", "Abebe", "Eze", "Fitzgerald", "García", "Zimmer"}},
			{"last appointment, latest first", clients.Query{Sort: "-last_appointment"},
				[]string{"Abebe", "Brooks", "Chen", "Delgado", "Eze", "Fitzgerald", "García", "Zimmer"}},
			{"scheduled tab by next", clients.Query{Tab: clients.StatusScheduled, Sort: "-next_appointment"},
				[]string{"Abebe", "Brooks", "Chen", "Delgado"}},
			{"follow-up tab by last", clients.Query{Tab: clients.StatusNeedsFollowUp, Sort: "last_appointment"},
				[]string{"García", "Fitzgerald", "Eze"}},
			// A searched tab tests the statuses per client rather than
			// through the set of future appointments: same answers.
			{"scheduled tab searched", clients.Query{Tab: clients.StatusScheduled, Q: "sam",
				Sort: "-next_appointment"}, []string{"Abebe", "Brooks", "Chen", "Delgado"}},
			{"follow-up tab searched", clients.Query{Tab: clients.StatusNeedsFollowUp, Q: "sam",
				Sort: "last_appointment"}, []string{"García", "Fitzgerald", "Eze"}},
			{"follow-up tab searched, never seen", clients.Query{Tab: clients.StatusNeedsFollowUp,
				Q: "zed"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := walk(tt.q, len(tt.want)); !slices.Equal(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}

		p, err := e.svc.List(ctx, e.a, clients.Query{Limit: 2})
		if err != nil || p.Total != 8 || len(p.Items) != 2 {
			t.Fatalf("first page: %d items, total %d, %v", len(p.Items), p.Total, err)
		}
		counts := []struct {
			q    string
			want clients.Counts
		}{
			{"", clients.Counts{Active: 8, Scheduled: 4, NeedsFollowUp: 3}},
			{"sam", clients.Counts{Active: 7, Scheduled: 4, NeedsFollowUp: 3}},
			{"chen", clients.Counts{Active: 1, Scheduled: 1}},
			{"zed", clients.Counts{Active: 1}},
		}
		for _, tt := range counts {
			if n, err := e.svc.Counts(ctx, e.a, tt.q); err != nil || n != tt.want {
				t.Errorf("Counts(%q) = %+v, %v; want %+v", tt.q, n, err, tt.want)
			}
		}

		// A page whose rows went away since the cursor was made still
		// carries the tab's total.
		q := clients.Query{Tab: clients.StatusNeedsFollowUp, Sort: "last_appointment", Limit: 2}
		first, err := e.svc.List(ctx, e.a, q)
		if err != nil || first.NextCursor == "" {
			t.Fatalf("follow-up first page: %+v, %v", first, err)
		}
		if _, err := e.svc.Archive(ctx, e.a, byLast["Eze"].ID, clients.ReasonDischarged); err != nil {
			t.Fatal(err)
		}
		q.Cursor = first.NextCursor
		if p, err := e.svc.List(ctx, e.a, q); err != nil || len(p.Items) != 0 || p.Total != 2 {
			t.Errorf("page after an archived client: %d items, total %d, %v; want 0 and 2",
				len(p.Items), p.Total, err)
		}

		bad := []clients.Query{
			{Tab: "pending"}, {Sort: "age"}, {Limit: 101}, {Limit: -1},
			{Cursor: "not-a-cursor"}, {Cursor: p.NextCursor, Sort: "-name"},
		}
		for _, q := range bad {
			if _, err := e.svc.List(ctx, e.a, q); !isValidation(err) {
				t.Errorf("List %+v = %v, want a validation error", q, err)
			}
		}
	})
}

func isValidation(err error) bool {
	_, ok := validation.From(err)
	return ok
}

func TestScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		mine := e.create(t, e.a, input("Jamie", "Chen", "jamie@example.com"))
		sibling := e.create(t, e.a, input("Kai", "Chen", "kai@example.com"))

		// Provider B cannot reach A's client in any way.
		if _, err := e.svc.Get(ctx, e.b, mine.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("B Get = %v, want ErrNotFound", err)
		}
		in := mine.Input()
		in.FirstName = "Changed"
		if _, err := e.svc.Update(ctx, e.b, mine.ID, in); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("B Update = %v, want ErrNotFound", err)
		}
		if _, err := e.svc.Archive(ctx, e.b, mine.ID, clients.ReasonDischarged); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("B Archive = %v, want ErrNotFound", err)
		}
		if _, err := e.svc.Unarchive(ctx, e.b, mine.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("B Unarchive = %v, want ErrNotFound", err)
		}
		p, err := e.svc.List(ctx, e.b, clients.Query{Q: "chen"})
		if err != nil || len(p.Items) != 0 || p.Total != 0 {
			t.Errorf("B List = %v, %v", names(p), err)
		}
		if n, _ := e.svc.Counts(ctx, e.b, ""); n != (clients.Counts{}) {
			t.Errorf("B Counts = %+v", n)
		}
		for _, id := range []string{"", "42", "not-an-id", store.NewID()} {
			if _, err := e.svc.Get(ctx, e.a, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get(%q) = %v, want ErrNotFound", id, err)
			}
		}
		got, err := e.svc.Get(ctx, e.a, mine.ID)
		if err != nil || got.FirstName != "Jamie" {
			t.Fatalf("A Get after B's attempts = %+v, %v", got, err)
		}

		// A client reaches their own record only, and changes nothing.
		self := access.Actor{UserID: store.NewID(), Role: access.RoleClient, ClientID: mine.ID}
		if got, err := e.svc.Get(ctx, self, mine.ID); err != nil || got.ID != mine.ID {
			t.Errorf("client Get self = %v", err)
		}
		if _, err := e.svc.Get(ctx, self, sibling.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("client Get other = %v, want ErrNotFound", err)
		}
		if _, err := e.svc.Update(ctx, self, mine.ID, in); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("client Update = %v, want ErrNotFound", err)
		}
		if _, err := e.svc.List(ctx, self, clients.Query{}); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("client List = %v, want ErrForbidden", err)
		}
		admin := access.Actor{UserID: store.NewID(), Role: access.RoleAdmin}
		if _, err := e.svc.Get(ctx, admin, mine.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("admin Get = %v, want ErrNotFound", err)
		}
		if _, err := e.svc.Create(ctx, admin, input("A", "B", "")); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("admin Create = %v, want ErrForbidden", err)
		}
	})
}

func TestAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		c := e.create(t, e.a, input("Jamie", "Chen", "jamie@example.com"))
		if _, err := e.svc.Get(ctx, e.a, c.ID); err != nil {
			t.Fatal(err)
		}
		in := c.Input()
		in.Pronouns = "they/them"
		if _, err := e.svc.Update(ctx, e.a, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.List(ctx, e.a, clients.Query{Q: "jamie"}); err != nil {
			t.Fatal(err)
		}
		for _, action := range []string{"clients.client.create", "clients.client.read",
			"clients.client.update"} {
			if n := e.auditCount(t, action, c.ID); n != 1 {
				t.Errorf("%d %s rows, want 1", n, action)
			}
		}
		var detail, provider string
		err := db.Reader().QueryRowContext(ctx, `SELECT detail, provider_id FROM audit_log
			WHERE action = 'clients.client.update'`).Scan(&detail, &provider)
		if err != nil || detail != "fields=pronouns" || provider != e.a.ProviderID {
			t.Errorf("update audit detail %q provider %q, %v", detail, provider, err)
		}
		err = db.Reader().QueryRowContext(ctx, `SELECT detail FROM audit_log
			WHERE action = 'clients.client.list'`).Scan(&detail)
		if err != nil || detail != "tab=active sort=name search=true results=1" {
			t.Errorf("list audit detail %q, %v", detail, err)
		}
		// A rejected write leaves no audit row.
		in.Email = "broken"
		if _, err := e.svc.Update(ctx, e.a, c.ID, in); err == nil {
			t.Fatal("bad update succeeded")
		}
		if n := e.auditCount(t, "clients.client.update", c.ID); n != 1 {
			t.Errorf("rejected update wrote an audit row (%d)", n)
		}
	})
}

func TestPayers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		payers, err := e.svc.Payers(context.Background())
		if err != nil || len(payers) < 10 {
			t.Fatalf("Payers = %d, %v", len(payers), err)
		}
		if !slices.ContainsFunc(payers, func(p clients.Payer) bool {
			return p.ID == aetna && p.Name == "Aetna"
		}) {
			t.Errorf("Aetna missing from %v", payers)
		}
	})
}
