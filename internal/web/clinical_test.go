package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// templateID finds the id of an instance form template by its title.
func (s *site) templateID(prov auth.User, title string) string {
	s.t.Helper()
	list, err := s.forms.Templates(context.Background(), providerActor(prov))
	if err != nil {
		s.t.Fatalf("templates: %v", err)
	}
	for _, tpl := range list {
		if tpl.Title == title {
			return tpl.ID
		}
	}
	s.t.Fatalf("no template %q", title)
	return ""
}

// phq9Answers answers every PHQ-9 item with score, item 9 with item9.
func phq9Answers(score, item9 string) url.Values {
	v := url.Values{}
	for i := 1; i <= 8; i++ {
		v.Set("answer.item"+string(rune('0'+i)), score)
	}
	v.Set("answer.item9", item9)
	return v
}

// TestPortalFormFillAndSign: the provider sends a PHQ-9, the client
// fills it in the portal, saves a draft, signs with their typed name and
// can no longer change it; item 9 above 0 puts an urgent task on the
// provider's dashboard, and the client page shows the score and chart.
func TestPortalFormFillAndSign(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	prov := s.provider("dana@example.org")
	c := s.newClient(prov, clients.Input{FirstName: "Ana", LastName: "Ames", Email: "ana@example.org"})
	s.user(auth.NewUser{Email: "ana@example.org", Role: access.RoleClient, ClientID: c.ID,
		DisplayName: "Ana Ames"})
	phq9 := s.templateID(prov, "PHQ-9")

	dana := s.browser()
	dana.signIn("dana@example.org", "/dashboard")
	want(t, dana.post("/clients/"+c.ID+"/forms", url.Values{"template_id": {""}}),
		http.StatusUnprocessableEntity, `id="assign-template-error"`)
	wantRedirect(t, dana.post("/clients/"+c.ID+"/forms", url.Values{"template_id": {phq9}}),
		"/clients/"+c.ID+"?done=sent#forms-section")
	page := dana.get("/clients/" + c.ID)
	want(t, page, http.StatusOK, "PHQ-9", "Not started", `id="measures-empty"`)

	ana := s.browser()
	ana.signIn("ana@example.org", "/portal")
	list := ana.get("/portal/forms")
	want(t, list, http.StatusOK, `id="forms-todo"`, `id="done-empty"`)
	ids := regexpAll(list.body, `id="todo-([0-9a-f-]+)"`)
	if len(ids) != 1 {
		t.Fatalf("forms to do = %v, want one", ids)
	}
	form := "/portal/forms/" + ids[0]
	want(t, ana.get(form), http.StatusOK, `type="radio"`, `name="answer.item9"`,
		"Not at all", "Nearly every day", `name="typed_name"`, "Pfizer")

	// A draft keeps the answers; the autosave script gets JSON.
	wantRedirect(t, ana.post(form, url.Values{"answer.item1": {"2"}}), form+"?done=saved")
	want(t, ana.get(form), http.StatusOK, `value="2" checked`)
	auto := ana.post(form, url.Values{"answer.item1": {"3"}}, "Accept", "application/json")
	want(t, auto, http.StatusOK, `"saved"`)

	// Signing without every answer or a name is refused, next to the fields.
	p := ana.post(form+"/sign", url.Values{"answer.item1": {"1"}})
	want(t, p, http.StatusUnprocessableEntity, `id="q-item2-error"`, `id="fill-signed-name-error"`)

	answers := phq9Answers("1", "1")
	answers.Set("typed_name", "Ana Ames")
	wantRedirect(t, ana.post(form+"/sign", answers), "/portal/forms?done=signed")
	want(t, ana.get("/portal/forms"), http.StatusOK, `id="done-`+ids[0]+`"`, `id="todo-empty"`)
	want(t, ana.get(form), http.StatusOK, `id="form-locked"`, "Signed by Ana Ames")
	if strings.Contains(ana.get(form).body, `name="answer.item1"`) {
		t.Error("a signed form still shows inputs")
	}
	want(t, ana.post(form, phq9Answers("0", "0")), http.StatusConflict, "signed and submitted")

	// Another client cannot open it.
	other := s.newClient(prov, clients.Input{FirstName: "Bo", LastName: "Bell", Email: "bo@example.org"})
	s.user(auth.NewUser{Email: "bo@example.org", Role: access.RoleClient, ClientID: other.ID})
	bo := s.browser()
	bo.signIn("bo@example.org", "/portal")
	want(t, bo.get(form), http.StatusNotFound)
	want(t, bo.post(form+"/sign", answers), http.StatusNotFound)

	// The provider: urgent task on the dashboard, score and chart on the page.
	dash := dana.get("/dashboard")
	want(t, dash, http.StatusOK, `class="urgent"`, "PHQ-9 item 9", `href="/clients/`+c.ID+`"`)
	page = dana.get("/clients/" + c.ID)
	want(t, page, http.StatusOK, `id="measure-phq9"`, `<span class="score">9</span>`, "Mild",
		`id="measures-chart"`, "<svg", "Item 9 above 0")
	answersPage := dana.get("/clients/" + c.ID + "/forms/" + ids[0])
	want(t, answersPage, http.StatusOK, "Several days (1)", "Signed by Ana Ames", "9 · Mild")
	want(t, dana.get("/clients/"+other.ID+"/forms/"+ids[0]), http.StatusNotFound)

	// Dismissing the task takes it off the dashboard.
	task := regexp.MustCompile(`action="(/tasks/[0-9a-f-]+/dismiss)"`).FindStringSubmatch(dash.body)
	if task == nil {
		t.Fatal("no dismiss button on the urgent task")
	}
	wantRedirect(t, dana.post(task[1], nil), "/dashboard")
	if strings.Contains(dana.get("/dashboard").body, "PHQ-9 item 9") {
		t.Error("dismissed task still listed")
	}
}

// TestNoteSignThenEdit: a draft saves and autosaves; signing needs the
// confirmation; a signed note has no editor, and editing or deleting it
// is refused with 409 and the reason; addenda are added.
func TestNoteSignThenEdit(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	prov := s.provider("dana@example.org")
	c := s.newClient(prov, clients.Input{FirstName: "Ana", LastName: "Ames"})
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	p := b.post("/clients/"+c.ID+"/notes", url.Values{"template": {"soap"}})
	note, ok := strings.CutPrefix(p.location(), "/notes/")
	if p.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("new note: %d → %q", p.StatusCode, p.location())
	}
	path := "/notes/" + note
	editor := b.get(path)
	want(t, editor, http.StatusOK, "SOAP note", `name="section.subjective"`, `name="section.plan"`,
		`data-autosave="`+path+`"`, `name="version" value="1"`)

	// Autosave answers JSON with the new version.
	auto := b.post(path, url.Values{"version": {"1"}, "section.subjective": {"Slept better."}},
		"Accept", "application/json")
	want(t, auto, http.StatusOK)
	var saved struct {
		Saved   string `json:"saved"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal([]byte(auto.body), &saved); err != nil || saved.Version != 2 {
		t.Fatalf("autosave answer %q (%v), want version 2", auto.body, err)
	}
	// A stale tab cannot overwrite it.
	stale := b.post(path, url.Values{"version": {"1"}, "section.subjective": {"Old text"}},
		"Accept", "application/json")
	want(t, stale, http.StatusConflict)

	// Signing without the confirmation saves the text and asks for it.
	form := url.Values{"version": {"2"}, "section.subjective": {"Slept better."},
		"section.assessment": {"Improving."}}
	want(t, b.post(path+"/sign", form), http.StatusUnprocessableEntity, `id="note-confirm-error"`,
		"Improving.")
	form.Set("version", "3")
	form.Set("confirm", "1")
	wantRedirect(t, b.post(path+"/sign", form), path+"?done=signed")

	signed := b.get(path)
	want(t, signed, http.StatusOK, `id="note-locked"`, "Slept better.", `id="addendum-form"`, `id="note-hash"`)
	if strings.Contains(signed.body, `name="section.subjective"`) || strings.Contains(signed.body, `id="note-sign"`) {
		t.Error("a signed note still shows its editor")
	}
	for _, try := range []struct{ path string }{{path}, {path + "/sign"}, {path + "/delete"}} {
		want(t, b.post(try.path, url.Values{"version": {"4"}, "section.subjective": {"Changed"},
			"confirm": {"1"}}), http.StatusConflict, "signed and locked")
	}
	want(t, b.post(path, url.Values{"section.subjective": {"No version"}}), http.StatusConflict,
		"signed and locked")
	want(t, b.get(path), http.StatusOK, "Slept better.")

	want(t, b.post(path+"/addenda", url.Values{"text": {""}}), http.StatusUnprocessableEntity,
		`id="addendum-text-error"`)
	wantRedirect(t, b.post(path+"/addenda", url.Values{"text": {"Called to follow up."}}),
		path+"?done=addendum#addenda")
	want(t, b.get(path), http.StatusOK, "Called to follow up.")

	// A draft can be deleted; the client page lists notes.
	p = b.post("/clients/"+c.ID+"/notes", url.Values{"template": {"dap"}})
	draft := p.location()
	want(t, b.get("/clients/"+c.ID), http.StatusOK, "SOAP note", "DAP note", "Draft")
	wantRedirect(t, b.post(draft+"/delete", nil), "/clients/"+c.ID+"?done=deleted#notes-section")
	want(t, b.get(draft), http.StatusNotFound)
}

// TestExportRecord downloads the record as JSON and PDF.
func TestExportRecord(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	prov := s.provider("dana@example.org")
	c := s.newClient(prov, clients.Input{FirstName: "Ana", LastName: "Ames"})
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	j := b.get("/clients/" + c.ID + "/record.json")
	want(t, j, http.StatusOK, c.ID, "Ames")
	if ct := j.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("JSON export content type %q", ct)
	}
	if cd := j.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || strings.Contains(cd, "Ames") {
		t.Errorf("JSON export disposition %q", cd)
	}
	pdf := b.get("/clients/" + c.ID + "/record.pdf")
	want(t, pdf, http.StatusOK, "%PDF-")
	if ct := pdf.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("PDF export content type %q", ct)
	}
}
