package scheduling

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/scheduling/slots"
	"github.com/tend-portal/tend/internal/store"
)

// Errors the service returns (wrapped). They carry nothing about other
// people's appointments.
var (
	// ErrSlotTaken means the time asked for overlaps an appointment that
	// is already booked; for a series, at least one occurrence does.
	ErrSlotTaken = errors.New("this time was just taken; choose another")
	// ErrOutsideWindow means a client tried to cancel or move an
	// appointment inside the provider's cancellation window.
	ErrOutsideWindow = errors.New("too close to the appointment to change it online")
	// ErrArchived is clients.ErrArchived: an archived client cannot book.
	ErrArchived = clients.ErrArchived
)

// Appointment statuses.
const (
	StatusScheduled    = "scheduled"
	StatusCompleted    = "completed"
	StatusCanceled     = "canceled"
	StatusLateCanceled = "late_canceled"
	StatusNoShow       = "no_show"
)

// Appointment kinds.
const (
	KindIntake   = "intake"
	KindFollowUp = "follow_up"
)

// Locations.
const (
	LocationOffice     = "office"
	LocationTelehealth = "telehealth"
)

// Sources: who booked an appointment.
const (
	SourceProvider = "provider"
	SourceClient   = "client"
	SourcePublic   = "public"
)

// Scopes of a change to an appointment that belongs to a series.
const (
	ScopeThis      = "this"
	ScopeFollowing = "following"
	ScopeAll       = "all"
)

// List tabs.
const (
	TabUpcoming    = "upcoming"
	TabUnsubmitted = "unsubmitted"
	TabExpiring    = "expiring"
	TabPast        = "past"
	TabCanceled    = "canceled"
)

// Tabs lists the list tabs in the order the page shows them.
func Tabs() []string {
	return []string{TabUpcoming, TabUnsubmitted, TabExpiring, TabPast, TabCanceled}
}

// SubmissionWindowDays is how many days after the date of service an
// invoice can be submitted; ExpiringDays is when the Expiring tab starts.
const (
	SubmissionWindowDays = 14
	ExpiringDays         = 3
)

// Office is one place a provider sees clients in person.
type Office struct {
	ID, Name, Line1, City, State, PostalCode string
}

// AppointmentType is a kind of session a provider offers, with its
// default length and CPT code. Kind is intake or follow_up.
type AppointmentType struct {
	Key, Name string
	Minutes   int
	CPT       string
	Kind      string
}

// BookingRules limit what clients may book themselves.
type BookingRules struct {
	IncrementMinutes    int // 15, 30 or 60
	MinNoticeMinutes    int
	HorizonDays         int // 0: no limit
	BufferBeforeMinutes int
	BufferAfterMinutes  int
	DailyMax            int // 0: no limit
	CancelWindowHours   int // default 24
	ReminderHours       int // default 24
}

// TimeOffEntry is time a provider is away. Start and End are instants
// (a one-off span, possibly several days). With AllDay only their local
// calendar dates in the provider's zone count, inclusive. With RRule
// set, [Start, End) is the first occurrence of a recurring block.
type TimeOffEntry struct {
	ID         string
	Start, End time.Time
	AllDay     bool
	RRule      string
	Note       string // the provider's own label, e.g. "Vacation"
}

// Availability is a provider's scheduling settings. TimeZone comes from
// the provider's record.
type Availability struct {
	ProviderID, TimeZone string
	Weekly               slots.Week
	Overrides            []slots.Override
	TimeOff              []TimeOffEntry
	Types                []AppointmentType
	Rules                BookingRules
	Offices              []Office
	Telehealth           bool
	Slug                 string
}

// AvailabilityPatch changes some of a provider's settings: nil fields
// stay as they are.
type AvailabilityPatch struct {
	TimeZone   *string
	Weekly     *slots.Week
	Overrides  *[]slots.Override
	TimeOff    *[]TimeOffEntry
	Types      *[]AppointmentType
	Rules      *BookingRules
	Offices    *[]Office
	Telehealth *bool
	Slug       *string
}

// Appointment is one appointment row. LocalStart and LocalEnd are the
// same instants in the provider's zone. ClientName is the client's
// preferred (or first) name and last name.
type Appointment struct {
	ID, ProviderID, ClientID, SeriesID string
	Kind                               string
	TypeKey                            string
	Start, End                         time.Time
	LocalStart, LocalEnd               time.Time
	Location                           string
	OfficeID, CPT, NotesForClient      string
	Status                             string
	CancelReason, CanceledBy           string
	CanceledAt                         *time.Time
	Sequence                           int
	Source                             string
	ClientName                         string
	CreatedAt, UpdatedAt               time.Time
}

// Recurrence asks for a series: a Frequency (weekly, biweekly,
// every_4_weeks or monthly) with Count or Until, or a raw RRule in the
// supported RFC 5545 subset, anchored at the start's local wall-clock
// time in the provider's zone.
type Recurrence struct {
	Frequency string
	Count     int
	Until     *time.Time
	RRule     string
}

// NewAppointment is a request to book. Kind, CPT and DurationMinutes
// default from TypeKey; Location defaults to telehealth when no office
// is given. Source is provider, client or public; it is set from the
// actor when empty.
type NewAppointment struct {
	ClientID        string
	Start           time.Time
	DurationMinutes int
	Kind, TypeKey   string
	Location        string
	OfficeID, CPT   string
	NotesForClient  string
	Recurrence      *Recurrence
	Source          string
}

// Occurrence is one session a booking would create, as Preview shows
// it. LocalStart and LocalEnd are wall-clock times in the provider's
// zone (2006-01-02T15:04:05). Conflict is true where it overlaps a booked
// appointment; Warnings hold notes for the provider, such as
// "outside_hours".
type Occurrence struct {
	Start, End           time.Time
	LocalStart, LocalEnd string
	Conflict             bool
	Warnings             []string
}

// WarningOutsideHours marks an occurrence outside the working hours.
const WarningOutsideHours = "outside_hours"

// Change edits an appointment; nil fields stay as they are. Start moves
// the session; for a series scope, later sessions move by the same
// local wall-clock shift.
type Change struct {
	Start                                            *time.Time
	DurationMinutes                                  *int
	Location, OfficeID, CPT, NotesForClient, TypeKey *string
}

// ListQuery selects one page of the appointments list.
type ListQuery struct {
	Tab      string // upcoming (default), unsubmitted, expiring, past, canceled
	Q        string // client name search
	From, To time.Time
	ClientID string
	Cursor   string
	Limit    int // 1 to MaxLimit; 0 means DefaultLimit
}

// Page sizes.
const (
	DefaultLimit = 25
	MaxLimit     = 100
)

// Page is one page of appointments.
type Page struct {
	Items      []Appointment
	NextCursor string
	Total      int
}

// PublicProvider is what the public booking page shows about a provider.
type PublicProvider struct {
	ID, Slug, Name, Credentials, Pronouns, TimeZone, Bio string
	Telehealth                                           bool
	Offices                                              []Office
	Types                                                []AppointmentType
}

// ChangeEvent tells a Notifier what changed: Before holds the rows as
// they were (empty for a booking), After as they are now.
type ChangeEvent struct {
	Kind   string // booked, rescheduled, canceled
	Before []Appointment
	After  []Appointment
	Actor  access.Actor
}

// ChangeEvent kinds.
const (
	EventBooked      = "booked"
	EventRescheduled = "rescheduled"
	EventCanceled    = "canceled"
)

// Notifier hears of every booking, reschedule and cancellation inside
// the transaction that makes it; an error rolls the change back.
type Notifier interface {
	AppointmentsChanged(ctx context.Context, tx *sql.Tx, change ChangeEvent) error
}

// Service keeps availability and appointments.
type Service struct {
	db      *store.DB
	clk     clock.Clock
	log     *audit.Log
	jobs    *jobs.Queue
	clients *clients.Service

	mu       sync.RWMutex
	notifier Notifier

	// gates admit one booking per provider at a time in this process
	// before a database connection is taken (see withBookingGate).
	gates [64]chan struct{}
}

// New returns a Service. q may be nil when nothing is queued.
func New(db *store.DB, clk clock.Clock, log *audit.Log, q *jobs.Queue,
	cs *clients.Service) *Service {
	s := &Service{db: db, clk: clk, log: log, jobs: q, clients: cs}
	for i := range s.gates {
		s.gates[i] = make(chan struct{}, 1)
	}
	return s
}

// SetNotifier installs n to hear of every change; nil removes it.
func (s *Service) SetNotifier(n Notifier) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifier = n
}

func (s *Service) notify(ctx context.Context, tx *sql.Tx, ev ChangeEvent) error {
	s.mu.RLock()
	n := s.notifier
	s.mu.RUnlock()
	if n == nil {
		return nil
	}
	return n.AppointmentsChanged(ctx, tx, ev)
}

func (s *Service) now() time.Time {
	return s.clk.Now().UTC().Truncate(time.Microsecond)
}
