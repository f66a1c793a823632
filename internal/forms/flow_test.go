package forms

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/validation"
)

func TestAssignMailsALinkWithoutPHI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		if err := e.queue.Start(ctx); err != nil {
			t.Fatalf("start queue: %v", err)
		}
		t.Cleanup(func() { _ = e.queue.Stop(context.Background()) })
		prov := e.provider(t)
		cl := e.client(t, prov, "samira@example.test")

		a := e.assign(t, prov, cl, SlugPHQ9)
		if a.Status != StatusAssigned || !a.AssignedAt.Equal(start) ||
			a.TemplateTitle != "PHQ-9" || a.Instrument != InstrumentPHQ9 {
			t.Errorf("assignment = %+v", a)
		}
		runCtx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := e.queue.RunDue(runCtx); err != nil {
			t.Fatalf("run due: %v", err)
		}
		mails := e.sent.all()
		if len(mails) != 1 {
			t.Fatalf("%d mails sent, want 1", len(mails))
		}
		m := mails[0]
		link := baseURL + "/portal/forms/" + a.ID
		if m.To != "samira@example.test" || m.Template != MailTemplate ||
			!strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) {
			t.Errorf("mail = %s to %s, want %s with %s:\n%s", m.Template, m.To,
				MailTemplate, link, m.Text)
		}
		for _, phi := range []string{"Samira", "Lindqvist", "PHQ", "depress"} {
			if strings.Contains(m.Subject+m.Text+m.HTML, phi) {
				t.Errorf("mail holds %q:\n%s", phi, m.Text)
			}
		}
	})
}

func TestAssignAllIsOneMailAndAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov := e.provider(t)
		cl := e.client(t, prov, "nadia@example.test")
		ids := []string{e.template(t, prov, SlugConsent).ID, e.template(t, prov, SlugPHQ9).ID,
			e.template(t, prov, SlugGAD7).ID}

		list, err := e.svc.AssignAll(ctx, prov, cl.ClientID, ids)
		if err != nil || len(list) != 3 {
			t.Fatalf("AssignAll = %d assignments, %v", len(list), err)
		}
		if n := e.mailJobs(t); n != 1 {
			t.Errorf("%d mail jobs for three forms, want 1", n)
		}

		// A second set that repeats a waiting form is refused whole.
		other := e.client(t, prov, "omar@example.test")
		e.assign(t, prov, other, SlugGAD7)
		_, err = e.svc.AssignAll(ctx, prov, other.ClientID, ids)
		if _, ok := validation.From(err); !ok {
			t.Fatalf("AssignAll with a waiting form = %v, want a validation error", err)
		}
		waiting, err := e.svc.ForClient(ctx, prov, other.ClientID)
		if err != nil || len(waiting) != 1 {
			t.Errorf("after the refusal the client has %d forms (%v), want the 1 from before",
				len(waiting), err)
		}
		if n := e.mailJobs(t); n != 2 {
			t.Errorf("%d mail jobs, want 2: the set's and the single form's", n)
		}
		if _, err := e.svc.AssignAll(ctx, prov, cl.ClientID, nil); err == nil {
			t.Error("AssignAll with no templates succeeded")
		}
	})
}

func TestAssignWithoutEmailSendsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		prov := e.provider(t)
		withEmail := e.client(t, prov, "a@example.test")
		without := e.client(t, prov, "")
		e.assign(t, prov, withEmail, SlugConsent)
		if n := e.mailJobs(t); n != 1 {
			t.Fatalf("%d mail jobs after assigning to a client with email, want 1", n)
		}
		a := e.assign(t, prov, without, SlugConsent)
		if n := e.mailJobs(t); n != 1 {
			t.Errorf("%d mail jobs after assigning to a client without email, want 1", n)
		}
		if a.Status != StatusAssigned {
			t.Errorf("status = %s", a.Status)
		}
	})
}

func TestAssignRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov, other := e.provider(t), e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		phq9 := e.template(t, prov, SlugPHQ9)
		own, err := e.svc.CreateTemplate(ctx, other, Template{Title: "Other's form",
			Fields: []Field{{Label: "Anything?", Type: ShortText}}})
		if err != nil {
			t.Fatalf("create template: %v", err)
		}

		tests := []struct {
			name               string
			actor              access.Actor
			client, templateID string
		}{
			{"another provider's client", other, cl.ClientID, phq9.ID},
			{"another provider's template", prov, cl.ClientID, own.ID},
			{"a client assigning", cl, cl.ClientID, phq9.ID},
			{"malformed client id", prov, "nope", phq9.ID},
			{"unknown template", prov, cl.ClientID, store.NewID()},
		}
		for _, tt := range tests {
			_, err := e.svc.Assign(ctx, tt.actor, tt.client, tt.templateID)
			wantErr(t, tt.name, err, store.ErrNotFound)
		}

		e.assign(t, prov, cl, SlugPHQ9)
		_, err = e.svc.Assign(ctx, prov, cl.ClientID, phq9.ID)
		if errs, ok := validation.From(err); !ok || errs[0].Field != "template_id" {
			t.Fatalf("second pending PHQ-9: err = %v, want a template_id problem", err)
		}
		if n := e.mailJobs(t); n != 1 {
			t.Errorf("%d mail jobs, want 1 (refusals queue nothing)", n)
		}
		// The database holds the same rule against concurrent requests.
		_, err = db.Writer().ExecContext(ctx, `INSERT INTO form_assignments (id,
			provider_id, client_id, template_id, template_title, template_fields,
			kind, instrument, status, assigned_at, updated_at)
			SELECT $1, provider_id, client_id, template_id, template_title,
			template_fields, kind, instrument, 'assigned', assigned_at, updated_at
			FROM form_assignments WHERE client_id = $2`, store.NewID(), cl.ClientID)
		wantErr(t, "second waiting row", store.Translate(err), store.ErrConflict)
	})
}

func TestDraftSignAndLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov := e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		a := e.assign(t, prov, cl, SlugRelease)

		sub, err := e.svc.Open(ctx, cl, a.ID)
		if err != nil {
			t.Fatalf("client open: %v", err)
		}
		if len(sub.Answers) != 0 || sub.Template.Title != "Release of information" ||
			len(sub.Template.Fields) != 6 {
			t.Fatalf("fresh submission = %+v", sub)
		}

		draft := map[string]string{"recipient_name": "  Dr. Ortiz  ", "purpose": "",
			"not_a_field": "dropped"}
		if err := e.svc.SaveDraft(ctx, cl, a.ID, draft); err != nil {
			t.Fatalf("save draft: %v", err)
		}
		sub, err = e.svc.Open(ctx, cl, a.ID)
		if err != nil {
			t.Fatalf("client open draft: %v", err)
		}
		if sub.Status != StatusDraft || len(sub.Answers) != 1 ||
			sub.Answers["recipient_name"] != "Dr. Ortiz" {
			t.Fatalf("draft = %s %v", sub.Status, sub.Answers)
		}
		sub, err = e.svc.Open(ctx, prov, a.ID)
		if err != nil {
			t.Fatalf("provider open draft: %v", err)
		}
		if len(sub.Answers) != 0 {
			t.Errorf("provider sees unsigned answers %v", sub.Answers)
		}

		e.clk.Advance(time.Hour)
		answers := map[string]string{
			"recipient_name":    "Dr. Ortiz",
			"recipient_contact": "12 Elm St\nSpringfield",
			"information":       JoinChoices([]string{"Diagnosis", "Dates of attendance"}),
			"purpose":           "Coordination of care",
			"expires_on":        "2027-03-02",
			"signature":         "Samira Lindqvist",
		}
		signed, err := e.svc.Sign(ctx, cl, a.ID, answers, "  Samira   Lindqvist ")
		if err != nil {
			t.Fatalf("sign: %v", err)
		}
		wantAt := start.Add(time.Hour)
		answers["information"] = JoinChoices([]string{"Dates of attendance", "Diagnosis"})
		if signed.Status != StatusSigned || signed.SignedAt == nil ||
			!signed.SignedAt.Equal(wantAt) || signed.SignedName != "Samira Lindqvist" ||
			signed.AnswersHash != HashAnswers(answers) || signed.Score != nil {
			t.Fatalf("signed = %+v", signed)
		}

		sub, err = e.svc.Open(ctx, prov, a.ID)
		if err != nil {
			t.Fatalf("provider open signed: %v", err)
		}
		if sub.SignerIP != testIP || sub.SignedName != "Samira Lindqvist" ||
			sub.AnswersHash != HashAnswers(sub.Answers) ||
			sub.Answers["information"] != answers["information"] ||
			!sub.SignedAt.Equal(wantAt) {
			t.Errorf("provider's view = %+v", sub)
		}
		list, err := e.svc.ForClient(ctx, prov, cl.ClientID)
		if err != nil || len(list) != 1 || list[0].Status != StatusSigned ||
			list[0].SignedName != "Samira Lindqvist" {
			t.Errorf("ForClient = %+v, %v", list, err)
		}

		err = e.svc.SaveDraft(ctx, cl, a.ID, map[string]string{"purpose": "Other"})
		wantErr(t, "save after signing", err, ErrLocked)
		_, err = e.svc.Sign(ctx, cl, a.ID, answers, "Samira Lindqvist")
		wantErr(t, "sign twice", err, ErrLocked)
		sub, _ = e.svc.Open(ctx, cl, a.ID)
		if sub.Answers["purpose"] != "Coordination of care" || !sub.SignedAt.Equal(wantAt) {
			t.Errorf("locked form changed: %+v", sub)
		}

		actions := e.auditActions(t, "Samira", "Lindqvist", "Ortiz", "Springfield")
		for action, want := range map[string]int{
			"forms.assignment.create":     1,
			"forms.submission.read":       5,
			"forms.submission.save_draft": 1,
			"forms.submission.sign":       1,
			"forms.assignment.list":       1,
		} {
			if got := count(actions, action); got != want {
				t.Errorf("%d %s audit rows, want %d (%v)", got, action, want, actions)
			}
		}
	})
}

func TestSignValidation(t *testing.T) {
	valid := map[string]string{
		"recipient_name": "Dr. Ortiz", "recipient_contact": "12 Elm St",
		"information": "Diagnosis", "purpose": "Care", "expires_on": "2027-03-02",
		"signature": "Samira Lindqvist",
	}
	tests := []struct {
		name   string
		key    string // the answer to change
		value  string
		typed  string
		fields []string
	}{
		{"required text missing", "recipient_name", " ", "S L", []string{"recipient_name"}},
		{"choice not offered", "information", "Everything", "S L", []string{"information"}},
		{"one choice of several not offered", "information",
			JoinChoices([]string{"Diagnosis", "Billing"}), "S L", []string{"information"}},
		{"impossible date", "expires_on", "2027-02-30", "S L", []string{"expires_on"}},
		{"date in another format", "expires_on", "03/02/2027", "S L", []string{"expires_on"}},
		{"signature field empty", "signature", "", "S L", []string{"signature"}},
		{"typed name empty", "purpose", "Care", "   ", []string{"typed_name"}},
		{"several at once", "signature", "", "", []string{"signature", "typed_name"}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov := e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		a := e.assign(t, prov, cl, SlugRelease)
		for _, tt := range tests {
			answers := map[string]string{}
			for k, v := range valid {
				answers[k] = v
			}
			answers[tt.key] = tt.value
			_, err := e.svc.Sign(ctx, cl, a.ID, answers, tt.typed)
			errs, ok := validation.From(err)
			if !ok {
				t.Fatalf("%s: err = %v, want validation errors", tt.name, err)
			}
			var got []string
			for _, fe := range errs {
				got = append(got, fe.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("%s: problems on %v, want %v", tt.name, got, tt.fields)
			}
		}
		sub, err := e.svc.Open(ctx, cl, a.ID)
		if err != nil || sub.Status != StatusAssigned || len(sub.Answers) != 0 {
			t.Fatalf("after refused signing: %+v, %v", sub, err)
		}

		// Scale items take 0 to 3 only.
		m := e.assign(t, prov, cl, SlugGAD7)
		bad := measureAnswers(0, 1, 2, 3, 0, 1, 4)
		_, err = e.svc.Sign(ctx, cl, m.ID, bad, "S L")
		if errs, ok := validation.From(err); !ok || errs[0].Field != "item7" {
			t.Errorf("scale 4: err = %v, want a problem on item7", err)
		}
		err = e.svc.SaveDraft(ctx, cl, m.ID, bad)
		if errs, ok := validation.From(err); !ok || errs[0].Field != "item7" {
			t.Errorf("draft with scale 4: err = %v, want a problem on item7", err)
		}
	})
}

func TestOthersCannotReachAForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		prov, otherProv := e.provider(t), e.provider(t)
		cl := e.client(t, prov, "c@example.test")
		otherClient := e.client(t, prov, "d@example.test")
		a := e.assign(t, prov, cl, SlugPHQ9)
		answers := measureAnswers(1, 1, 1, 1, 1, 1, 1, 1, 0)
		admin := access.Actor{UserID: store.NewID(), Role: access.RoleAdmin}

		for _, who := range []struct {
			name  string
			actor access.Actor
		}{{"another client", otherClient}, {"another provider", otherProv}, {"admin", admin}} {
			_, err := e.svc.Open(ctx, who.actor, a.ID)
			wantErr(t, who.name+" open", err, store.ErrNotFound)
			err = e.svc.SaveDraft(ctx, who.actor, a.ID, answers)
			wantErr(t, who.name+" save", err, store.ErrNotFound)
			_, err = e.svc.Sign(ctx, who.actor, a.ID, answers, "X Y")
			wantErr(t, who.name+" sign", err, store.ErrNotFound)
			_, err = e.svc.ForClient(ctx, who.actor, cl.ClientID)
			wantErr(t, who.name+" list", err, store.ErrNotFound)
			_, err = e.svc.Measures(ctx, who.actor, cl.ClientID)
			wantErr(t, who.name+" measures", err, store.ErrNotFound)
		}
		// The provider reads but never fills in a client's form.
		err := e.svc.SaveDraft(ctx, prov, a.ID, answers)
		wantErr(t, "provider save", err, store.ErrNotFound)
		_, err = e.svc.Sign(ctx, prov, a.ID, answers, "Ada Park")
		wantErr(t, "provider sign", err, store.ErrNotFound)
		_, err = e.svc.Open(ctx, cl, "not-an-id")
		wantErr(t, "malformed id", err, store.ErrNotFound)

		if n := count(e.auditActions(t), "forms.submission.read"); n != 0 {
			t.Errorf("%d reads audited, want none", n)
		}
	})
}
