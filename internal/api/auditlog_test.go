package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// auditItem is one entry of GET /audit.
type auditItem struct {
	ID         string `json:"id"`
	At         string `json:"at"`
	ActorID    string `json:"actor_id"`
	Action     string `json:"action"`
	ObjectID   string `json:"object_id"`
	ProviderID string `json:"provider_id"`
}

type auditList struct {
	Items      []auditItem `json:"items"`
	NextCursor *string     `json:"next_cursor"`
}

// listAudit returns GET /audit?query for bearer.
func (e *env) listAudit(t *testing.T, bearer string, query url.Values) auditList {
	t.Helper()
	res := e.do(t, call{method: http.MethodGet, path: "/audit?" + query.Encode(), token: bearer})
	wantStatus(t, res, http.StatusOK)
	return decode[auditList](t, res)
}

// record writes an audit entry about object in provider's practice.
func (e *env) record(t *testing.T, providerID, object string) {
	t.Helper()
	err := e.audit.Record(context.Background(), nil, access.System(), audit.Entry{
		Action: "clients.client.read", ObjectType: "client",
		ObjectID: object, ProviderID: providerID,
	})
	if err != nil {
		t.Fatalf("record audit entry: %v", err)
	}
}

// objects counts the items about each object id.
func objects(items []auditItem) map[string]int {
	n := map[string]int{}
	for _, it := range items {
		n[it.ObjectID]++
	}
	return n
}

func TestAuditScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{demo: true})
		a := e.newUser(t, access.RoleProvider, "a@example.test", "")
		b := e.newUser(t, access.RoleProvider, "b@example.test", "")
		c := e.newUser(t, access.RoleClient, "c@example.test", a.ProviderID)
		e.newUser(t, access.RoleAdmin, "admin@example.test", "")
		objA, objB := store.NewID(), store.NewID()
		e.record(t, a.ProviderID, objA)
		e.record(t, b.ProviderID, objB)

		tokA, tokB := e.signIn(t, "a@example.test"), e.signIn(t, "b@example.test")
		tokC, tokAdmin := e.signIn(t, "c@example.test"), e.signIn(t, "admin@example.test")

		tests := []struct {
			name   string
			token  string
			wantA  int
			wantB  int
			allows func(auditItem) bool
		}{
			{"provider a", tokA, 1, 0, func(it auditItem) bool {
				return it.ProviderID == a.ProviderID || it.ActorID == a.ID
			}},
			{"provider b", tokB, 0, 1, func(it auditItem) bool {
				return it.ProviderID == b.ProviderID || it.ActorID == b.ID
			}},
			{"client", tokC, 0, 0, func(it auditItem) bool { return it.ActorID == c.ID }},
			{"admin", tokAdmin, 1, 1, func(auditItem) bool { return true }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := e.listAudit(t, tt.token, url.Values{"limit": {"200"}})
				if len(got.Items) == 0 {
					t.Fatal("no audit entries at all; the sign-in should show")
				}
				for _, it := range got.Items {
					if !tt.allows(it) {
						t.Errorf("sees entry %+v", it)
					}
				}
				n := objects(got.Items)
				if n[objA] != tt.wantA || n[objB] != tt.wantB {
					t.Errorf("entries about a: %d, b: %d; want %d, %d",
						n[objA], n[objB], tt.wantA, tt.wantB)
				}
			})
		}
	})
}

func TestAuditFiltersAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newUser(t, access.RoleProvider, "pro@example.test", "")
		obj := store.NewID()
		start := e.clk.Now()
		e.record(t, p.ProviderID, obj)
		e.clk.Advance(time.Hour)
		e.record(t, p.ProviderID, obj)
		e.record(t, p.ProviderID, store.NewID())
		token := e.signIn(t, "pro@example.test")
		mid := start.Add(30 * time.Minute).Format(time.RFC3339)

		tests := []struct {
			name  string
			query url.Values
			want  int
		}{
			{"object", url.Values{"object_id": {obj}}, 2},
			{"object from", url.Values{"object_id": {obj}, "from": {mid}}, 1},
			{"object to", url.Values{"object_id": {obj}, "to": {mid}}, 1},
			{"unknown object", url.Values{"object_id": {store.NewID()}}, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := e.listAudit(t, token, tt.query)
				if len(got.Items) != tt.want {
					t.Errorf("%d items, want %d: %+v", len(got.Items), tt.want, got.Items)
				}
				for _, it := range got.Items {
					if it.ObjectID != tt.query.Get("object_id") {
						t.Errorf("item about %s, filtered for %s", it.ObjectID, tt.query.Get("object_id"))
					}
				}
			})
		}

		// One entry per page, newest first, until next_cursor is null.
		var seen []auditItem
		q := url.Values{"object_id": {obj}, "limit": {"1"}}
		for page := 0; ; page++ {
			got := e.listAudit(t, token, q)
			seen = append(seen, got.Items...)
			if got.NextCursor == nil {
				break
			}
			if page > 3 {
				t.Fatal("paging does not end")
			}
			q.Set("cursor", *got.NextCursor)
		}
		if len(seen) != 2 || seen[0].At <= seen[1].At {
			t.Errorf("pages gave %+v, want the two entries newest first", seen)
		}
	})
}

func TestAuditBadParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		e.newUser(t, access.RoleProvider, "pro@example.test", "")
		token := e.signIn(t, "pro@example.test")

		tests := []struct {
			name, query string
			status      int
			code, field string
		}{
			{"limit zero", "limit=0", 422, "validation_failed", "limit"},
			{"limit too big", "limit=1000", 422, "validation_failed", "limit"},
			{"limit not a number", "limit=ten", 422, "validation_failed", "limit"},
			{"from not a time", "from=yesterday", 422, "validation_failed", "from"},
			{"to before from", "from=2026-03-02T10:00:00Z&to=2026-03-01T10:00:00Z",
				422, "validation_failed", "to"},
			{"made-up cursor", "cursor=bm9wZQ", 422, "validation_failed", "cursor"},
			{"unknown parameter", "objectid=x", 400, "unknown_parameter", "objectid"},
			{"repeated parameter", "limit=1&limit=2", 422, "validation_failed", "limit"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := e.do(t, call{method: http.MethodGet, path: "/audit?" + tt.query,
					token: token, broken: true})
				wantError(t, res, tt.status, tt.code, tt.field)
			})
		}
	})
}
