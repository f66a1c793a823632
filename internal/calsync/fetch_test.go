package calsync

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeNet makes made-up host names resolve to chosen addresses and
// connects every "public" address to the one test server, so the guard
// can be tested without real networks.
type fakeNet struct {
	hosts  map[string]string // host -> address it resolves to
	target string            // host:port of the httptest server
}

func (n fakeNet) options(o Options) Options {
	o.Resolve = func(_ context.Context, host string) ([]netip.Addr, error) {
		a, ok := n.hosts[host]
		if !ok {
			return nil, fmt.Errorf("no such host %s", host)
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	o.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, n.target)
	}
	return o
}

func serverPort(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, port, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	return port
}

func TestBlocked(t *testing.T) {
	for _, a := range []string{"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
		"100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::",
		"64:ff9b::a00:1", "255.255.255.255"} {
		if !blocked(netip.MustParseAddr(a)) {
			t.Errorf("%s is not blocked", a)
		}
	}
	for _, a := range []string{"203.0.113.7", "8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"} {
		if blocked(netip.MustParseAddr(a)) {
			t.Errorf("%s is blocked", a)
		}
	}
}

func TestFetchGuard(t *testing.T) {
	var hits atomic.Int32
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	port := serverPort(t, srv)
	mux.HandleFunc("/feed.ics", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
	})
	mux.HandleFunc("/to-loopback", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:"+port+"/feed.ics", http.StatusFound)
	})
	mux.HandleFunc("/to-inside", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://inside.test:"+port+"/feed.ics", http.StatusFound)
	})
	mux.HandleFunc("/to-public", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://cal.test:"+port+"/feed.ics", http.StatusFound)
	})
	mux.HandleFunc("/loop/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	fake := fakeNet{hosts: map[string]string{"cal.test": "203.0.113.7", "inside.test": "10.1.2.3",
		"meta.test": "169.254.169.254"}, target: srv.Listener.Addr().String()}
	f := newFetcher(fake.options(Options{MaxBytes: DefaultMaxBytes, Timeout: 2 * time.Second}))
	ctx := context.Background()
	base := "http://cal.test:" + port

	tests := []struct {
		name, url string
		blocked   bool
		errText   string
	}{
		{"public host", base + "/feed.ics", false, ""},
		{"public redirect to public", base + "/to-public", false, ""},
		{"literal loopback", "http://127.0.0.1:" + port + "/feed.ics", true, ""},
		{"name resolving to private", "http://inside.test:" + port + "/feed.ics", true, ""},
		{"name resolving to link-local metadata", "http://meta.test:" + port + "/feed.ics", true, ""},
		{"redirect to loopback", base + "/to-loopback", true, ""},
		{"redirect to private name", base + "/to-inside", true, ""},
		{"too many redirects", base + "/loop/", false, "redirects"},
		{"slow server", base + "/slow", false, "did not answer in time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := hits.Load()
			_, err := f.get(ctx, tc.url, "", "")
			switch {
			case tc.blocked:
				if !errors.Is(err, ErrBlockedAddress) {
					t.Fatalf("get = %v, want ErrBlockedAddress", err)
				}
				if hits.Load() != before {
					t.Fatal("the blocked address was reached")
				}
			case tc.errText != "":
				if err == nil || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("get = %v, want an error about %q", err, tc.errText)
				}
			default:
				if err != nil {
					t.Fatalf("get: %v", err)
				}
			}
			if err != nil && strings.Contains(err.Error(), "/feed.ics") {
				t.Errorf("error %q reveals the address", err)
			}
		})
	}

	allowed := newFetcher(Options{AllowPrivate: true, MaxBytes: DefaultMaxBytes, Timeout: 2 * time.Second})
	if _, err := allowed.get(ctx, srv.URL+"/feed.ics", "", ""); err != nil {
		t.Fatalf("with AllowPrivate, loopback: %v", err)
	}
}

func TestFetchSizeLimit(t *testing.T) {
	var sent atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(50<<20))
		w.WriteHeader(http.StatusOK)
		n, _ := w.Write([]byte("BEGIN:VCALENDAR\r\n"))
		sent.Add(int64(n))
	})
	mux.HandleFunc("/streamed", func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("X-FILLER:0123456789abcdef\r\n", 1000))
		for total := 0; total < 50<<20; total += len(chunk) {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := newFetcher(Options{AllowPrivate: true, MaxBytes: DefaultMaxBytes, Timeout: 10 * time.Second})
	for _, path := range []string{"/declared", "/streamed"} {
		sent.Store(0)
		_, err := f.get(context.Background(), srv.URL+path, "", "")
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%s: get = %v, want ErrTooLarge", path, err)
		}
		if s := sent.Load(); s > 30<<20 {
			t.Errorf("%s: the server sent %d bytes; the fetch should stop near 10 MB", path, s)
		}
	}
}

func TestNormalizeFeedURL(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"webcal://p01-caldav.icloud.com/published/2/abc", "https://p01-caldav.icloud.com/published/2/abc", ""},
		{" https://calendar.google.com/calendar/ical/x/private-y/basic.ics ", "https://calendar.google.com/calendar/ical/x/private-y/basic.ics", ""},
		{"HTTP://outlook.office365.com/owa/calendar/a/b/calendar.ics#frag", "http://outlook.office365.com/owa/calendar/a/b/calendar.ics", ""},
		{"file:///etc/passwd", "", "https://"},
		{"https:///nohost", "", "no host"},
		{"", "", "secret address"},
	}
	for _, tc := range tests {
		u, err := normalizeFeedURL(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("normalizeFeedURL(%q) = %v, %v; want error about %q", tc.in, u, err, tc.err)
			}
		case err != nil || u.String() != tc.want:
			t.Errorf("normalizeFeedURL(%q) = %v, %v; want %s", tc.in, u, err, tc.want)
		}
	}
}
