package calsync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// fetcher downloads feeds through the address guard.
type fetcher struct {
	client       *http.Client
	allowPrivate bool
	resolve      func(ctx context.Context, host string) ([]netip.Addr, error)
	dial         func(ctx context.Context, network, addr string) (net.Conn, error)
	maxBytes     int64
	timeout      time.Duration
}

// fetchResult is what one conditional GET produced.
type fetchResult struct {
	NotModified  bool
	Body         []byte
	ETag         string
	LastModified string
}

func newFetcher(o Options) *fetcher {
	f := &fetcher{
		allowPrivate: o.AllowPrivate, resolve: o.Resolve, dial: o.Dial,
		maxBytes: o.MaxBytes, timeout: o.Timeout,
	}
	if f.resolve == nil {
		f.resolve = systemResolve
	}
	if f.dial == nil {
		d := &net.Dialer{Timeout: DialTimeout}
		f.dial = d.DialContext
	}
	transport := &http.Transport{
		// No proxy: a proxy would connect to addresses the guard never saw.
		Proxy:                 nil,
		DialContext:           f.dialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.Timeout,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	f.client = &http.Client{
		Transport: transport,
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return fmt.Errorf("calsync: more than %d redirects", MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("calsync: redirect to a %q address", req.URL.Scheme)
			}
			// Each hop is dialed through dialContext, which checks it.
			return nil
		},
	}
	return f
}

// get fetches rawURL, sending the validators of the last good copy.
// Errors never contain the address, which is a secret.
func (f *fetcher) get(ctx context.Context, rawURL, etag, lastModified string) (fetchResult, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fetchResult{}, errors.New("calsync: the calendar address is not valid")
	}
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	req.Header.Set("User-Agent", "Tend-calendar-sync/1")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return fetchResult{}, describe(err)
	}
	defer resp.Body.Close()

	switch {
	case resp.StatusCode == http.StatusNotModified:
		return fetchResult{NotModified: true, ETag: etag, LastModified: lastModified}, nil
	case resp.StatusCode != http.StatusOK:
		return fetchResult{}, fmt.Errorf("calsync: the calendar's server answered %s", resp.Status)
	case resp.ContentLength > f.maxBytes:
		return fetchResult{}, ErrTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return fetchResult{}, describe(err)
	}
	if int64(len(body)) > f.maxBytes {
		return fetchResult{}, ErrTooLarge
	}
	return fetchResult{
		Body:         body,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}, nil
}

// describe strips the request URL that net/http puts into its errors and
// names timeouts plainly.
func describe(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return errors.New("calsync: the calendar's server did not answer in time")
	}
	if errors.Is(err, ErrBlockedAddress) {
		return ErrBlockedAddress
	}
	return fmt.Errorf("calsync: fetch the calendar: %w", err)
}

// normalizeFeedURL checks a feed address and returns it in the form that
// is fetched: webcal:// (what Apple and Google hand out) becomes
// https://. It answers a message fit to show the provider.
func normalizeFeedURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2048 {
		return nil, errors.New("enter the calendar's secret address (up to 2,048 characters)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("the calendar address is not a valid URL")
	}
	switch strings.ToLower(u.Scheme) {
	case "webcal", "webcals":
		u.Scheme = "https"
	case "https", "http":
		u.Scheme = strings.ToLower(u.Scheme)
	default:
		return nil, errors.New("the calendar address must start with https:// (or webcal://)")
	}
	if u.Hostname() == "" {
		return nil, errors.New("the calendar address has no host")
	}
	u.Fragment = ""
	return u, nil
}
