package booking_test

import (
	"context"
	"testing"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestWelcomeMessage books through the public page for a provider who
// turned the welcome message on, and finds it in the new client's
// thread, addressed by first name and signed with the provider's name.
func TestWelcomeMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		err := e.messages.SetWelcome(ctx, e.provider, true,
			"Hello {first_name}, I look forward to meeting you. {provider_name}")
		if err != nil {
			t.Fatalf("set welcome: %v", err)
		}
		if _, err := e.book.BookNewClient(ctx, e.request(visitor)); err != nil {
			t.Fatalf("book: %v", err)
		}

		page, err := e.clients.List(ctx, e.provider, clients.Query{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("clients = %+v (%v), want the one booked", page, err)
		}
		c := page.Items[0]
		msgs, err := e.messages.Messages(ctx, e.provider, c.ID)
		if err != nil {
			t.Fatalf("messages: %v", err)
		}
		want := "Hello " + c.FirstName + ", I look forward to meeting you. Ada Park"
		if len(msgs) != 1 || msgs[0].Body != want || msgs[0].Sender != "provider" {
			t.Fatalf("thread = %+v, want one welcome %q from the provider", msgs, want)
		}
	})
}
