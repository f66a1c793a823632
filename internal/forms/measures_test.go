package forms

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/tasks"
	"github.com/tend-portal/tend/internal/validation"
	"github.com/tend-portal/tend/internal/vault"
)

func TestItem9RaisesAnUrgentTask(t *testing.T) {
	tests := []struct {
		name     string
		answers  map[string]string
		wantTask bool
		total    int
		band     string
	}{
		{"item 9 above zero", measureAnswers(0, 0, 0, 0, 0, 0, 0, 0, 1), true, 1, BandMinimal},
		{"item 9 zero, severe total", measureAnswers(3, 3, 3, 3, 3, 3, 3, 3, 0), false,
			24, BandSevere},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				e := newEnv(t, db)
				ctx := context.Background()
				prov := e.provider(t)
				cl := e.client(t, prov, "c@example.test")
				a := e.assign(t, prov, cl, SlugPHQ9)

				signed, err := e.svc.Sign(ctx, cl, a.ID, tt.answers, "Samira Lindqvist")
				if err != nil {
					t.Fatalf("sign: %v", err)
				}
				sc := signed.Score
				if sc == nil || sc.Total != tt.total || sc.Band != tt.band ||
					sc.Item9Positive != tt.wantTask || !sc.At.Equal(start) {
					t.Fatalf("score = %+v", sc)
				}
				list, err := e.tasks.List(ctx, prov)
				if err != nil {
					t.Fatalf("tasks: %v", err)
				}
				if !tt.wantTask {
					if len(list) != 0 {
						t.Fatalf("tasks = %+v, want none", list)
					}
					return
				}
				if len(list) != 1 {
					t.Fatalf("%d tasks, want 1", len(list))
				}
				task := list[0]
				if !task.Urgent || task.Kind != tasks.KindPHQ9Item9 ||
					task.ClientID != cl.ClientID || task.Link != "/clients/"+cl.ClientID ||
					!task.CreatedAt.Equal(start) || strings.Contains(task.Title, "Samira") {
					t.Errorf("task = %+v", task)
				}
				other := e.provider(t)
				if l, _ := e.tasks.List(ctx, other); len(l) != 0 {
					t.Errorf("another provider sees %d tasks", len(l))
				}
			})
		})
	}
}

func TestMeasuresOldestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov := e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		steps := []struct {
			slug    string
			answers map[string]string
			total   int
		}{
			{SlugPHQ9, measureAnswers(3, 3, 2, 2, 2, 2, 2, 0, 0), 16},
			{SlugGAD7, measureAnswers(2, 2, 2, 2, 1, 1, 1), 11},
			{SlugPHQ9, measureAnswers(1, 1, 1, 1, 1, 1, 1, 1, 0), 8},
		}
		for i, step := range steps {
			e.clk.Set(start.AddDate(0, 0, 14*i))
			a := e.assign(t, prov, cl, step.slug)
			if _, err := e.svc.Sign(ctx, cl, a.ID, step.answers, "S L"); err != nil {
				t.Fatalf("sign %d: %v", i, err)
			}
		}
		// A form without a score does not show up.
		e.assign(t, prov, cl, SlugConsent)

		for _, who := range []access.Actor{prov, cl} {
			got, err := e.svc.Measures(ctx, who, cl.ClientID)
			if err != nil {
				t.Fatalf("%s measures: %v", who.Role, err)
			}
			if len(got) != len(steps) {
				t.Fatalf("%s: %d scores, want %d", who.Role, len(got), len(steps))
			}
			for i, sc := range got {
				wantAt := start.AddDate(0, 0, 14*i)
				if sc.Total != steps[i].total || !sc.At.Equal(wantAt) || sc.AssignmentID == "" {
					t.Errorf("%s score %d = %+v, want total %d at %s",
						who.Role, i, sc, steps[i].total, wantAt)
				}
			}
		}
		if got := e.auditActions(t); count(got, "forms.measures.read") != 2 {
			t.Errorf("measures reads audited %d times, want 2", count(got, "forms.measures.read"))
		}
	})
}

func TestAnswersEncryptedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov := e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		a := e.assign(t, prov, cl, SlugDemographics)
		answers := map[string]string{"date_of_birth": "1990-04-01",
			"phone": "+15555550123", "address": "77 Quillfeather Lane",
			"emergency_name": "Rosalind Vexley", "emergency_phone": "+15555550199",
			"reason": "Grieving my grandmother Wilhelmina"}
		if _, err := e.svc.Sign(ctx, cl, a.ID, answers, "Samira Lindqvist"); err != nil {
			t.Fatalf("sign: %v", err)
		}

		var raw, signature string
		err := db.Reader().QueryRowContext(ctx, `SELECT answers, signature
			FROM form_submissions WHERE assignment_id = $1`, a.ID).Scan(&raw, &signature)
		if err != nil {
			t.Fatalf("read raw row: %v", err)
		}
		for _, secret := range []string{"Quillfeather", "Vexley", "Wilhelmina",
			"1990-04-01", "Samira", "Lindqvist", HashAnswers(answers)} {
			if strings.Contains(raw+signature, secret) {
				t.Errorf("stored row holds %q in clear", secret)
			}
		}
		// The sealed answers are bound to their row.
		_, err = e.svc.ring.OpenString(raw, vault.Bind("form_submissions", "answers", store.NewID()))
		wantErr(t, "open under another row's binding", err, vault.ErrDecrypt)
		plain, err := e.svc.ring.OpenString(raw, vault.Bind("form_submissions", "answers", a.ID))
		if err != nil || !strings.Contains(plain, "Quillfeather") {
			t.Errorf("open under own binding: %q, %v", plain, err)
		}
	})
}

func TestProviderTemplates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov, other := e.provider(t), e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		in := Template{Title: "Couples history", Kind: KindMeasure, Instrument: InstrumentPHQ9,
			Fields: []Field{
				{Label: "How long together?", Type: ShortText, Required: true},
				{Label: "Topics", Type: MultiChoice, Options: []string{"Money", "Family"}},
				{Label: "Signature", Type: Signature, Required: true},
			}}
		tpl, err := e.svc.CreateTemplate(ctx, prov, in)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if tpl.Kind != KindForm || tpl.Instrument != "" || tpl.ProviderID != prov.ProviderID ||
			tpl.Slug != "couples-history" || tpl.Fields[1].Key != "field_2" {
			t.Errorf("created = %+v", tpl)
		}

		// A second seeding changes nothing.
		e.svc.seeded = false
		if err := e.svc.SeedInstanceTemplates(ctx); err != nil {
			t.Fatalf("seed again: %v", err)
		}
		mine, err := e.svc.Templates(ctx, prov)
		if err != nil {
			t.Fatalf("templates: %v", err)
		}
		theirs, err := e.svc.Templates(ctx, other)
		if err != nil {
			t.Fatalf("other's templates: %v", err)
		}
		if len(mine) != len(InstanceTemplates())+1 || len(theirs) != len(InstanceTemplates()) {
			t.Errorf("%d and %d templates, want %d and %d", len(mine), len(theirs),
				len(InstanceTemplates())+1, len(InstanceTemplates()))
		}
		got, err := e.svc.Template(ctx, prov, tpl.ID)
		if err != nil || got.Title != "Couples history" || len(got.Fields) != 3 {
			t.Errorf("Template = %+v, %v", got, err)
		}
		_, err = e.svc.Template(ctx, other, tpl.ID)
		wantErr(t, "another provider's template", err, store.ErrNotFound)
		_, err = e.svc.Templates(ctx, cl)
		wantErr(t, "client lists templates", err, access.ErrForbidden)

		_, err = e.svc.CreateTemplate(ctx, prov, Template{Title: "couples  HISTORY",
			Fields: in.Fields})
		if errs, ok := validation.From(err); !ok || errs[0].Field != "title" {
			t.Errorf("same title again: err = %v, want a title problem", err)
		}
		_, err = e.svc.CreateTemplate(ctx, prov, Template{Title: "Empty"})
		if errs, ok := validation.From(err); !ok || errs[0].Field != "fields" {
			t.Errorf("no fields: err = %v, want a fields problem", err)
		}

		// A provider's own form goes out and is signed like any other.
		a, err := e.svc.Assign(ctx, prov, cl.ClientID, tpl.ID)
		if err != nil {
			t.Fatalf("assign own template: %v", err)
		}
		e.clk.Advance(time.Minute)
		_, err = e.svc.Sign(ctx, cl, a.ID, map[string]string{"field_1": "Six years",
			"field_2": "Money", "field_3": "Samira Lindqvist"}, "Samira Lindqvist")
		if err != nil {
			t.Fatalf("sign own template: %v", err)
		}
		if n := count(e.auditActions(t), "forms.template.create"); n != 1 {
			t.Errorf("%d template creations audited, want 1", n)
		}
	})
}
