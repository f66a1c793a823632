package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/messaging"
)

// conversations are the demo threads: logistics and encouragement, the
// kind of thing clients and therapists write between sessions. None of
// them holds clinical detail; the demo shows the inbox, not a record.
var conversations = [][]struct {
	fromClient bool
	body       string
}{
	{
		{false, "Hi {name}, a reminder that next week we meet by video. The link is in your confirmation email."},
		{true, "Thanks! Will the same link work every time?"},
		{false, "Yes, it stays the same for all our telehealth sessions."},
	},
	{
		{true, "Hello, I need to move Thursday's session. Is anything open on Friday morning?"},
		{false, "Friday at 9:00 is open. I've moved you there; you'll get an updated invitation."},
		{true, "Perfect, see you then."},
	},
	{
		{false, "Hi {name}, I've sent you two forms to fill in before our first session. They take about ten minutes."},
		{true, "Done! Let me know if anything is missing."},
	},
	{
		{true, "Could you send me a superbill for last month? My insurer asked for one."},
		{false, "Of course. I'll have it in your portal by tomorrow."},
	},
	{
		{false, "Checking in after last week. The worksheet we talked about is attached to your portal whenever you want it."},
		{true, "Thank you, I started it yesterday."},
		{false, "Great. Bring it along and we'll look at it together."},
	},
	{
		{true, "Running about five minutes late today, sorry!"},
		{false, "No problem, I'll keep the video room open."},
	},
}

// insertMessages writes the demo threads for the first provider's first
// clients that are still in care, and for the demo client's account.
func insertMessages(ctx context.Context, tx *sql.Tx, msgs *messaging.Service,
	now time.Time, plan Plan) error {
	if msgs == nil {
		return nil
	}
	first := plan.Providers[0].ID
	var picked []Client
	for _, c := range plan.Clients {
		if c.ProviderID == first && c.ArchivedAt == nil && len(picked) < 12 {
			picked = append(picked, c)
		}
	}
	for i, c := range picked {
		conv := conversations[i%len(conversations)]
		// Threads end between 2 hours and 12 days ago, newest first.
		end := now.Add(-2*time.Hour - time.Duration(i*i)*2*time.Hour)
		seeds := make([]messaging.SeedMessage, len(conv))
		for j, m := range conv {
			sender := messaging.SenderProvider
			if m.fromClient {
				sender = messaging.SenderClient
			}
			name := c.First
			if c.Preferred != "" {
				name = c.Preferred
			}
			seeds[j] = messaging.SeedMessage{
				Sender: sender,
				Body:   strings.ReplaceAll(m.body, "{name}", name),
				SentAt: end.Add(-time.Duration(len(conv)-1-j) * 3 * time.Hour),
				// A client's message that ends a thread is still
				// waiting, unread, for the provider.
				Read: !(m.fromClient && j == len(conv)-1),
			}
		}
		if err := msgs.Seed(ctx, tx, first, c.ID, seeds); err != nil {
			return fmt.Errorf("insert messages: %w", err)
		}
	}
	return nil
}
