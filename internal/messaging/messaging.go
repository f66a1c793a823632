// Package messaging is secure messaging between a provider and each of
// their clients: one thread per client, plain-text bodies sealed with
// the key ring, attachments streamed into a sealed blob store, read
// receipts, retraction, search, batched e-mail notifications that carry
// no PHI, and an optional welcome message for new clients.
//
// Access follows the rule of every area: a provider reaches only their
// own clients' threads, a client only their own; anything else,
// malformed ids included, is store.ErrNotFound. Every read and write of
// a message or attachment is written to the audit log, writes in the
// same transaction.
package messaging

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

// Who sent a message.
const (
	SenderProvider = "provider"
	SenderClient   = "client"
)

// MaxBodyChars is the longest message body, in characters.
const MaxBodyChars = 20000

// RetractWindow is how long after sending an unread message its sender
// may retract it.
const RetractWindow = 5 * time.Minute

// NotifyWindow is the batching window of e-mail notifications: every
// message to one recipient within a window yields at most one e-mail,
// sent when the window ends.
const NotifyWindow = time.Minute

// MailTemplate is the notification mail (internal/mail/templates). It
// says only that a message is waiting, never its text or sender details.
const MailTemplate = "message_received"

// Audit actions.
const (
	ActionThreadRead         = "messaging.thread.read"
	ActionMessageSend        = "messaging.message.send"
	ActionMessageRead        = "messaging.message.read"
	ActionAttachmentDownload = "messaging.attachment.download"
	ActionMessageRetract     = "messaging.message.retract"
	ActionSearch             = "messaging.search"
	ActionWelcomeSettings    = "messaging.welcome.update"
)

// Errors the web and API layers map to responses. Validation problems
// (empty body, too long, too many or bad files) are validation.Errors;
// a message to an archived client wraps clients.ErrArchived.
var (
	// ErrNotRecipient means only the message's recipient may mark it read.
	ErrNotRecipient = errors.New("messaging: only the recipient can mark a message read")
	// ErrRetract means the message can no longer be retracted: it is not
	// the actor's, it was read, it is older than RetractWindow or it was
	// already retracted. The wrapping error says which.
	ErrRetract = errors.New("messaging: the message cannot be retracted")
)

// Limits bound attachments.
type Limits struct {
	MaxFiles     int   // files per message; 0 means DefaultLimits().MaxFiles
	MaxFileBytes int64 // bytes per file; 0 means DefaultLimits().MaxFileBytes
}

// DefaultLimits is 10 files of up to 25 MiB each.
func DefaultLimits() Limits { return Limits{MaxFiles: 10, MaxFileBytes: 25 << 20} }

// Thread is one client's conversation with their provider.
type Thread struct {
	ClientID      string
	ClientName    string // the client's preferred or first name and last name
	UnreadCount   int    // messages to the viewer not yet read
	LastMessageAt *time.Time
	LastLine      string // first line of the latest message, decrypted; "" when retracted
	Archived      bool
}

// Attachment is one file sent with a message.
type Attachment struct {
	ID          string
	MessageID   string
	Filename    string
	ContentType string // detected from the content, e.g. "application/pdf"
	Size        int64
}

// Message is one message in a thread. A retracted message has an empty
// Body and no Attachments.
type Message struct {
	ID          string
	ClientID    string
	ProviderID  string
	Sender      string // SenderProvider or SenderClient
	Body        string // plain text; rendering (escaping, links) is the caller's job
	SentAt      time.Time
	ReadAt      *time.Time
	RetractedAt *time.Time
	Attachments []Attachment
}

// Upload is one file to attach. Reader is streamed, never read whole.
type Upload struct {
	Filename     string
	Reader       io.Reader
	DeclaredSize int64 // -1 when unknown; a declared size over the limit is refused unread
}

// WelcomeSettings is a provider's automatic welcome message.
type WelcomeSettings struct {
	Enabled bool
	// Template is the message text; {first_name} becomes the client's
	// first (or preferred) name and {provider_name} the provider's name.
	Template string
}

// DefaultWelcomeTemplate is the welcome text until the provider sets one.
const DefaultWelcomeTemplate = "Hi {first_name}, welcome! I'm glad you reached out. " +
	"You can send me secure messages here any time. — {provider_name}"

// Prefs are one user's notification preferences.
type Prefs struct {
	EmailMessages bool // e-mail me when a new message arrives (default true)
}

// Service is the messaging area.
type Service struct {
	db      *store.DB
	clk     clock.Clock
	log     *audit.Log
	ring    *vault.Ring
	blobs   *blob.SealedStore
	outbox  *mail.Outbox
	queue   *jobs.Queue
	baseURL string
	limits  Limits
}

// New returns the messaging service. blobs is the raw blob store; New
// wraps it with blob.Sealed(blobs, ring) unless it is already a
// *blob.SealedStore, so attachments are always encrypted at rest.
// baseURL (e.g. "https://tend.example") starts the links in
// notification mail. Zero limits take DefaultLimits. The notification
// worker must be registered with Register and connected with Connect.
func New(db *store.DB, clk clock.Clock, log *audit.Log, ring *vault.Ring, blobs blob.Store,
	outbox *mail.Outbox, q *jobs.Queue, baseURL string, limits Limits) *Service {
	sealed, ok := blobs.(*blob.SealedStore)
	if !ok {
		sealed = blob.Sealed(blobs, ring)
	}
	def := DefaultLimits()
	if limits.MaxFiles <= 0 {
		limits.MaxFiles = def.MaxFiles
	}
	if limits.MaxFileBytes <= 0 {
		limits.MaxFileBytes = def.MaxFileBytes
	}
	return &Service{db: db, clk: clk, log: log, ring: ring, blobs: sealed, outbox: outbox,
		queue: q, baseURL: strings.TrimRight(baseURL, "/"), limits: limits}
}

// Limits returns the attachment limits in force.
func (s *Service) Limits() Limits { return s.limits }

func (s *Service) now() time.Time {
	return s.clk.Now().UTC().Truncate(time.Microsecond)
}

func bodyAssociated(messageID string) string { return vault.Bind("messages", "body", messageID) }

// bodyAssociatedPrefix is bodyAssociated without the id, for building
// the associated data in a reused buffer.
var bodyAssociatedPrefix = vault.Bind("messages", "body", "")
