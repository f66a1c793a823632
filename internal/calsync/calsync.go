// Package calsync connects a provider's Tend calendar with the calendar
// programs they already use, in both directions.
//
// Export: each provider has a private iCalendar feed at
// /calendar/{token}.ics. The token is revocable; the database stores only
// a keyed hash of it. The feed lists the provider's appointments from 90
// days back to a year ahead, each carrying the client's initials and the
// kind of session only (no names, no other PHI), with a VTIMEZONE built
// from Go's time zone database, stable UIDs and the appointment's
// SEQUENCE, so calendar programs update moved events in place. Canceled
// appointments stay in the feed as STATUS:CANCELLED, which makes
// subscribed calendars remove them rather than keep a stale copy.
//
// Import: a provider adds the secret iCalendar address of an outside
// calendar (Google, Outlook/Exchange, iCloud publish these). A periodic
// job fetches every feed through a guarded HTTP client (timeouts, a size
// limit, ETag/If-Modified-Since, no private or loopback addresses unless
// allowed, a few re-checked redirects), expands the events into busy
// intervals and replaces the feed's stored intervals. Only the intervals
// are kept: no titles, descriptions or attendees. A failing feed keeps its
// last good intervals, records the error and raises one task per failure
// streak.
package calsync

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// Limits on what an imported feed may cost.
const (
	// DefaultMaxBytes is the largest feed body accepted.
	DefaultMaxBytes = 10 << 20
	// DefaultTimeout bounds a whole fetch, redirects included.
	DefaultTimeout = 20 * time.Second
	// DialTimeout bounds connecting to the feed's server.
	DialTimeout = 5 * time.Second
	// MaxRedirects is how many redirects a fetch follows.
	MaxRedirects = 3
	// MaxIntervals caps the busy intervals one feed may produce.
	MaxIntervals = 50000
	// ImportBack and ImportAhead bound the imported window around now.
	ImportBack  = 7 * 24 * time.Hour
	ImportAhead = 180 * 24 * time.Hour
	// ExportBack and ExportAhead bound the exported window around now.
	ExportBack  = 90 * 24 * time.Hour
	ExportAhead = 365 * 24 * time.Hour
	// RefreshEvery is how often the periodic job refreshes every feed.
	RefreshEvery = 15 * time.Minute
	// MaxFeedsPerProvider bounds how many calendars one provider connects.
	MaxFeedsPerProvider = 10
)

// ErrNotFound is store.ErrNotFound, returned for unknown or revoked
// export tokens and for feeds that are not the actor's.
var ErrNotFound = store.ErrNotFound

// ErrBlockedAddress means a feed address resolved to a loopback, private,
// link-local or otherwise internal address while those are not allowed.
var ErrBlockedAddress = errors.New("calsync: the calendar address points into a private network")

// ErrTooLarge means a feed body exceeded the size limit.
var ErrTooLarge = errors.New("calsync: the calendar is larger than the size limit")

// ErrNotCalendar means a feed body is not an iCalendar document.
var ErrNotCalendar = errors.New("calsync: not an iCalendar document")

// Options tune the service; the zero value is right for production.
type Options struct {
	// BaseURL is the site's public address, for export feed URLs.
	BaseURL string
	// AllowPrivate lets feeds live on loopback and private networks
	// (tests and the demo).
	AllowPrivate bool
	// Resolve looks up a host's addresses; nil uses net.DefaultResolver.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
	// Dial connects to an already checked address ("ip:port"); nil uses a
	// net.Dialer with DialTimeout.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// MaxBytes is the feed size limit; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Timeout bounds a whole fetch; 0 means DefaultTimeout.
	Timeout time.Duration
	// Logger receives fetch outcomes (never addresses or event content);
	// nil discards them.
	Logger *slog.Logger
}

// Service exports and imports calendars.
type Service struct {
	db    *store.DB
	clk   clock.Clock
	ring  *vault.Ring
	audit *audit.Log
	opts  Options
	fetch *fetcher
	log   *slog.Logger
}

// New returns a Service over db. ring seals feed addresses and keys the
// export token hashes; log audits reads and changes.
func New(db *store.DB, clk clock.Clock, ring *vault.Ring, log *audit.Log, opts Options) *Service {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{
		db: db, clk: clk, ring: ring, audit: log, opts: opts,
		fetch: newFetcher(opts), log: logger,
	}
}
