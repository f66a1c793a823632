package calsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

// feedServer serves a changeable calendar with an ETag and records the
// validators it was sent.
type feedServer struct {
	mu       sync.Mutex
	body     string
	etag     string
	status   int // 0 means 200
	lastINM  string
	requests int
}

func (f *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.lastINM = r.Header.Get("If-None-Match")
	if f.status != 0 {
		w.WriteHeader(f.status)
		return
	}
	if f.etag != "" && f.lastINM == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", f.etag)
	w.Header().Set("Content-Type", "text/calendar")
	fmt.Fprint(w, f.body)
}

func (f *feedServer) set(body, etag string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.body, f.etag, f.status = body, etag, status
}

// oneEvent is a calendar with one busy hour starting at start (UTC), a
// free hour after it, and a canceled hour after that.
func oneEvent(start time.Time) string {
	f := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	return string(cal(
		"BEGIN:VEVENT", "UID:busy", "DTSTART:"+f(start), "DTEND:"+f(start.Add(time.Hour)), "SUMMARY:Dentist", "END:VEVENT",
		"BEGIN:VEVENT", "UID:free", "DTSTART:"+f(start.Add(time.Hour)), "DTEND:"+f(start.Add(2*time.Hour)),
		"TRANSP:TRANSPARENT", "END:VEVENT",
		"BEGIN:VEVENT", "UID:gone", "DTSTART:"+f(start.Add(3*time.Hour)), "DTEND:"+f(start.Add(4*time.Hour)),
		"STATUS:CANCELLED", "END:VEVENT"))
}

func busy(t *testing.T, e *env, providerID string) []slots.Interval {
	t.Helper()
	got, err := e.svc.Busy(context.Background(), providerID, testNow.Add(-30*24*time.Hour), testNow.Add(200*24*time.Hour))
	if err != nil {
		t.Fatalf("Busy: %v", err)
	}
	return got
}

func countTasks(t *testing.T, e *env, providerID string) int {
	t.Helper()
	var n int
	err := e.db.Reader().QueryRow(`SELECT COUNT(*) FROM tasks WHERE provider_id = $1 AND kind = $2`,
		providerID, TaskKindFeedError).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFeedLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fs := &feedServer{}
		srv := httptest.NewServer(fs)
		defer srv.Close()
		e := newEnv(t, db, Options{AllowPrivate: true, Timeout: 5 * time.Second})
		pid := e.actor.ProviderID
		first := testNow.Add(48 * time.Hour)
		fs.set(oneEvent(first), `"v1"`, 0)

		feed, err := e.svc.AddFeed(ctx, e.actor, strings.Replace(srv.URL, "http://", "webcal://", 1)+"/secret-token/basic.ics")
		if err == nil {
			t.Fatal("webcal:// becomes https://, which the plain test server cannot answer")
		}
		feed, err = e.svc.AddFeed(ctx, e.actor, srv.URL+"/secret-token/basic.ics")
		if err != nil {
			t.Fatalf("AddFeed: %v", err)
		}
		want := []slots.Interval{{Start: first, End: first.Add(time.Hour)}}
		if got := busy(t, e, pid); !equalIntervals(got, want) {
			t.Fatalf("Busy after add = %v, want %v", got, want)
		}
		// Neither the address nor any event text is stored in the clear.
		var sealed, host string
		if err := db.Reader().QueryRow(`SELECT url_sealed, url_host FROM calendar_feeds`).Scan(&sealed, &host); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sealed, "secret-token") || host != "127.0.0.1" {
			t.Errorf("stored url_sealed=%q url_host=%q", sealed, host)
		}
		list, err := e.svc.Feeds(ctx, e.actor)
		if err != nil || len(list) != 1 || list[0].ID != feed.ID || list[0].LastError != "" || list[0].LastOKAt == nil {
			t.Fatalf("Feeds = %+v, %v", list, err)
		}

		// 304: the data stays; the validator was sent.
		e.clk.Advance(15 * time.Minute)
		if err := e.svc.RefreshAll(ctx); err != nil {
			t.Fatal(err)
		}
		if fs.lastINM != `"v1"` {
			t.Errorf("If-None-Match = %q, want \"v1\"", fs.lastINM)
		}
		if got := busy(t, e, pid); !equalIntervals(got, want) {
			t.Fatalf("Busy after 304 = %v, want %v", got, want)
		}

		// A change replaces the intervals.
		second := testNow.Add(72 * time.Hour)
		fs.set(oneEvent(second), `"v2"`, 0)
		e.clk.Advance(15 * time.Minute)
		if err := e.svc.RefreshAll(ctx); err != nil {
			t.Fatal(err)
		}
		want = []slots.Interval{{Start: second, End: second.Add(time.Hour)}}
		if got := busy(t, e, pid); !equalIntervals(got, want) {
			t.Fatalf("Busy after change = %v, want %v", got, want)
		}

		// Failures keep the last good data, record the error and raise one
		// task per streak.
		for range 2 {
			fs.set("", "", http.StatusInternalServerError)
			e.clk.Advance(15 * time.Minute)
			if err := e.svc.RefreshAll(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if got := busy(t, e, pid); !equalIntervals(got, want) {
			t.Fatalf("Busy after failures = %v, want the last good %v", got, want)
		}
		if n := countTasks(t, e, pid); n != 1 {
			t.Fatalf("%d tasks after one failure streak, want 1", n)
		}
		list, _ = e.svc.Feeds(ctx, e.actor)
		if !strings.Contains(list[0].LastError, "500") || strings.Contains(list[0].LastError, "secret-token") {
			t.Errorf("LastError = %q", list[0].LastError)
		}
		fs.set("this is not a calendar", `"v3"`, 0)
		e.clk.Advance(15 * time.Minute)
		if err := e.svc.RefreshAll(ctx); err != nil {
			t.Fatal(err)
		}
		if n := countTasks(t, e, pid); n != 1 {
			t.Fatalf("%d tasks, want still 1 (same streak)", n)
		}
		fs.set(oneEvent(second), `"v4"`, 0)
		e.clk.Advance(15 * time.Minute)
		if err := e.svc.RefreshAll(ctx); err != nil {
			t.Fatal(err)
		}
		list, _ = e.svc.Feeds(ctx, e.actor)
		if list[0].LastError != "" {
			t.Errorf("LastError after recovery = %q", list[0].LastError)
		}
		fs.set("", "", http.StatusNotFound)
		e.clk.Advance(15 * time.Minute)
		if err := e.svc.RefreshAll(ctx); err != nil {
			t.Fatal(err)
		}
		if n := countTasks(t, e, pid); n != 2 {
			t.Fatalf("%d tasks after a second streak, want 2", n)
		}

		// Another provider cannot see or remove the feed.
		other := e.provider(t, "Europe/London")
		if l, _ := e.svc.Feeds(ctx, other); len(l) != 0 {
			t.Errorf("other provider sees %d feeds", len(l))
		}
		if err := e.svc.RemoveFeed(ctx, other, feed.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("other RemoveFeed = %v, want ErrNotFound", err)
		}
		if err := e.svc.RemoveFeed(ctx, e.actor, feed.ID); err != nil {
			t.Fatal(err)
		}
		if got := busy(t, e, pid); len(got) != 0 {
			t.Errorf("Busy after remove = %v", got)
		}
	})
}

func TestAddFeedBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mux := http.NewServeMux()
		mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>hello</html>") })
		mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(50<<20))
			w.WriteHeader(http.StatusOK)
		})
		srv := httptest.NewServer(mux)
		defer srv.Close()
		e := newEnv(t, db, Options{AllowPrivate: true, Timeout: 5 * time.Second})
		guarded := newEnv(t, db, Options{})
		cases := []struct {
			name string
			svc  *Service
			url  string
			msg  string
		}{
			{"not a url", e.svc, "::nope", "not a valid URL"},
			{"ftp", e.svc, "ftp://example.com/cal.ics", "https://"},
			{"not a calendar", e.svc, srv.URL + "/page", "iCalendar"},
			{"50 MB", e.svc, srv.URL + "/huge", "larger than"},
			{"private address", guarded.svc, srv.URL + "/page", "private network"},
		}
		for _, tc := range cases {
			_, err := tc.svc.AddFeed(ctx, e.actor, tc.url)
			errs, ok := validation.From(err)
			if !ok || !strings.Contains(errs.For("url"), tc.msg) {
				t.Errorf("%s: AddFeed = %v, want a url error about %q", tc.name, err, tc.msg)
			}
		}
		var n int
		if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM calendar_feeds`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d feeds stored after bad input (%v)", n, err)
		}
		client := access.Actor{UserID: "u", Role: access.RoleClient, ClientID: store.NewID()}
		if _, err := e.svc.AddFeed(ctx, client, srv.URL); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("client AddFeed = %v", err)
		}
	})
}

func equalIntervals(a, b []slots.Interval) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Start.Equal(b[i].Start) || !a[i].End.Equal(b[i].End) {
			return false
		}
	}
	return true
}
