package forms

import (
	"context"
	"testing"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

// TestUpdateTemplate: a provider edits their own form; what a client was
// already sent stays as sent, bad input and a taken title change
// nothing, and nobody edits Tend's forms or another provider's.
func TestUpdateTemplate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov, other := e.provider(t), e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		goals, err := e.svc.CreateTemplate(ctx, prov, Template{Title: "Goals",
			Fields: []Field{{Label: "What would you like to change?", Type: LongText}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CreateTemplate(ctx, prov, Template{Title: "Taken",
			Fields: []Field{{Label: "Q", Type: ShortText}}}); err != nil {
			t.Fatal(err)
		}
		sent, err := e.svc.Assign(ctx, prov, cl.ClientID, goals.ID)
		if err != nil {
			t.Fatal(err)
		}

		edited := Template{Title: "Goals for therapy", Description: "Take your time.",
			Fields: []Field{
				{Label: "What would you like to change?", Type: LongText, Required: true},
				{Label: "How will you know?", Type: ShortText},
			}}
		got, err := e.svc.UpdateTemplate(ctx, prov, goals.ID, edited)
		if err != nil {
			t.Fatal(err)
		}
		reread, err := e.svc.Template(ctx, prov, goals.ID)
		if err != nil || reread.Title != "Goals for therapy" || len(reread.Fields) != 2 ||
			reread.Slug != "goals-for-therapy" || !reread.CreatedAt.Equal(goals.CreatedAt) ||
			got.Fields[1].Key != "field_2" {
			t.Fatalf("after the edit: %+v (%v)", reread, err)
		}
		if sub, err := e.svc.Open(ctx, cl, sent.ID); err != nil || len(sub.Template.Fields) != 1 ||
			sub.Template.Title != "Goals" {
			t.Fatalf("the copy already sent changed: %+v (%v)", sub.Template, err)
		}

		for name, bad := range map[string]Template{
			"no title":    {Fields: edited.Fields},
			"taken title": {Title: "Taken", Fields: edited.Fields},
			"no fields":   {Title: "Goals"},
		} {
			if _, err := e.svc.UpdateTemplate(ctx, prov, goals.ID, bad); err == nil {
				t.Errorf("%s: accepted", name)
			} else if _, ok := validation.From(err); !ok {
				t.Errorf("%s: err = %v, want validation errors", name, err)
			}
		}
		if reread, _ := e.svc.Template(ctx, prov, goals.ID); reread.Title != "Goals for therapy" {
			t.Errorf("a refused edit changed the form: %+v", reread)
		}

		phq9 := e.template(t, prov, SlugPHQ9).ID
		wantErr(t, "Tend's form", updateErr(e, prov, phq9, edited), store.ErrNotFound)
		wantErr(t, "another provider's form", updateErr(e, other, goals.ID, edited), store.ErrNotFound)
		wantErr(t, "a malformed id", updateErr(e, prov, "x", edited), store.ErrNotFound)
		if count(e.auditActions(t), "forms.template.update") != 1 {
			t.Errorf("audit: %v", e.auditActions(t))
		}
	})
}

func updateErr(e *env, actor access.Actor, id string, t Template) error {
	_, err := e.svc.UpdateTemplate(context.Background(), actor, id, t)
	return err
}
