package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/web/ui"
)

// messageTime shows when a message was sent: the time alone today, the
// day and time this year, the full date before.
func messageTime(t time.Time, now time.Time, loc *time.Location) string {
	lt, ln := t.In(loc), now.In(loc)
	switch {
	case lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay():
		return lt.Format("15:04")
	case lt.Year() == ln.Year():
		return lt.Format("2 Jan, 15:04")
	}
	return lt.Format("2 Jan 2006, 15:04")
}

// fileSize shows a byte count for people.
func fileSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.0f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1000*1000))
}

// limitSize shows an attachment size limit, "25 MB" for 25 MiB.
func limitSize(n int64) string {
	return fmt.Sprintf("%d MB", n>>20)
}

// rowFor is how a page shows one message. side is the viewer's side
// (messaging.SenderProvider or SenderClient) and other the name of the
// other side; retractBase, when not "", starts the retract form's action.
type rowFor struct {
	side        string
	other       string
	now         time.Time
	loc         *time.Location
	retractBase string
	unread      map[string]bool // messages to the viewer that were unread on opening
}

// row builds one message's view.
func (f rowFor) row(m messaging.Message) ui.MessageRow {
	r := ui.MessageRow{ID: m.ID, Mine: m.Sender == f.side, When: messageTime(m.SentAt, f.now, f.loc),
		Retracted: m.RetractedAt != nil, Unread: f.unread[m.ID]}
	if r.Mine {
		r.Sender = "You"
		r.Receipt = "Sent"
		if m.ReadAt != nil {
			r.Receipt = "Read " + messageTime(*m.ReadAt, f.now, f.loc)
		}
		if !r.Retracted && m.ReadAt == nil && f.retractBase != "" &&
			f.now.Sub(m.SentAt) < messaging.RetractWindow {
			r.Retract = f.retractBase + m.ID + "/retract"
		}
	} else {
		r.Sender = f.other
	}
	if r.Retracted {
		r.Receipt = ""
		return r
	}
	r.Lines = ui.MessageLines(m.Body)
	for _, a := range m.Attachments {
		r.Attachments = append(r.Attachments, ui.AttachmentLink{ID: a.ID, Name: a.Filename,
			Size: fileSize(a.Size), Type: a.ContentType, Href: "/attachments/" + a.ID})
	}
	return r
}

// hit builds one search result; href leads to the message in its thread.
func (f rowFor) hit(m messaging.Message, thread, href string) ui.SearchHit {
	sender := f.other
	if m.Sender == f.side {
		sender = "You"
	}
	return ui.SearchHit{ID: m.ID, Thread: thread, Sender: sender, When: messageTime(m.SentAt, f.now, f.loc),
		Lines: ui.MessageLines(m.Body), Href: href + "#message-" + m.ID}
}

// unreadTo lists the messages to side that are not read yet.
func unreadTo(msgs []messaging.Message, side string) map[string]bool {
	out := map[string]bool{}
	for _, m := range msgs {
		if m.Sender != side && m.ReadAt == nil && m.RetractedAt == nil {
			out[m.ID] = true
		}
	}
	return out
}

// clientProvider is the name and time zone of a client's provider.
func (s *server) clientProvider(ctx context.Context, clientID string) (string, *time.Location, error) {
	var first, last, zone string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT p.first_name, p.last_name, p.time_zone
		FROM clients c JOIN providers p ON p.id = c.provider_id WHERE c.id = $1`, clientID).
		Scan(&first, &last, &zone)
	if err != nil {
		return "", nil, fmt.Errorf("web: load provider of client: %w", store.Translate(err))
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return strings.TrimSpace(first + " " + last), loc, nil
}
