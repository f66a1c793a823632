package booking_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/booking"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/scheduling"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// thursday10 and friday10 are 10:00 in New York on 5 and 6 March 2026.
var (
	thursday10 = wednesday10.Add(24 * time.Hour)
	friday10   = wednesday10.Add(48 * time.Hour)
)

// bookedClient books the visitor and returns them as a signed-in
// client actor.
func (e *env) bookedClient(t *testing.T) access.Actor {
	t.Helper()
	e.bookOne(t)
	var userID, clientID string
	err := e.db.Reader().QueryRowContext(context.Background(), `SELECT id, client_id
		FROM users WHERE role = 'client'`).Scan(&userID, &clientID)
	if err != nil {
		t.Fatalf("client account: %v", err)
	}
	return access.Actor{UserID: userID, Role: access.RoleClient, ClientID: clientID, IP: visitorIP}
}

func TestClientLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		client := e.bookedClient(t)

		url, err := e.book.ClientLink(ctx, e.provider, client.ClientID)
		if err != nil || !strings.HasPrefix(url, baseURL+booking.LinkPath) {
			t.Fatalf("ClientLink = %q (%v)", url, err)
		}
		if again, _ := e.book.ClientLink(ctx, e.provider, client.ClientID); again != url {
			t.Errorf("the link changed between calls")
		}
		token := strings.TrimPrefix(url, baseURL+booking.LinkPath)
		lc, err := e.book.ClientFromLink(ctx, token)
		if err != nil || lc.ClientID != client.ClientID || lc.Provider.ID != e.provider.ProviderID {
			t.Fatalf("ClientFromLink = %+v (%v)", lc, err)
		}
		a, err := e.book.BookFollowUp(ctx, token, thursday10, "")
		if err != nil || a.Kind != scheduling.KindFollowUp || a.ClientID != client.ClientID ||
			a.Source != scheduling.SourcePublic {
			t.Fatalf("BookFollowUp = %+v (%v)", a, err)
		}

		other := access.Actor{UserID: store.NewID(), Role: access.RoleProvider, ProviderID: store.NewID()}
		if _, err := e.book.ClientLink(ctx, other, client.ClientID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another provider's ClientLink: err = %v, want ErrNotFound", err)
		}

		body, sig, _ := strings.Cut(token, ".")
		flip := func(s string) string {
			last := s[len(s)-1]
			repl := byte('A')
			if last == 'A' {
				repl = 'B'
			}
			return s[:len(s)-1] + string(repl)
		}
		// The MAC is 32 bytes: its last character carries two bits
		// base64 leaves unused. Setting one spells the same bytes
		// differently, which strict decoding refuses.
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		last := strings.IndexByte(alphabet, sig[len(sig)-1])
		respelled := sig[:len(sig)-1] + string(alphabet[last|1])
		for name, bad := range map[string]string{
			"signature respelled": body + "." + respelled,
			"signature changed":   body + "." + flip(sig),
			"body changed":        flip(body) + "." + sig,
			"no signature":        body,
			"garbage":             "not-a-token",
			"empty":               "",
		} {
			if _, err := e.book.BookFollowUp(ctx, bad, friday10, ""); !errors.Is(err, booking.ErrInvalidLink) {
				t.Errorf("%s: err = %v, want ErrInvalidLink", name, err)
			}
		}

		if err := e.book.RevokeClientLink(ctx, e.provider, client.ClientID); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		if _, err := e.book.ClientFromLink(ctx, token); !errors.Is(err, booking.ErrInvalidLink) {
			t.Errorf("revoked link: err = %v, want ErrInvalidLink", err)
		}
		url2, err := e.book.ClientLink(ctx, e.provider, client.ClientID)
		if err != nil || url2 == url {
			t.Fatalf("new link = %q (%v), want a different one", url2, err)
		}

		if _, err := e.clients.Archive(ctx, e.provider, client.ClientID, clients.ReasonDischarged); err != nil {
			t.Fatalf("archive: %v", err)
		}
		token2 := strings.TrimPrefix(url2, baseURL+booking.LinkPath)
		_, err = e.book.BookFollowUp(ctx, token2, friday10, "")
		if !errors.Is(err, clients.ErrArchived) || !strings.Contains(err.Error(), "discharged") {
			t.Errorf("archived client's link: err = %v, want ErrArchived with the reason", err)
		}
		if _, err := e.book.ClientLink(ctx, e.provider, client.ClientID); !errors.Is(err, clients.ErrArchived) {
			t.Errorf("link for an archived client: err = %v, want ErrArchived", err)
		}
	})
}

func TestPortalSelfService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		client := e.bookedClient(t)
		var intakeID string
		if err := db.Reader().QueryRowContext(ctx, `SELECT id FROM appointments`).Scan(&intakeID); err != nil {
			t.Fatal(err)
		}

		open, err := e.book.ClientSlots(ctx, client, wednesday10, wednesday10.Add(72*time.Hour), "", nil)
		if err != nil || len(open) == 0 {
			t.Fatalf("ClientSlots = %d slots (%v)", len(open), err)
		}
		fri, err := e.book.ClientBook(ctx, client, friday10, "individual_45", "")
		if err != nil || fri.TypeKey != "individual_45" || fri.Source != scheduling.SourceClient {
			t.Fatalf("ClientBook = %+v (%v)", fri, err)
		}
		if _, err := e.book.ClientBook(ctx, e.provider, friday10, "", ""); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a provider using ClientBook: err = %v, want ErrForbidden", err)
		}

		// Tuesday 11:00 in New York: the intake is 23 hours away.
		e.clk.Set(wednesday10.Add(-23 * time.Hour))
		_, err = e.book.ClientCancel(ctx, client, intakeID, "running late")
		if !errors.Is(err, scheduling.ErrOutsideWindow) || !strings.Contains(err.Error(), "24 hours") {
			t.Errorf("cancel inside the window: err = %v, want ErrOutsideWindow saying 24 hours", err)
		}
		if _, err := e.book.ClientReschedule(ctx, client, intakeID, thursday10); !errors.Is(err, scheduling.ErrOutsideWindow) {
			t.Errorf("move inside the window: err = %v, want ErrOutsideWindow", err)
		}
		moved, err := e.book.ClientReschedule(ctx, client, fri.ID, thursday10)
		if err != nil || !moved.Start.Equal(thursday10) {
			t.Fatalf("move Friday to Thursday = %+v (%v)", moved, err)
		}
		c, err := e.book.ClientCancel(ctx, client, fri.ID, "schedule conflict")
		if err != nil || c.Status != scheduling.StatusCanceled {
			t.Fatalf("cancel outside the window = %+v (%v)", c, err)
		}
	})
}
