package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/forms"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// builderForm is the builder as a browser submits it, with the given
// rows of label, type and options.
func builderForm(title, action string, rows ...[3]string) url.Values {
	f := url.Values{"title": {title}, "action": {action},
		"rows": {strconv.Itoa(len(rows))}}
	for i, r := range rows {
		p := "f" + strconv.Itoa(i) + "_"
		f.Set(p+"label", r[0])
		f.Set(p+"type", r[1])
		f.Set(p+"options", r[2])
	}
	return f
}

// TestFormBuilder: a provider builds their own form from typed fields in
// the browser, fixing what the builder refuses; the form is then in
// their list, printable, and offered on a client's page.
func TestFormBuilder(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	prov := s.provider("dana@example.org")
	c := s.newClient(prov, clients.Input{FirstName: "Ana", LastName: "Ames", Email: "ana@example.org"})
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	want(t, b.get("/settings/forms"), http.StatusOK, `id="own-forms-empty"`,
		"Tend's library", "PHQ-9", "Consent to treatment", "dana@example.org",
		`href="/settings/letterhead.pdf"`)
	want(t, b.get("/settings/forms/new"), http.StatusOK, `id="f2-label"`, `name="rows" value="3"`)

	// Adding a field keeps what was typed.
	p := b.post("/settings/forms/new", builderForm("Couples intake", "add",
		[3]string{"Partner's name", "short_text", ""}))
	want(t, p, http.StatusOK, `id="f1-label"`, `value="Partner&#39;s name"`, `value="Couples intake"`)

	// Moving up and removing reorder the draft.
	rows := [][3]string{{"First", "short_text", ""}, {"Second", "date", ""}, {"Third", "long_text", ""}}
	p = b.post("/settings/forms/new", builderForm("Draft", "up-2", rows...))
	if i, j := strings.Index(p.body, `value="Third"`), strings.Index(p.body, `value="Second"`); i < 0 || i > j {
		t.Errorf("Third did not move above Second")
	}
	p = b.post("/settings/forms/new", builderForm("Draft", "remove-0", rows...))
	if strings.Contains(p.body, `value="First"`) || !strings.Contains(p.body, `value="Second"`) {
		t.Errorf("remove-0 did not remove the first field")
	}

	// Bad input: no title, a choice with one option, text in options
	// without a label. Each error sits by its input; nothing is saved.
	p = b.post("/settings/forms/new", builderForm("", "save",
		[3]string{"Reason for visit", "single_choice", "Only one"},
		[3]string{"", "", ""},
		[3]string{"", "multi_choice", "A\nB"}))
	want(t, p, http.StatusUnprocessableEntity, `id="form-title-error"`,
		`id="f0-options-error"`, `id="f2-label-error"`)
	if strings.Contains(p.body, `id="f1-label-error"`) {
		t.Errorf("the empty row was not left out")
	}
	want(t, b.post("/settings/forms/new", builderForm("Nothing", "save",
		[3]string{"", "short_text", ""})), http.StatusUnprocessableEntity, "Add at least one field")
	for _, action := range []string{"remove-9", "up-x", "explode", ""} {
		want(t, b.post("/settings/forms/new", builderForm("X", action,
			[3]string{"A", "short_text", ""})), http.StatusBadRequest)
	}
	if own := ownTemplates(t, s, prov); len(own) != 0 {
		t.Fatalf("refused drafts saved %d forms", len(own))
	}

	// A good form is saved with its fields in order.
	p = b.post("/settings/forms/new", builderForm("Couples intake", "save",
		[3]string{"Partner's name", "short_text", ""},
		[3]string{"", "", ""},
		[3]string{"What brings you in?", "single_choice", "Communication\n\nConflict\n"}))
	wantRedirect(t, p, "/settings/forms?done=created")
	own := ownTemplates(t, s, prov)
	if len(own) != 1 || len(own[0].Fields) != 2 ||
		own[0].Fields[1].Type != forms.SingleChoice ||
		strings.Join(own[0].Fields[1].Options, "|") != "Communication|Conflict" {
		t.Fatalf("saved: %+v", own)
	}
	want(t, b.get("/settings/forms?done=created"), http.StatusOK, "Your form has been saved",
		`id="form-`+own[0].ID+`"`)
	want(t, b.post("/settings/forms/new", builderForm("Couples intake", "save",
		[3]string{"Name", "short_text", ""})), http.StatusUnprocessableEntity,
		"already have a form with this title")

	// It can be sent from the client's page and printed.
	want(t, b.get("/clients/"+c.ID), http.StatusOK, "Couples intake")
	pdf := b.get("/settings/forms/" + own[0].ID + "/print.pdf")
	want(t, pdf, http.StatusOK)
	if pdf.Header.Get("Content-Type") != "application/pdf" ||
		!bytes.HasPrefix([]byte(pdf.body), []byte("%PDF-")) {
		t.Errorf("print.pdf: %s %.20q", pdf.Header.Get("Content-Type"), pdf.body)
	}
	want(t, b.get("/settings/letterhead.pdf"), http.StatusOK, "%PDF-")

	// Archiving takes it out of what can be sent; restoring brings it
	// back. Library forms cannot be archived.
	wantRedirect(t, b.post("/settings/forms/"+own[0].ID+"/archive", nil), "/settings/forms?done=archived")
	p = b.get("/settings/forms?done=archived")
	want(t, p, http.StatusOK, "no longer offered for sending", `id="restore-`+own[0].ID+`"`)
	if strings.Contains(textOf(t, p.body, "own-forms"), "Couples intake") {
		t.Errorf("the archived form is still listed with the forms to send")
	}
	if strings.Contains(b.get("/clients/"+c.ID).body, "Couples intake") {
		t.Errorf("the client page still offers the archived form")
	}
	wantRedirect(t, b.post("/settings/forms/"+own[0].ID+"/unarchive", nil), "/settings/forms?done=restored")
	want(t, b.get("/clients/"+c.ID), http.StatusOK, "Couples intake")
	want(t, b.post("/settings/forms/"+s.templateID(prov, "PHQ-9")+"/archive", nil), http.StatusNotFound)

	// Editing fills the builder with the form and saves over it.
	edit := "/settings/forms/" + own[0].ID + "/edit"
	want(t, b.get("/settings/forms"), http.StatusOK, `href="`+edit+`"`)
	want(t, b.get(edit), http.StatusOK, "Edit form", `value="Couples intake"`,
		`action="`+edit+`"`, "Communication\nConflict")
	wantRedirect(t, b.post(edit, builderForm("Couples intake, first visit", "save",
		[3]string{"Partner's name", "short_text", ""},
		[3]string{"Anniversary", "date", ""})), "/settings/forms?done=updated")
	if got := ownTemplates(t, s, prov)[0]; got.Title != "Couples intake, first visit" ||
		len(got.Fields) != 2 || got.Fields[1].Type != forms.Date {
		t.Fatalf("after editing: %+v", got)
	}
	want(t, b.post(edit, builderForm("", "save", [3]string{"A", "short_text", ""})),
		http.StatusUnprocessableEntity, `id="form-title-error"`, `action="`+edit+`"`)
	consentID := s.templateID(prov, "Consent to treatment")
	want(t, b.get("/settings/forms/"+consentID+"/edit"), http.StatusNotFound)
	want(t, b.post("/settings/forms/"+consentID+"/edit", builderForm("Mine now", "save",
		[3]string{"A", "short_text", ""})), http.StatusNotFound)

	// Copying a library form fills the builder; questionnaires are scored
	// and cannot be copied.
	want(t, b.get("/settings/forms/new?from="+s.templateID(prov, "Consent to treatment")),
		http.StatusOK, `value="Copy of Consent to treatment"`)
	want(t, b.get("/settings/forms/new?from="+s.templateID(prov, "PHQ-9")), http.StatusNotFound)
}

// TestFormLibraryIsTheProvidersOwn: another provider's forms can be
// neither printed nor copied, and clients have no form library.
func TestFormLibraryIsTheProvidersOwn(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	dana := s.provider("dana@example.org")
	s.provider("eve@example.org")
	s.client("cal@example.org", dana.ProviderID)
	mine, err := s.forms.CreateTemplate(context.Background(), providerActor(dana),
		forms.Template{Title: "Dana's form", Fields: []forms.Field{{Label: "Q", Type: forms.ShortText}}})
	if err != nil {
		t.Fatal(err)
	}

	eve := s.browser()
	eve.signIn("eve@example.org", "/dashboard")
	want(t, eve.get("/settings/forms/"+mine.ID+"/print.pdf"), http.StatusNotFound)
	want(t, eve.get("/settings/forms/new?from="+mine.ID), http.StatusNotFound)
	want(t, eve.get("/settings/forms/"+mine.ID+"/edit"), http.StatusNotFound)
	want(t, eve.post("/settings/forms/"+mine.ID+"/edit", builderForm("Taken over", "save",
		[3]string{"A", "short_text", ""})), http.StatusNotFound)
	if p := eve.get("/settings/forms"); strings.Contains(p.body, "Dana's form") {
		t.Errorf("eve's list shows dana's form")
	}

	cal := s.browser()
	cal.signIn("cal@example.org", "/portal")
	for _, path := range []string{"/settings/forms", "/settings/letterhead.pdf",
		"/settings/forms/" + mine.ID + "/print.pdf"} {
		if p := cal.get(path); p.StatusCode == http.StatusOK {
			t.Errorf("a client opened %s", path)
		}
	}
}

// ownTemplates lists the provider's own form templates.
func ownTemplates(t *testing.T, s *site, prov auth.User) []forms.Template {
	t.Helper()
	all, err := s.forms.Templates(context.Background(), providerActor(prov))
	if err != nil {
		t.Fatal(err)
	}
	var own []forms.Template
	for _, tpl := range all {
		if tpl.ProviderID != "" {
			own = append(own, tpl)
		}
	}
	return own
}

// TestIntakePacketSetting: the page ticks Tend's packet until the
// provider chooses their own, which may hold their own forms; a form
// that is not theirs to send is refused and nothing changes.
func TestIntakePacketSetting(t *testing.T) {
	s := newSite(t, storetest.SQLite(t), nil)
	s.admin("admin@example.org")
	dana := s.provider("dana@example.org")
	eve := s.provider("eve@example.org")
	ctx := context.Background()
	mine, err := s.forms.CreateTemplate(ctx, providerActor(dana), forms.Template{
		Title: "Couples intake", Fields: []forms.Field{{Label: "Q", Type: forms.ShortText}}})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := s.forms.CreateTemplate(ctx, providerActor(eve), forms.Template{
		Title: "Eve's form", Fields: []forms.Field{{Label: "Q", Type: forms.ShortText}}})
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.signIn("dana@example.org", "/dashboard")

	ticked := func() int {
		t.Helper()
		p := b.get("/settings/forms")
		want(t, p, http.StatusOK, `id="intake-packet-form"`)
		return strings.Count(formHTML(t, p.body, "intake-packet-form"), " checked")
	}
	if n := ticked(); n != len(forms.DefaultIntakePacket) {
		t.Fatalf("%d forms ticked by default, want %d", n, len(forms.DefaultIntakePacket))
	}

	consent := s.templateID(dana, "Consent to treatment")
	wantRedirect(t, b.post("/settings/forms/intake",
		url.Values{"template_id": {mine.ID, consent}}), "/settings/forms?done=intake")
	if n := ticked(); n != 2 {
		t.Fatalf("%d forms ticked after choosing two", n)
	}
	want(t, b.post("/settings/forms/intake", url.Values{"template_id": {consent, theirs.ID}}),
		http.StatusUnprocessableEntity, `id="intake-packet-error"`)
	if n := ticked(); n != 2 {
		t.Fatalf("a refused choice changed the packet: %d ticked", n)
	}
	wantRedirect(t, b.post("/settings/forms/intake", url.Values{}), "/settings/forms?done=intake")
	if n := ticked(); n != 0 {
		t.Fatalf("%d forms ticked after choosing none", n)
	}
}

// formHTML returns the markup inside the form with the id.
func formHTML(t *testing.T, body, id string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<form [^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</form>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form #%s in:\n%s", id, body)
	}
	return m[1]
}
