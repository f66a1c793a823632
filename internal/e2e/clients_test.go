package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/demo"
)

// The client the test creates. 802 is an area code the demo data does
// not use, so the phone search finds this client alone.
const (
	newClientEmail = "rowan.vale@example.org"
	newClientPass  = "harbor-lantern-meadow-91"
)

// TestClientJourney walks a client's first weeks through the browser: the
// provider creates the client (a mistake first, shown next to its
// field), finds them by phone typed another way, sends a PHQ-9; the
// client signs in, fills and signs it; the provider sees the score, the
// chart and the urgent task, writes a SOAP note, signs it and cannot
// change it afterwards.
func TestClientJourney(t *testing.T) {
	b := start(t)
	dana := b.newUser(t)
	dana.signIn(providerEmail, demo.Password)
	dana.waitPath("/dashboard")

	// Create the client through the form; a bad email is refused first.
	dana.open("/clients")
	dana.click("new-client")
	dana.waitPath("/clients/new")
	dana.fill(map[string]string{
		"cf-first-name": "Rowan", "cf-last-name": "Vale",
		"cf-email": "rowan.vale@", "cf-phone": "(802) 555-0143",
		"cf-diagnoses-0-code": "F41.1", "cf-diagnoses-0-description": "Generalized anxiety disorder",
	})
	setValue(dana, "cf-date-of-birth", "1991-06-14")
	dana.click("cf-cash-pay")
	dana.click("client-submit")
	dana.waitFor("the email error", `document.getElementById("cf-email-error") !== null`)
	if msg := dana.text("#cf-email-error"); !strings.Contains(msg, "email") {
		t.Errorf("email error = %q", msg)
	}
	if got := eval[string](dana, `document.getElementById("cf-email").getAttribute("aria-describedby")`); got != "cf-email-error" {
		t.Errorf("email input aria-describedby = %q", got)
	}
	dana.screenshot("client-form-error")
	dana.fill(map[string]string{"cf-email": newClientEmail})
	dana.click("client-submit")
	dana.waitFor("the client page", `location.pathname.startsWith("/clients/") && document.getElementById("client-name") !== null`)
	clientPath := strings.TrimPrefix(dana.where(), dana.srv.url)
	clientPath = strings.SplitN(clientPath, "?", 2)[0]
	clientID := strings.TrimPrefix(clientPath, "/clients/")
	if name := dana.text("#client-name"); name != "Rowan Vale" {
		t.Errorf("client page heading = %q", name)
	}
	dana.screenshot("client-created")

	// Find them by phone, typed in another format.
	dana.open("/clients")
	dana.fill(map[string]string{"client-q": "802.555.0143"})
	dana.click("client-search-submit")
	dana.waitFor("search results", `location.search.includes("q=") && document.readyState === "complete"`)
	rows := eval[int](dana, `document.querySelectorAll("#clients tbody tr").length`)
	if rows != 1 {
		t.Fatalf("phone search lists %d clients, want 1", rows)
	}
	if got := dana.text("#clients tbody tr .client-name"); got != "Vale, Rowan" {
		t.Errorf("phone search found %q", got)
	}
	if got := dana.text("#clients tbody tr .client-phone"); got != "(802) 555-0143" {
		t.Errorf("phone shown as %q", got)
	}
	dana.screenshot("clients-search")
	dana.clickCSS("#clients tbody tr .client-name")
	dana.waitPath(clientPath)

	// Send a PHQ-9.
	selectByText(dana, "assign-template", "PHQ-9")
	dana.click("assign-submit")
	dana.waitFor("the assigned form", `document.querySelector("#client-forms") !== null`)
	if got := dana.text("#client-forms tbody"); !strings.Contains(got, "PHQ-9") || !strings.Contains(got, "Not started") {
		t.Errorf("forms table = %q", got)
	}

	// The client gets an account and signs in.
	ctx := context.Background()
	if _, err := dana.srv.app.Auth().CreateUser(ctx, access.System(), auth.NewUser{
		Email: newClientEmail, Role: access.RoleClient, ClientID: clientID,
		DisplayName: "Rowan Vale", Password: newClientPass}); err != nil {
		t.Fatalf("create the client's account: %v", err)
	}
	rowan := b.newUser(t)
	rowan.signIn(newClientEmail, newClientPass)
	rowan.waitPath("/portal")
	rowan.open("/portal/forms")
	rowan.clickCSS("#forms-todo a")
	rowan.waitFor("the PHQ-9", `location.pathname.startsWith("/portal/forms/") && document.getElementById("fill-form") !== null`)
	formPath := strings.TrimPrefix(rowan.where(), rowan.srv.url)
	// Items 1-8 "Several days" (1 each), item 9 "Several days": 9, mild.
	for i := 1; i <= 9; i++ {
		rowan.click("q-item" + strconv.Itoa(i) + "-1")
	}
	rowan.click("q-difficulty-1")
	rowan.fill(map[string]string{"fill-signed-name": "Rowan Vale"})
	rowan.screenshot("phq9-filled")
	rowan.click("fill-sign")
	rowan.waitPath("/portal/forms")
	if done := rowan.text("#forms-done"); !strings.Contains(done, "PHQ-9") {
		t.Errorf("completed forms = %q", done)
	}
	rowan.open(formPath)
	if locked := rowan.text("#form-locked"); !strings.Contains(locked, "Signed by Rowan Vale") {
		t.Errorf("signed form says %q", locked)
	}
	if n := eval[int](rowan, `document.querySelectorAll("input[type=radio]").length`); n != 0 {
		t.Errorf("signed form still has %d radio buttons", n)
	}

	// The provider sees the score, the band, the chart and the urgent task.
	dana.open(clientPath)
	if got := dana.text("#measure-phq9 .score"); got != "9" {
		t.Errorf("PHQ-9 score = %q, want 9", got)
	}
	if got := dana.text("#measure-phq9 .band"); got != "Mild" {
		t.Errorf("PHQ-9 band = %q, want Mild", got)
	}
	if !eval[bool](dana, `document.querySelector("#measures-chart svg circle, #measures-chart svg path, #measures-chart svg polyline") !== null`) {
		t.Error("no score chart on the client page")
	}
	dana.screenshot("client-page")
	dana.open("/dashboard")
	if urgent := dana.text("#tasks li.urgent"); !strings.Contains(urgent, "PHQ-9 item 9") {
		t.Errorf("urgent task = %q", urgent)
	}

	// A SOAP note: written (autosaved), signed, then locked.
	dana.open(clientPath)
	selectByText(dana, "note-template", "SOAP note")
	dana.click("new-note")
	dana.waitFor("the note editor", `location.pathname.startsWith("/notes/") && document.getElementById("note-form") !== null`)
	notePath := strings.TrimPrefix(dana.where(), dana.srv.url)
	typeInto(dana, "note-subjective", "Reports sleeping better; worry at work persists.")
	typeInto(dana, "note-assessment", "GAD symptoms improving; PHQ-9 item 9 reviewed, no plan or intent.")
	dana.waitFor("autosave", `document.getElementById("autosave-status").textContent.includes("Draft saved")`)
	dana.click("note-confirm")
	dana.click("note-sign")
	dana.waitFor("the signed note", `document.getElementById("note-locked") !== null`)
	if n := eval[int](dana, `document.querySelectorAll("textarea[name^='section.']").length`); n != 0 {
		t.Errorf("signed note still has %d section editors", n)
	}
	if got := dana.text("#note-subjective"); !strings.Contains(got, "sleeping better") {
		t.Errorf("signed note subjective = %q", got)
	}
	dana.screenshot("note-signed")

	// A forced edit of the signed note is refused with the reason.
	forcePost(dana, notePath, map[string]string{"version": "99", "section.subjective": "Changed later"})
	dana.waitFor("the refusal", `document.title.startsWith("Signed and locked") && document.readyState === "complete"`)
	if h := dana.text("main h1"); h != "Signed and locked" {
		t.Errorf("forced edit answered %q", h)
	}
	if msg := dana.text("main p:not(.code)"); !strings.Contains(msg, "addendum") {
		t.Errorf("forced edit message = %q", msg)
	}
	dana.open(notePath)
	if got := dana.text("#note-subjective"); !strings.Contains(got, "sleeping better") || strings.Contains(got, "Changed") {
		t.Errorf("note after forced edit = %q", got)
	}
}

// typeInto types text at the end of an input or textarea, which may be
// empty (fill's clearing needs existing text in a textarea).
func typeInto(u *user, id, text string) {
	u.t.Helper()
	u.do("type into #"+id, chromedp.WaitVisible(chromedp.ID(id)), chromedp.SendKeys(chromedp.ID(id), text))
}

// setValue sets an input's value directly, for inputs such as dates whose
// typing depends on the browser's locale.
func setValue(u *user, id, value string) {
	u.t.Helper()
	if !eval[bool](u, `(function(){var e=document.getElementById(`+strconv.Quote(id)+`);`+
		`if(!e){return false}e.value=`+strconv.Quote(value)+`;return true})()`) {
		u.t.Fatalf("no input #%s", id)
	}
}

// selectByText chooses the option of a select whose text is label.
func selectByText(u *user, id, label string) {
	u.t.Helper()
	u.waitFor("select #"+id, `document.getElementById(`+strconv.Quote(id)+`) !== null`)
	ok := eval[bool](u, `(function(){var s=document.getElementById(`+strconv.Quote(id)+`);`+
		`for(var i=0;i<s.options.length;i++){if(s.options[i].text.trim()===`+strconv.Quote(label)+`){`+
		`s.selectedIndex=i;return true}}return false})()`)
	if !ok {
		u.t.Fatalf("select #%s has no option %q", id, label)
	}
}

// forcePost submits a form the page does not offer: a POST of fields to
// path from the page, as a tampering user could.
func forcePost(u *user, path string, fields map[string]string) {
	u.t.Helper()
	var js strings.Builder
	js.WriteString(`(function(){var f=document.createElement("form");f.method="post";f.action=` +
		strconv.Quote(path) + `;`)
	for k, v := range fields {
		js.WriteString(`var i=document.createElement("input");i.type="hidden";i.name=` + strconv.Quote(k) +
			`;i.value=` + strconv.Quote(v) + `;f.appendChild(i);`)
	}
	js.WriteString(`document.body.appendChild(f);f.submit();return true})()`)
	eval[bool](u, js.String())
}
