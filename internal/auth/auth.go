// Package auth owns accounts and everything about signing in: password
// hashing and policy, sign-in throttling, server-side sessions, TOTP
// two-factor authentication with recovery codes, emailed single-use
// links and API tokens.
//
// Nothing secret is stored in the clear. Session cookies, emailed links,
// API tokens and recovery codes are random values of which only a keyed
// hash (HMAC-SHA256 under a key-ring subkey) reaches the database;
// passwords are argon2id hashes; TOTP secrets are sealed with the key
// ring. Every sign-in event and account change is written to the audit
// log in the same transaction as the change.
package auth

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// Session lifetimes.
const (
	// IdleTimeout signs a session out after this long without a request.
	IdleTimeout = 15 * time.Minute
	// AbsoluteTimeout ends a session this long after sign-in, however
	// busy it is.
	AbsoluteTimeout = 12 * time.Hour
)

// Errors callers tell apart. Handlers map them to messages; none of them
// says whether an account exists.
var (
	// ErrInvalidCredentials means the email or password was wrong.
	ErrInvalidCredentials = errors.New("auth: invalid email or password")
	// ErrDisabled means the account has been disabled by an administrator.
	ErrDisabled = errors.New("auth: account disabled")
	// ErrMFARequired means a second factor must be given (or enrolled)
	// before the sign-in can go on.
	ErrMFARequired = errors.New("auth: two-factor code required")
	// ErrInvalidCode means a TOTP or recovery code was wrong or used.
	ErrInvalidCode = errors.New("auth: invalid code")
	// ErrTokenInvalid means a link or API token is unknown, used,
	// revoked or expired.
	ErrTokenInvalid = errors.New("auth: invalid or expired token")
	// ErrAlreadySetUp means the first administrator already exists.
	ErrAlreadySetUp = errors.New("auth: already set up")
	// ErrSessionExpired means the session is unknown, idle too long or
	// past its absolute limit; the user must sign in again.
	ErrSessionExpired = errors.New("auth: session expired")
	// ErrMFAAlreadyEnabled means TOTP is already on; it must be turned
	// off before a new device is enrolled.
	ErrMFAAlreadyEnabled = errors.New("auth: two-factor authentication already enabled")
	// ErrMFANotPending means ConfirmTOTP was called without BeginTOTP.
	ErrMFANotPending = errors.New("auth: no two-factor enrolment in progress")
)

// FieldError is a validation failure tied to one input field. Its
// message is written for the person filling in the form.
type FieldError struct {
	Field   string
	Message string
}

// Error returns the message shown to the user.
func (e *FieldError) Error() string { return e.Message }

// ThrottledError means too many failed attempts: the caller must wait
// RetryAfter before trying again.
type ThrottledError struct {
	RetryAfter time.Duration
}

// Error returns a message that tells the user how long to wait.
func (e *ThrottledError) Error() string {
	mins := int(math.Ceil(e.RetryAfter.Minutes()))
	if mins <= 1 {
		return "Too many sign-in attempts. Try again in 1 minute."
	}
	return fmt.Sprintf("Too many sign-in attempts. Try again in %d minutes.", mins)
}

// Options tune the service.
type Options struct {
	// BaseURL is the public URL emailed links start with, without a
	// trailing slash.
	BaseURL string
	// Demo relaxes rules meant for production: admins need no TOTP.
	Demo bool
}

// User is an account.
type User struct {
	ID          string
	Email       string
	Role        access.Role
	DisplayName string
	ProviderID  string // set for providers
	ClientID    string // set for clients
	MFAEnabled  bool
	HasPassword bool
	DisabledAt  *time.Time
	CreatedAt   time.Time
}

// Disabled reports whether an administrator has disabled the account.
func (u User) Disabled() bool { return u.DisabledAt != nil }

// Service is the accounts and sign-in domain. It is safe for concurrent
// use.
type Service struct {
	db     *store.DB
	clk    clock.Clock
	ring   *vault.Ring
	audit  *audit.Log
	outbox *mail.Outbox
	opts   Options

	params     hashParams // argon2id parameters for new hashes
	dummyOnce  sync.Once
	dummyHash  string // verified against when the email is unknown
	tokenKey   []byte // HMAC key for stored token hashes
	subjectKey []byte // HMAC key for throttle subjects
}

// New returns the service. All collaborators are required.
func New(db *store.DB, clk clock.Clock, ring *vault.Ring, log *audit.Log,
	outbox *mail.Outbox, opts Options) *Service {
	return &Service{
		db:         db,
		clk:        clk,
		ring:       ring,
		audit:      log,
		outbox:     outbox,
		opts:       opts,
		params:     defaultParams,
		tokenKey:   ring.Subkey("auth-token"),
		subjectKey: ring.Subkey("auth-throttle"),
	}
}

// now reads the clock, in UTC.
func (s *Service) now() time.Time { return s.clk.Now().UTC() }

// Actor returns the access actor for a signed-in user.
func (s *Service) Actor(u User, sessionID, ip, ua string) access.Actor {
	return access.Actor{
		UserID:     u.ID,
		Role:       u.Role,
		ProviderID: u.ProviderID,
		ClientID:   u.ClientID,
		SessionID:  sessionID,
		IP:         ip,
		UserAgent:  ua,
	}
}

// MFARequired reports whether u must use two-factor authentication:
// administrators must, except in demo mode.
func (s *Service) MFARequired(u User) bool {
	return u.Role == access.RoleAdmin && !s.opts.Demo
}
