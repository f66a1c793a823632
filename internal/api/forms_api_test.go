package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// templateOut is a form template as the API answers it.
type templateOut struct {
	ID         string  `json:"id"`
	ProviderID *string `json:"provider_id"`
	Slug       string  `json:"slug"`
	Kind       string  `json:"kind"`
	Instrument string  `json:"instrument"`
	Fields     []struct {
		Key  string `json:"key"`
		Type string `json:"type"`
	} `json:"fields"`
	ArchivedAt *string `json:"archived_at"`
}

// formOut is an assignment or a submission as the API answers it.
type formOut struct {
	ID          string            `json:"id"`
	ClientID    string            `json:"client_id"`
	Status      string            `json:"status"`
	SignedAt    *string           `json:"signed_at"`
	SignedName  string            `json:"signed_name"`
	AnswersHash string            `json:"answers_hash"`
	Answers     map[string]string `json:"answers"`
	SignerIP    string            `json:"signer_ip"`
	Score       *struct {
		Instrument    string `json:"instrument"`
		Total         int    `json:"total"`
		Band          string `json:"band"`
		Item9Positive bool   `json:"item9_positive"`
	} `json:"score"`
}

// taskOut is a task as the API answers it.
type taskOut struct {
	ID       string  `json:"id"`
	ClientID *string `json:"client_id"`
	Kind     string  `json:"kind"`
	Title    string  `json:"title"`
	Urgent   bool    `json:"urgent"`
}

// templateFor returns the provider's view of the template with slug or
// instrument.
func (e *env) templateFor(t *testing.T, token, name string) templateOut {
	t.Helper()
	res := e.do(t, call{method: http.MethodGet, path: "/form-templates", token: token})
	wantStatus(t, res, http.StatusOK)
	for _, tpl := range decode[struct{ Items []templateOut }](t, res).Items {
		if tpl.Instrument == name || tpl.Slug == name {
			return tpl
		}
	}
	t.Fatalf("no template %q", name)
	return templateOut{}
}

// assign assigns a template to a client and returns the assignment.
func (e *env) assign(t *testing.T, token, clientID, templateID string) formOut {
	t.Helper()
	res := e.do(t, call{method: http.MethodPost, path: "/clients/" + clientID + "/forms",
		token: token, body: map[string]any{"template_id": templateID}})
	wantStatus(t, res, http.StatusCreated)
	return decode[formOut](t, res)
}

// phq9Answers answers every PHQ-9 item with "1" but item 9 with item9.
func phq9Answers(item9 string) map[string]string {
	answers := map[string]string{"difficulty": "Somewhat difficult"}
	for i := 1; i <= 8; i++ {
		answers[fmt.Sprintf("item%d", i)] = "1"
	}
	answers["item9"] = item9
	return answers
}

func TestFormsClientFillsAndSigns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		c := e.createClient(t, p.token, map[string]any{"first_name": "Dana", "last_name": "Fox",
			"email": "dana@example.test"})
		d := e.createClient(t, p.token, map[string]any{"first_name": "Eli", "last_name": "Gray"})
		danaToken := e.portalToken(t, "dana@example.test", c.ID)
		eliToken := e.portalToken(t, "eli@example.test", d.ID)

		phq9 := e.templateFor(t, p.token, "phq9")
		if phq9.ProviderID != nil || phq9.Kind != "measure" || len(phq9.Fields) < 9 {
			t.Fatalf("PHQ-9 template %+v", phq9)
		}
		form := e.assign(t, p.token, c.ID, phq9.ID)
		if form.Status != "assigned" || form.ClientID != c.ID {
			t.Errorf("assignment %+v", form)
		}
		eliForm := e.assign(t, p.token, d.ID, phq9.ID)

		// The client sees the form among theirs and opens it.
		res := e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID + "/forms", token: danaToken})
		wantStatus(t, res, http.StatusOK)
		if items := decode[struct{ Items []formOut }](t, res).Items; len(items) != 1 || items[0].ID != form.ID {
			t.Errorf("client's forms %+v", items)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/forms/" + form.ID, token: danaToken})
		wantStatus(t, res, http.StatusOK)

		// Another client's form is not there for Dana, in any way.
		for _, c := range []call{
			{method: http.MethodGet, path: "/forms/" + eliForm.ID},
			{method: http.MethodPut, path: "/forms/" + eliForm.ID + "/draft",
				body: map[string]any{"answers": map[string]string{"item1": "2"}}},
			{method: http.MethodPost, path: "/forms/" + eliForm.ID + "/sign",
				body: map[string]any{"answers": phq9Answers("0"), "signed_name": "Dana Fox"}},
			{method: http.MethodGet, path: "/clients/" + d.ID + "/forms"},
			{method: http.MethodGet, path: "/clients/" + d.ID},
		} {
			c.token = danaToken
			wantError(t, e.do(t, c), http.StatusNotFound, "not_found", "")
		}
		res = e.do(t, call{method: http.MethodGet, path: "/forms/" + eliForm.ID, token: eliToken})
		if got := decode[formOut](t, res); got.Status != "assigned" || len(got.Answers) != 0 {
			t.Errorf("Dana's attempts touched Eli's form: %+v", got)
		}

		// A draft keeps partial answers; signing without all of them fails.
		res = e.do(t, call{method: http.MethodPut, path: "/forms/" + form.ID + "/draft", token: danaToken,
			body: map[string]any{"answers": map[string]string{"item1": "2"}}})
		wantStatus(t, res, http.StatusOK)
		if got := decode[formOut](t, res); got.Status != "draft" || got.Answers["item1"] != "2" {
			t.Errorf("draft %+v", got)
		}
		res = e.do(t, call{method: http.MethodPost, path: "/forms/" + form.ID + "/sign", token: danaToken,
			body: map[string]any{"answers": map[string]string{"item1": "2"}, "signed_name": "Dana Fox"}})
		wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "")
		res = e.do(t, call{method: http.MethodPut, path: "/forms/" + form.ID + "/draft", token: p.token,
			body: map[string]any{"answers": map[string]string{"item1": "0"}}})
		wantError(t, res, http.StatusForbidden, "forbidden", "")

		// Signed with item 9 above 0: scored, locked, and an urgent task.
		res = e.do(t, call{method: http.MethodPost, path: "/forms/" + form.ID + "/sign", token: danaToken,
			body: map[string]any{"answers": phq9Answers("2"), "signed_name": "Dana Fox"}})
		wantStatus(t, res, http.StatusOK)
		signed := decode[formOut](t, res)
		if signed.Status != "signed" || signed.SignedAt == nil || signed.SignedName != "Dana Fox" ||
			len(signed.AnswersHash) != 64 || signed.Score == nil ||
			signed.Score.Total != 10 || signed.Score.Band != "moderate" || !signed.Score.Item9Positive {
			t.Errorf("signed %+v (score %+v)", signed, signed.Score)
		}
		res = e.do(t, call{method: http.MethodPut, path: "/forms/" + form.ID + "/draft", token: danaToken,
			body: map[string]any{"answers": map[string]string{"item1": "0"}}})
		wantError(t, res, http.StatusConflict, "locked", "")

		res = e.do(t, call{method: http.MethodGet, path: "/tasks", token: p.token})
		wantStatus(t, res, http.StatusOK)
		tasks := decode[struct{ Items []taskOut }](t, res).Items
		if len(tasks) != 1 || !tasks[0].Urgent || tasks[0].ClientID == nil || *tasks[0].ClientID != c.ID {
			t.Fatalf("tasks %+v", tasks)
		}
		if strings.Contains(tasks[0].Title, "Dana") || strings.Contains(tasks[0].Title, "Fox") {
			t.Errorf("task title carries the client's name: %q", tasks[0].Title)
		}

		// The provider sees the answers and the score.
		res = e.do(t, call{method: http.MethodGet, path: "/forms/" + form.ID, token: p.token})
		wantStatus(t, res, http.StatusOK)
		if got := decode[formOut](t, res); got.Answers["item9"] != "2" || got.SignerIP == "" {
			t.Errorf("provider's view %+v", got)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID + "/measures", token: p.token})
		wantStatus(t, res, http.StatusOK)
		items := decode[struct{ Items []map[string]any }](t, res).Items
		if len(items) != 1 || items[0]["total"] != 10.0 {
			t.Errorf("measures %+v", items)
		}
		// The client sees their own scores; another client does not.
		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID + "/measures", token: danaToken})
		wantStatus(t, res, http.StatusOK)
		if own := decode[struct{ Items []map[string]any }](t, res).Items; len(own) != 1 {
			t.Errorf("the client's own measures: %+v", own)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/clients/" + c.ID + "/measures", token: eliToken})
		wantError(t, res, http.StatusNotFound, "not_found", "")
		if n := e.countWhere(t, "audit_log", "action = $1", "forms.submission.read"); n < 3 {
			t.Errorf("%d forms.submission.read audit entries, want at least 3", n)
		}

		// Dismissed, the task leaves the list.
		res = e.do(t, call{method: http.MethodPost, path: "/tasks/" + tasks[0].ID + "/dismiss", token: p.token})
		wantStatus(t, res, http.StatusNoContent)
		res = e.do(t, call{method: http.MethodGet, path: "/tasks", token: p.token})
		if left := decode[struct{ Items []taskOut }](t, res).Items; len(left) != 0 {
			t.Errorf("tasks after dismissing %+v", left)
		}
	})
}

func TestFormTemplatesCustom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		other := e.newPractice(t, "other@example.test")

		res := e.do(t, call{method: http.MethodPost, path: "/form-templates", token: p.token,
			body: map[string]any{"title": "Goals", "description": "What you hope for",
				"fields": []map[string]any{
					{"key": "goals", "label": "Your goals", "type": "long_text", "required": true},
					{"key": "how", "label": "Preferred contact", "type": "single_choice",
						"options": []string{"Phone", "Email"}},
					{"key": "signature", "label": "Sign", "type": "signature", "required": true},
				}}})
		wantStatus(t, res, http.StatusCreated)
		custom := decode[templateOut](t, res)
		if custom.ProviderID == nil || *custom.ProviderID != p.providerID || custom.Kind != "form" {
			t.Errorf("custom template %+v", custom)
		}
		e.templateFor(t, p.token, custom.Slug)

		// The other provider neither lists it nor can assign it.
		res = e.do(t, call{method: http.MethodGet, path: "/form-templates", token: other.token})
		for _, tpl := range decode[struct{ Items []templateOut }](t, res).Items {
			if tpl.ID == custom.ID {
				t.Error("another provider lists the custom template")
			}
		}
		c := e.createClient(t, other.token, map[string]any{"first_name": "Ida", "last_name": "Moss"})
		res = e.do(t, call{method: http.MethodPost, path: "/clients/" + c.ID + "/forms",
			token: other.token, body: map[string]any{"template_id": custom.ID}})
		wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "template_id")

		// The owner edits it; nobody else can, nor edit Tend's forms.
		edit := func(token, id string, body map[string]any) response {
			return e.do(t, call{method: http.MethodPut, path: "/form-templates/" + id,
				token: token, body: body})
		}
		changed := map[string]any{"title": "Goals for therapy", "fields": []map[string]any{
			{"key": "goals", "label": "Your goals", "type": "long_text", "required": true}}}
		res = edit(p.token, custom.ID, changed)
		wantStatus(t, res, http.StatusOK)
		if got := decode[templateOut](t, res); got.Slug != "goals-for-therapy" || len(got.Fields) != 1 {
			t.Errorf("edited template: %+v", got)
		}
		wantStatus(t, edit(other.token, custom.ID, changed), http.StatusNotFound)
		wantStatus(t, edit(p.token, e.templateFor(t, p.token, "phq-9").ID, changed), http.StatusNotFound)
		wantError(t, e.do(t, call{method: http.MethodPut, path: "/form-templates/" + custom.ID,
			token: p.token, body: map[string]any{"title": "", "fields": []map[string]any{
				{"key": "a", "label": "A", "type": "short_text"}}}, broken: true}),
			http.StatusUnprocessableEntity, "validation_failed", "")

		// Archiving retires it from the list and from sending; only the
		// owner can, and only their own forms.
		archive := func(token, id, verb string) response {
			return e.do(t, call{method: http.MethodPost,
				path: "/form-templates/" + id + "/" + verb, token: token})
		}
		wantStatus(t, archive(other.token, custom.ID, "archive"), http.StatusNotFound)
		phq9 := e.templateFor(t, p.token, "phq-9")
		wantStatus(t, archive(p.token, phq9.ID, "archive"), http.StatusNotFound)
		res = archive(p.token, custom.ID, "archive")
		wantStatus(t, res, http.StatusOK)
		if got := decode[templateOut](t, res); got.ArchivedAt == nil {
			t.Errorf("archived template: %+v", got)
		}
		res = e.do(t, call{method: http.MethodGet, path: "/form-templates", token: p.token})
		for _, tpl := range decode[struct{ Items []templateOut }](t, res).Items {
			if tpl.ID == custom.ID {
				t.Error("the archived template is still listed")
			}
		}
		mine := e.createClient(t, p.token, map[string]any{"first_name": "Lu", "last_name": "Hart"})
		res = e.do(t, call{method: http.MethodPost, path: "/clients/" + mine.ID + "/forms",
			token: p.token, body: map[string]any{"template_id": custom.ID}})
		wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "template_id")
		res = archive(p.token, custom.ID, "unarchive")
		wantStatus(t, res, http.StatusOK)
		if got := decode[templateOut](t, res); got.ArchivedAt != nil {
			t.Errorf("restored template: %+v", got)
		}

		templates := e.count(t, "form_templates")
		for _, body := range []map[string]any{
			{"title": "", "fields": []map[string]any{{"key": "a", "label": "A", "type": "short_text"}}},
			{"title": "No fields", "fields": []map[string]any{}},
			{"title": "Choice without options", "fields": []map[string]any{
				{"key": "a", "label": "A", "type": "single_choice"}}},
		} {
			res := e.do(t, call{method: http.MethodPost, path: "/form-templates",
				token: p.token, body: body, broken: true})
			wantError(t, res, http.StatusUnprocessableEntity, "validation_failed", "")
		}
		if n := e.count(t, "form_templates"); n != templates {
			t.Errorf("form_templates went from %d to %d rows", templates, n)
		}
	})
}

func TestIntakePacketAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		p := e.newPractice(t, "pro@example.test")
		other := e.newPractice(t, "other@example.test")
		packet := func(res response) []string {
			t.Helper()
			wantStatus(t, res, http.StatusOK)
			var slugs []string
			for _, tpl := range decode[struct{ Items []templateOut }](t, res).Items {
				slugs = append(slugs, tpl.Slug)
			}
			return slugs
		}
		get := call{method: http.MethodGet, path: "/intake-packet", token: p.token}
		if got := packet(e.do(t, get)); len(got) != 5 || got[0] != "demographics" {
			t.Fatalf("default packet = %v", got)
		}

		consent := e.templateFor(t, p.token, "consent-to-treatment")
		phq9 := e.templateFor(t, p.token, "phq-9")
		put := func(token string, body map[string]any, broken bool) response {
			return e.do(t, call{method: http.MethodPut, path: "/intake-packet", token: token,
				body: body, broken: broken})
		}
		got := packet(put(p.token, map[string]any{"template_ids": []string{phq9.ID, consent.ID}}, false))
		if len(got) != 2 || got[0] != "phq-9" || got[1] != "consent-to-treatment" {
			t.Fatalf("chosen packet = %v", got)
		}

		res := e.do(t, call{method: http.MethodPost, path: "/form-templates", token: other.token,
			body: map[string]any{"title": "Theirs", "fields": []map[string]any{
				{"key": "q", "label": "Q", "type": "short_text"}}}})
		wantStatus(t, res, http.StatusCreated)
		theirs := decode[templateOut](t, res)
		wantError(t, put(p.token, map[string]any{"template_ids": []string{theirs.ID}}, false),
			http.StatusUnprocessableEntity, "validation_failed", "template_ids")
		wantError(t, put(p.token, map[string]any{}, true),
			http.StatusUnprocessableEntity, "validation_failed", "template_ids")
		if got := packet(e.do(t, get)); len(got) != 2 {
			t.Fatalf("a refused change altered the packet: %v", got)
		}
		if got := packet(put(p.token, map[string]any{"template_ids": []string{}}, false)); len(got) != 0 {
			t.Fatalf("an empty packet = %v", got)
		}
	})
}
