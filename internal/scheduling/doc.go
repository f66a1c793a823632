// Package scheduling is the home of Tend's calendar arithmetic. It holds
// no code itself; the work is done by pure subpackages that neither touch
// a database nor serve HTTP:
//
//   - wallclock turns a local wall-clock reading into an instant, following
//     RFC 5545 §3.3.5 for times skipped or repeated by daylight saving.
//   - recurrence parses, builds, expands and edits recurring series stored
//     as RFC 5545 RRULEs in the provider's time zone.
//   - slots computes the open slots a client may book and checks intervals
//     for overlap.
package scheduling
