package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/api"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// racers is how many booking requests race for the open slots.
const racers = 200

// openSlots are the ten hourly starts the racers aim at: Tuesday 3 March
// 09:00 to 16:00 and Wednesday 09:00 and 10:00, Chicago time.
func openSlots() []string {
	var out []string
	for h := 9; h <= 16; h++ {
		out = append(out, local(2026, 3, 3, h, 0))
	}
	return append(out, local(2026, 3, 4, 9, 0), local(2026, 3, 4, 10, 0))
}

// raced is one racing request and what it got.
type raced struct {
	target *env
	body   []byte
	res    response
	err    error
}

// race fires racers POST /appointments at once, spread over targets in
// turn, each for one of the ten open slots, and returns every exchange.
func race(t *testing.T, targets []*env, p schedPractice) []raced {
	t.Helper()
	slots := openSlots()
	out := make([]raced, racers)
	for i := range out {
		body, err := json.Marshal(map[string]any{"client_id": p.client.ID,
			"start": slots[i%len(slots)], "duration_minutes": 50, "type": "follow_up",
			"location": "telehealth", "cpt_code": "90834"})
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		out[i] = raced{target: targets[i%len(targets)], body: body}
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func(r *raced) {
			defer wg.Done()
			<-start
			r.res, r.err = post(r.target, p.token, r.body)
		}(&out[i])
	}
	close(start)
	wg.Wait()
	return out
}

// post sends one booking request; it is safe to call from goroutines.
func post(e *env, token string, body []byte) (response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		e.srv.URL+api.Prefix+"/appointments", bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}, err
}

// checkRace holds the outcome to the rule: exactly one booking per slot,
// every other request a slot_taken answer with fresh slots (never the
// time it lost), each answer as the document says, and no two booked
// sessions overlapping.
func checkRace(t *testing.T, e *env, p schedPractice, results []raced) {
	t.Helper()
	created, taken := 0, 0
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("request %d: %v", i, r.err)
		}
		vreq := httptest.NewRequest(http.MethodPost, api.Prefix+"/appointments", bytes.NewReader(r.body))
		vreq.Header.Set("Content-Type", "application/json")
		vreq.Header.Set("Authorization", "Bearer "+p.token)
		checkAgainstDocument(t, call{method: http.MethodPost, path: "/appointments"}, vreq, r.res)
		switch r.res.status {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			taken++
			got := decode[slotTakenBody](t, r.res)
			if got.Error.Code != "slot_taken" || got.Error.Message != "That time was just taken. Please pick another." {
				t.Errorf("request %d: %s", i, r.res.body)
			}
			if got.Slots == nil {
				t.Errorf("request %d: slot_taken without fresh slots", i)
				continue
			}
			// Other racers may still be booking as the fresh slots are
			// read, but the time this request lost is never offered.
			var asked struct {
				Start string `json:"start"`
			}
			if err := json.Unmarshal(r.body, &asked); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			for _, s := range *got.Slots {
				if s.Start == asked.Start {
					t.Errorf("request %d: the lost time %s is offered again", i, s.Start)
				}
			}
		default:
			t.Errorf("request %d: %d %s", i, r.res.status, r.res.body)
		}
	}
	if created != 10 || taken != racers-10 {
		t.Errorf("%d created and %d slot_taken, want 10 and %d", created, taken, racers-10)
	}
	if n := e.scheduled(t, p.providerID); n != 10 {
		t.Errorf("%d appointments in the database, want 10", n)
	}
	if n := e.overlappingPairs(t, p.providerID); n != 0 {
		t.Errorf("%d overlapping pairs of appointments", n)
	}
}

// TestConcurrentBookingsThroughHTTP races 200 requests for 10 open
// slots on each database: exactly 10 are booked.
func TestConcurrentBookingsThroughHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("200 concurrent requests")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newSchedPractice(t, "pro@example.test")
		checkRace(t, e, p, race(t, []*env{e}, p))
	})
}

// TestConcurrentBookingsTwoServers stands up two API servers with their
// own connections and services over one PostgreSQL database, as two
// processes of one installation would be, and alternates the racing
// requests between them: still exactly 10 bookings.
func TestConcurrentBookingsTwoServers(t *testing.T) {
	if testing.Short() {
		t.Skip("200 concurrent requests")
	}
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	open := func(t *testing.T) *store.DB {
		t.Helper()
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	first := open(t)
	if err := first.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	// Both servers read one key file, as one installation's would.
	keys := filepath.Join(t.TempDir(), "secret.keys")
	a := newEnv(t, first, options{keys: keys})
	b := newEnv(t, open(t), options{keys: keys})
	p := a.newSchedPractice(t, "pro@example.test")

	// A token issued by one server works on the other.
	res := b.do(t, call{method: http.MethodGet, path: "/availability", token: p.token})
	wantStatus(t, res, http.StatusOK)

	checkRace(t, a, p, race(t, []*env{a, b}, p))
}
