package forms

import (
	"context"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

// TestIntakePacket: a provider starts with Tend's packet, can choose
// their own (their forms included, in their order, or none at all), a
// form archived later drops out, and nobody else's forms can be chosen.
func TestIntakePacket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov, other := e.provider(t), e.provider(t)
		slugs := func() []string {
			t.Helper()
			packet, err := e.svc.IntakePacket(ctx, prov)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, tpl := range packet {
				out = append(out, tpl.Slug)
			}
			return out
		}
		if got := slugs(); len(got) != len(DefaultIntakePacket) || got[0] != SlugDemographics {
			t.Fatalf("default packet = %v", got)
		}

		mine, err := e.svc.CreateTemplate(ctx, prov, Template{Title: "Couples intake",
			Fields: []Field{{Label: "Partner's name", Type: ShortText}}})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := e.svc.CreateTemplate(ctx, other, Template{Title: "Theirs",
			Fields: []Field{{Label: "Q", Type: ShortText}}})
		if err != nil {
			t.Fatal(err)
		}
		consent := e.template(t, prov, SlugConsent).ID
		if err := e.svc.SetIntakePacket(ctx, prov, []string{mine.ID, consent, mine.ID}); err != nil {
			t.Fatal(err)
		}
		if got := slugs(); len(got) != 2 || got[0] != mine.Slug || got[1] != SlugConsent {
			t.Fatalf("chosen packet = %v", got)
		}

		err = e.svc.SetIntakePacket(ctx, prov, []string{consent, theirs.ID})
		if errs, ok := validation.From(err); !ok || errs[0].Field != "template_ids" {
			t.Fatalf("another provider's form: err = %v", err)
		}
		if got := slugs(); len(got) != 2 {
			t.Fatalf("a refused choice changed the packet: %v", got)
		}

		if err := e.svc.ArchiveTemplate(ctx, prov, mine.ID, true); err != nil {
			t.Fatal(err)
		}
		if got := slugs(); len(got) != 1 || got[0] != SlugConsent {
			t.Fatalf("after archiving: %v", got)
		}
		if err := e.svc.SetIntakePacket(ctx, prov, nil); err != nil {
			t.Fatal(err)
		}
		if got := slugs(); len(got) != 0 {
			t.Fatalf("an empty packet sends %v", got)
		}
		if count(e.auditActions(t), "forms.intake_packet.set") != 2 {
			t.Errorf("audit: %v", e.auditActions(t))
		}
		cl := e.client(t, prov, "c@example.test")
		if err := e.svc.SetIntakePacket(ctx, cl, nil); err == nil {
			t.Error("a client set a provider's packet")
		}
	})
}
