package notes_test

import (
	"context"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestUnsigned: the provider's drafts are counted and listed oldest
// first with the client's name and appointment; signed notes and other
// providers' drafts are not, and the list is audited.
func TestUnsigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		appt := addAppointment(t, db, f.me.ProviderID, f.client)
		older, err := f.svc.Create(ctx, f.me, f.client, "dap", appt, nil)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Hour)
		newer := f.soap(t, "Slept better.")
		f.signed(t, "Signed and done.")
		if _, err := f.svc.Create(ctx, f.other, f.otherCl, "free", "", nil); err != nil {
			t.Fatal(err)
		}

		n, err := f.svc.CountUnsigned(ctx, f.me)
		if err != nil || n != 2 {
			t.Fatalf("CountUnsigned = %d, %v; want 2", n, err)
		}
		list, err := f.svc.ListUnsigned(ctx, f.me)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != older.ID || list[1].ID != newer.ID {
			t.Fatalf("ListUnsigned = %+v", list)
		}
		if got := list[0]; got.ClientName != "María Núñez" || got.Template != "dap" ||
			got.AppointmentAt == nil || !got.AppointmentAt.Equal(start.Add(-time.Hour)) {
			t.Errorf("first draft: %+v", got)
		}
		if list[1].AppointmentAt != nil {
			t.Errorf("a note without an appointment has one: %+v", list[1])
		}
		if got := actions(t, db, f.me.ProviderID); len(got) != 1 || got[0] != "notes.note.list_unsigned" {
			t.Errorf("audit = %v", got)
		}

		client := access.Actor{Role: access.RoleClient, ClientID: f.client}
		if _, err := f.svc.CountUnsigned(ctx, client); err == nil {
			t.Error("a client counted a provider's drafts")
		}
		if _, err := f.svc.ListUnsigned(ctx, client); err == nil {
			t.Error("a client listed a provider's drafts")
		}
	})
}
