//go:build unix

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/demo"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// The race: racers booking requests for raceTimes open times of
// raceMinutes each, half through each process.
const (
	racers      = 200
	raceTimes   = 10
	raceMinutes = 50
	// twoProcessBudget bounds the whole test: build, start, race, stop.
	twoProcessBudget = 90 * time.Second
)

// TestNoDoubleBookingAcrossTwoProcesses builds the real tend binary,
// loads the demo data into a new PostgreSQL database, and runs two
// `tend serve` processes on it that share one data directory (and so one
// key ring). It fires 200 booking requests at once for 10 free times,
// every time asked for 10 times through each process: exactly 10 are
// booked, the other 190 get slot_taken with fresh slots, and the
// database holds no two overlapping appointments of the provider. Both
// processes then shut down gracefully on SIGTERM.
func TestNoDoubleBookingAcrossTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and races 200 requests through two processes")
	}
	dbURL := storetest.PostgresURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), twoProcessBudget)
	defer cancel()

	bin := buildTend(ctx, t)
	common := []string{"--demo", "--clock", clockStart, "--data-dir", t.TempDir(),
		"--database-url", dbURL, "--log-level", "warn"}
	runTend(ctx, t, bin, slices.Concat([]string{"migrate", "up"}, common)...)
	runTend(ctx, t, bin, slices.Concat([]string{"demo"}, common)...)
	serve := slices.Concat([]string{"--addr", "127.0.0.1:0"}, common)
	procA := startTend(ctx, t, "process A", bin, serve...)
	procB := startTend(ctx, t, "process B", bin, serve...)
	procA.waitURL(ctx, t)
	procB.waitURL(ctx, t)
	if procA.url == procB.url {
		t.Fatalf("both processes report %s", procA.url)
	}

	httpc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: racers, IdleConnTimeout: 30 * time.Second}}
	t.Cleanup(httpc.CloseIdleConnections)
	a := &server{url: procA.url, http: httpc}
	b := &server{url: procB.url, http: httpc}

	token := providerToken(t, a)
	clientID := activeClient(t, a, token)
	// A token issued by one process works on the other: one key ring.
	b.apiCall(t, http.MethodGet, "/api/v1/clients?limit=1", token, nil, nil, http.StatusOK)

	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open the database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	providerID := providerOf(ctx, t, db, providerEmail)

	starts := freeTimes(t, a, token)
	from, to := starts[0], starts[len(starts)-1].Add(raceMinutes*time.Minute)
	if n := booked(ctx, t, db, providerID, from, to); n != 0 {
		t.Fatalf("%d appointments already in the race window", n)
	}

	results := raceBookings(ctx, []*server{a, b}, token, clientID, starts)
	checkRaceResults(t, results, starts, 2)
	if n := booked(ctx, t, db, providerID, from, to); n != raceTimes {
		t.Errorf("%d appointments in the database in the race window, want %d", n, raceTimes)
	}
	if n := overlappingPairs(ctx, t, db, providerID); n != 0 {
		t.Errorf("%d overlapping pairs of the provider's appointments", n)
	}

	httpc.CloseIdleConnections()
	procA.stop(ctx, t)
	procB.stop(ctx, t)
}

// providerToken signs the demo provider in to the API.
func providerToken(t *testing.T, s *server) string {
	t.Helper()
	var got struct {
		Token string `json:"token"`
	}
	s.apiCall(t, http.MethodPost, "/api/v1/auth/token", "",
		map[string]string{"email": providerEmail, "password": demo.Password}, &got, http.StatusCreated)
	if got.Token == "" {
		t.Fatal("POST /api/v1/auth/token gave no token")
	}
	return got.Token
}

// activeClient returns the id of one of the provider's clients that is
// not archived.
func activeClient(t *testing.T, s *server, token string) string {
	t.Helper()
	var page struct {
		Items []struct {
			ID         string  `json:"id"`
			ArchivedAt *string `json:"archived_at"`
		} `json:"items"`
	}
	s.apiCall(t, http.MethodGet, "/api/v1/clients", token, nil, &page, http.StatusOK)
	for _, c := range page.Items {
		if c.ArchivedAt == nil && store.ValidID(c.ID) {
			return c.ID
		}
	}
	t.Fatalf("the demo provider has no active client among %d listed", len(page.Items))
	return ""
}

// freeTimes returns raceTimes hourly starts, 08:00 to 17:00 in the
// provider's time zone, on the first day at least ten weeks after the
// demo clock's start that has no appointments yet.
func freeTimes(t *testing.T, s *server, token string) []time.Time {
	t.Helper()
	var avail struct {
		TimeZone string `json:"time_zone"`
	}
	s.apiCall(t, http.MethodGet, "/api/v1/availability", token, nil, &avail, http.StatusOK)
	loc, err := time.LoadLocation(avail.TimeZone)
	if err != nil {
		t.Fatalf("provider time zone %q: %v", avail.TimeZone, err)
	}
	begin, err := time.Parse(time.RFC3339, clockStart)
	if err != nil {
		t.Fatalf("clock start: %v", err)
	}
	y, m, d := begin.In(loc).AddDate(0, 0, 70).Date()
	for i := range 30 {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
		q := url.Values{"from": {day.UTC().Format(time.RFC3339)},
			"to": {day.AddDate(0, 0, 1).UTC().Format(time.RFC3339)}, "limit": {"1"}}
		var page struct {
			Total int `json:"total"`
		}
		s.apiCall(t, http.MethodGet, "/api/v1/appointments?"+q.Encode(), token, nil, &page, http.StatusOK)
		if page.Total > 0 {
			continue
		}
		starts := make([]time.Time, raceTimes)
		for h := range starts {
			starts[h] = time.Date(y, m, d+i, 8+h, 0, 0, 0, loc).UTC()
		}
		return starts
	}
	t.Fatal("no day without appointments in the 30 days searched")
	return nil
}

// bookingTry is one racing request and its answer.
type bookingTry struct {
	via    int // index into the targets
	slot   int // index into the starts
	status int
	body   []byte
	err    error
}

// raceBookings sends racers POST /api/v1/appointments, all released at
// once. Request i asks for starts[(i/2)%len(starts)] through
// targets[i%len(targets)], so every time is asked for equally often
// through each process.
func raceBookings(ctx context.Context, targets []*server, token, clientID string, starts []time.Time) []bookingTry {
	tries := make([]bookingTry, racers)
	for i := range tries {
		tries[i] = bookingTry{via: i % len(targets), slot: (i / 2) % len(starts)}
	}
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := range tries {
		try := &tries[i]
		body, err := json.Marshal(map[string]any{"client_id": clientID,
			"start": starts[try.slot].Format(time.RFC3339), "duration_minutes": raceMinutes,
			"type": "follow_up", "location": "telehealth", "cpt_code": "90834"})
		if err != nil {
			try.err = err
			continue
		}
		wg.Go(func() {
			<-release
			try.status, try.body, try.err = postJSON(ctx, targets[try.via], "/api/v1/appointments", token, body)
		})
	}
	close(release)
	wg.Wait()
	return tries
}

// postJSON sends one JSON POST and returns the status and body; it is
// safe to call from many goroutines.
func postJSON(ctx context.Context, s *server, path, token string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, raw, err
}

// checkRaceResults holds the answers to the rule: each time booked
// exactly once, every other request a 409 slot_taken with fresh slots.
// It logs how many bookings went through each of the targets.
func checkRaceResults(t *testing.T, tries []bookingTry, starts []time.Time, targets int) {
	t.Helper()
	wins := make([]int, len(starts))
	winsBy := make([]int, targets)
	created, taken := 0, 0
	for i, r := range tries {
		if r.err != nil {
			t.Errorf("request %d: %v", i, r.err)
			continue
		}
		switch r.status {
		case http.StatusCreated:
			created++
			wins[r.slot]++
			winsBy[r.via]++
			checkCreated(t, i, r.body, starts[r.slot])
		case http.StatusConflict:
			taken++
			var got struct {
				Error struct {
					Code string `json:"code"`
				} `json:"error"`
				Slots *[]json.RawMessage `json:"slots"`
			}
			if err := json.Unmarshal(r.body, &got); err != nil || got.Error.Code != "slot_taken" {
				t.Errorf("request %d: 409 %s, want code slot_taken", i, r.body)
			} else if got.Slots == nil {
				t.Errorf("request %d: slot_taken without fresh slots: %s", i, r.body)
			}
		default:
			t.Errorf("request %d: %d %s", i, r.status, r.body)
		}
	}
	if created != raceTimes || taken != racers-raceTimes {
		t.Errorf("%d created and %d slot_taken, want %d and %d",
			created, taken, raceTimes, racers-raceTimes)
	}
	for k, n := range wins {
		if n != 1 {
			t.Errorf("%s booked %d times, want once", starts[k].Format(time.RFC3339), n)
		}
	}
	t.Logf("bookings won through each process: %v", winsBy)
}

// checkCreated checks that a 201 answer holds the one appointment asked
// for.
func checkCreated(t *testing.T, i int, body []byte, want time.Time) {
	t.Helper()
	var got struct {
		Items []struct {
			ID     string `json:"id"`
			Start  string `json:"start"`
			Status string `json:"status"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &got); err != nil || len(got.Items) != 1 {
		t.Errorf("request %d: 201 %s, want one appointment (%v)", i, body, err)
		return
	}
	a := got.Items[0]
	start, err := time.Parse(time.RFC3339, a.Start)
	if err != nil || !start.Equal(want) || !store.ValidID(a.ID) || a.Status != "scheduled" {
		t.Errorf("request %d: created %s at %s (%s), want a new scheduled appointment at %s",
			i, a.ID, a.Start, a.Status, want.Format(time.RFC3339))
	}
}

// providerOf returns the provider id of the account with the email.
func providerOf(ctx context.Context, t *testing.T, db *store.DB, email string) string {
	t.Helper()
	var id string
	err := db.Reader().QueryRowContext(ctx,
		`SELECT provider_id FROM users WHERE email = $1`, email).Scan(&id)
	if err != nil {
		t.Fatalf("provider of %s: %v", email, err)
	}
	return id
}

// live is the SQL condition for an appointment that holds its time.
const live = `status NOT IN ('canceled', 'late_canceled')`

// booked counts the provider's appointments that hold time overlapping
// [from, to).
func booked(ctx context.Context, t *testing.T, db *store.DB, providerID string, from, to time.Time) int {
	t.Helper()
	var n int
	err := db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM appointments
		WHERE provider_id = $1 AND starts_at < $3 AND ends_at > $2 AND `+live,
		providerID, from.UTC(), to.UTC()).Scan(&n)
	if err != nil {
		t.Fatalf("count appointments: %v", err)
	}
	return n
}

// overlappingPairs counts pairs of the provider's appointments, neither
// canceled, whose times overlap.
func overlappingPairs(ctx context.Context, t *testing.T, db *store.DB, providerID string) int {
	t.Helper()
	var n int
	err := db.Reader().QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*)
		FROM appointments a JOIN appointments b ON a.provider_id = b.provider_id
		AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
		WHERE a.provider_id = $1 AND a.%s AND b.%s`, live, live), providerID).Scan(&n)
	if err != nil {
		t.Fatalf("count overlapping appointments: %v", err)
	}
	return n
}
