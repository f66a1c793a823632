// Package scheduling keeps providers' availability and appointments: the
// working hours, booking rules and offices a provider sets, the open
// slots clients may book, and the appointments and recurring series
// booked in them.
//
// Two appointments of one provider never overlap unless one is
// cancelled. The guarantee is the database's, not a check in Go: every
// write that places an appointment first serializes on the provider
// (a transaction-scoped advisory lock on PostgreSQL; on SQLite the single
// writer connection's BEGIN IMMEDIATE), then re-checks for overlap inside
// the same transaction before it inserts or moves a row.
//
// The calendar arithmetic is done by pure subpackages that neither touch
// a database nor serve HTTP:
//
//   - wallclock turns a local wall-clock reading into an instant, following
//     RFC 5545 §3.3.5 for times skipped or repeated by daylight saving.
//   - recurrence parses, builds, expands and edits recurring series stored
//     as RFC 5545 RRULEs in the provider's time zone.
//   - slots computes the open slots a client may book and checks intervals
//     for overlap.
package scheduling
