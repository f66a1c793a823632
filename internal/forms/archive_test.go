package forms

import (
	"context"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

// TestArchiveTemplate: an archived form leaves the list of forms to
// send and cannot be sent, the copy a client already has is untouched,
// and restoring it brings it back. Only the owner can do either.
func TestArchiveTemplate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov, other := e.provider(t), e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		own, err := e.svc.CreateTemplate(ctx, prov, Template{Title: "Goals",
			Fields: []Field{{Label: "What would you like to change?", Type: LongText}}})
		if err != nil {
			t.Fatal(err)
		}
		sent, err := e.svc.Assign(ctx, prov, cl.ClientID, own.ID)
		if err != nil {
			t.Fatal(err)
		}

		listed := func() (sendable, archived bool) {
			t.Helper()
			list, err := e.svc.Templates(ctx, prov)
			if err != nil {
				t.Fatal(err)
			}
			for _, tpl := range list {
				sendable = sendable || tpl.ID == own.ID
			}
			gone, err := e.svc.ArchivedTemplates(ctx, prov)
			if err != nil {
				t.Fatal(err)
			}
			for _, tpl := range gone {
				archived = archived || tpl.ID == own.ID && tpl.ArchivedAt != nil
			}
			return sendable, archived
		}

		phq9 := e.template(t, prov, SlugPHQ9).ID
		wantErr(t, "another provider's form",
			e.svc.ArchiveTemplate(ctx, other, own.ID, true), store.ErrNotFound)
		wantErr(t, "Tend's library", e.svc.ArchiveTemplate(ctx, prov, phq9, true),
			store.ErrNotFound)
		wantErr(t, "a malformed id", e.svc.ArchiveTemplate(ctx, prov, "x", true),
			store.ErrNotFound)

		if err := e.svc.ArchiveTemplate(ctx, prov, own.ID, true); err != nil {
			t.Fatal(err)
		}
		if sendable, archived := listed(); sendable || !archived {
			t.Fatalf("after archiving: sendable %v, archived %v", sendable, archived)
		}
		other2 := e.client(t, prov, "d@example.test")
		_, err = e.svc.Assign(ctx, prov, other2.ClientID, own.ID)
		if errs, ok := validation.From(err); !ok || errs[0].Field != "template_id" {
			t.Fatalf("sending an archived form: err = %v", err)
		}
		if got, err := e.svc.Template(ctx, prov, own.ID); err != nil || got.ArchivedAt == nil {
			t.Fatalf("an archived form can still be opened to print: %v", err)
		}
		if sub, err := e.svc.Open(ctx, cl, sent.ID); err != nil || sub.Template.Title != "Goals" {
			t.Fatalf("the copy already sent: %v", err)
		}

		if err := e.svc.ArchiveTemplate(ctx, prov, own.ID, false); err != nil {
			t.Fatal(err)
		}
		if sendable, archived := listed(); !sendable || archived {
			t.Fatalf("after restoring: sendable %v, archived %v", sendable, archived)
		}
		actions := e.auditActions(t)
		if count(actions, "forms.template.archive") != 1 ||
			count(actions, "forms.template.unarchive") != 1 {
			t.Errorf("audit: %v", actions)
		}
	})
}
