package booking_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestHoneypotChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		req := e.request(visitor)
		want, err := e.book.BookNewClient(context.Background(), req)
		if err != nil {
			t.Fatalf("honest booking: %v", err)
		}
		bot := e.request("bot@example.test")
		bot.Start = wednesday10.Add(time.Hour)
		bot.Honeypot = "http://spam.example"
		got, err := e.book.BookNewClient(context.Background(), bot)
		if err != nil || got.ProviderName != want.ProviderName || !got.Start.Equal(bot.Start) {
			t.Fatalf("honeypot answer = %+v (%v), want a success like %+v", got, err, want)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM clients WHERE email = 'bot@example.test'`); n != 0 {
			t.Errorf("the honeypot request made %d clients", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM appointments`); n != 1 {
			t.Errorf("%d appointments, want only the honest one", n)
		}
	})
}

func TestRateLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		// Five bad requests from one IP use up its allowance...
		for i := range 5 {
			req := e.request("ip" + strconv.Itoa(i) + "@example.test")
			req.ConsentTerms = false
			if _, err := e.book.BookNewClient(ctx, req); err == nil || errors.Is(err, booking.ErrRateLimited) {
				t.Fatalf("attempt %d: err = %v, want a validation error", i+1, err)
			}
		}
		_, err := e.book.BookNewClient(ctx, e.request(visitor))
		var limited *booking.RateLimitedError
		if !errors.As(err, &limited) || limited.RetryAfter <= 0 || limited.RetryAfter > time.Hour {
			t.Fatalf("sixth attempt: err = %v, want RateLimitedError", err)
		}
		// ...and one email address from many IPs too.
		for i := range 5 {
			req := e.request("same@example.test")
			req.IP, req.ConsentPrivacy = "192.0.2."+strconv.Itoa(i+1), false
			if _, err := e.book.BookNewClient(ctx, req); errors.Is(err, booking.ErrRateLimited) {
				t.Fatalf("email attempt %d limited too early", i+1)
			}
		}
		req := e.request("same@example.test")
		req.IP = "192.0.2.99"
		if _, err := e.book.BookNewClient(ctx, req); !errors.Is(err, booking.ErrRateLimited) {
			t.Fatalf("sixth attempt for one email: err = %v, want ErrRateLimited", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM booking_attempts WHERE subject LIKE '%example%'`); n != 0 {
			t.Errorf("booking_attempts holds addresses in the clear")
		}
		// An hour later the IP may book again.
		e.clk.Advance(time.Hour + time.Minute)
		if _, err := e.book.BookNewClient(ctx, e.request(visitor)); err != nil {
			t.Fatalf("after an hour: %v", err)
		}
	})
}

func TestNoEnumeration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		if _, err := e.book.BookNewClient(ctx, e.request(visitor)); err != nil {
			t.Fatalf("first booking: %v", err)
		}
		e.runDue(t)
		e.sent.take()

		// The same address again (another time, another IP), and a new one.
		again := e.request(visitor)
		again.Start, again.IP = wednesday10.Add(2*time.Hour), "192.0.2.50"
		fresh := e.request("new.person@example.test")
		fresh.Start, fresh.IP = wednesday10.Add(4*time.Hour), "192.0.2.51"
		gotAgain, errAgain := e.book.BookNewClient(ctx, again)
		gotFresh, errFresh := e.book.BookNewClient(ctx, fresh)
		if errAgain != nil || errFresh != nil {
			t.Fatalf("errors differ or fail: existing %v, new %v", errAgain, errFresh)
		}
		if gotAgain.ProviderName != gotFresh.ProviderName || gotAgain.TimeZone != gotFresh.TimeZone ||
			gotAgain.Location != gotFresh.Location ||
			gotAgain.End.Sub(gotAgain.Start) != gotFresh.End.Sub(gotFresh.Start) {
			t.Errorf("answers differ: existing %+v, new %+v", gotAgain, gotFresh)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM clients WHERE email = $1`, visitor); n != 1 {
			t.Errorf("%d clients with the existing email, want 1", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM appointments`); n != 2 {
			t.Errorf("%d appointments, want the first and the new person's", n)
		}
		e.runDue(t)
		sent := e.sent.take()
		if n := len(mailsTo(sent, booking.TemplateReceived, visitor)); n != 1 {
			t.Errorf("%d notes to the existing client, want 1", n)
		}
		if n := len(mailsTo(sent, "appointment_booked", visitor)); n != 0 {
			t.Errorf("the existing client got %d booking mails, want 0", n)
		}
	})
}
