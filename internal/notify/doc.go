// Package notify tells providers and clients about their appointments:
// a confirmation when one is booked, an update when it moves, a notice
// when it is cancelled, each with an iCalendar invitation attached
// (METHOD:REQUEST or METHOD:CANCEL), and a reminder some hours before it
// starts.
//
// The Notifier hears of every change inside the scheduling transaction
// (it implements scheduling.Notifier), so the mail and the reminder jobs
// exist exactly when the change commits. A reminder job carries the
// appointment id and the sequence it was made for; when it runs it sends
// only if the appointment is still scheduled at that sequence, so a
// moved or cancelled appointment's old reminder never goes out, and a
// row per sent reminder keeps a job that runs twice from mailing twice.
//
// Mail holds no clinical content: dates, times, the kind of location
// and a link to the portal. The provider's copy names the client by
// initials only; the client's copy never shows provider-internal notes.
package notify
