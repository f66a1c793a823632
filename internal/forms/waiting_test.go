package forms

import (
	"context"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestWaiting: forms sent and not signed are counted from a cut-off and
// listed oldest first with the client's name; signed forms and other
// providers' forms are not, and the list is audited.
func TestWaiting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov, other := e.provider(t), e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		theirs := e.client(t, other, "o@example.test")

		old := e.assign(t, prov, cl, SlugGAD7)
		e.clk.Advance(4 * 24 * time.Hour)
		signed := e.assign(t, prov, cl, SlugPHQ9)
		if err := e.svc.SaveDraft(ctx, cl, old.ID, map[string]string{"item1": "1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Sign(ctx, cl, signed.ID, measureAnswers(0, 0, 0, 0, 0, 0, 0, 0, 0),
			"Samira Lindqvist"); err != nil {
			t.Fatal(err)
		}
		fresh := e.assign(t, prov, cl, SlugConsent)
		e.assign(t, other, theirs, SlugGAD7)

		cutoff := e.clk.Now().Add(-3 * 24 * time.Hour)
		if n, err := e.svc.CountWaiting(ctx, prov, cutoff); err != nil || n != 1 {
			t.Fatalf("CountWaiting(3 days) = %d, %v; want 1", n, err)
		}
		if n, err := e.svc.CountWaiting(ctx, prov, e.clk.Now().Add(time.Second)); err != nil || n != 2 {
			t.Fatalf("CountWaiting(now) = %d, %v; want 2", n, err)
		}
		list, err := e.svc.ListWaiting(ctx, prov)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != old.ID || list[1].ID != fresh.ID {
			t.Fatalf("ListWaiting = %+v", list)
		}
		if got := list[0]; got.ClientName != "Samira Lindqvist" || got.Status != StatusDraft ||
			got.TemplateTitle != "GAD-7" {
			t.Errorf("oldest waiting form: %+v", got)
		}
		if count(e.auditActions(t), "forms.assignment.list_waiting") != 1 {
			t.Errorf("the list was not audited")
		}
		if _, err := e.svc.ListWaiting(ctx, cl); err == nil {
			t.Error("a client listed the provider's waiting forms")
		}
	})
}
