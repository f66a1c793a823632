package e2e

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/demo"
)

// The colours of the calendar's blocks, as the browser computes them
// from calendar.css.
const (
	intakeYellow   = "rgb(255, 243, 176)"
	followUpGreen  = "rgb(212, 239, 217)"
	visitorEmail   = "wren.okafor@example.org"
	seriesFirstDay = "2026-03-12" // a Thursday
)

// blockOf returns the kind, label and computed background colour of the
// calendar block with the id, and whether it is on the page.
func blockOf(u *user, id string) (kind, label, colour string, ok bool) {
	u.t.Helper()
	got := eval[[]string](u, `(function(){var e=document.getElementById(`+strconv.Quote(id)+`);`+
		`if(!e){return []}var l=e.querySelector(".ev-label");`+
		`return [e.getAttribute("data-kind"), l ? l.textContent : "", getComputedStyle(e).backgroundColor,`+
		` e.className]})()`)
	if len(got) < 3 {
		return "", "", "", false
	}
	return got[0], got[1], got[2], true
}

// rowOf returns the rs-N class of the calendar block with the id.
func rowOf(u *user, id string) string {
	u.t.Helper()
	class := eval[string](u, `(function(){var e=document.getElementById(`+strconv.Quote(id)+`);`+
		`return e ? e.className : ""})()`)
	for _, c := range strings.Fields(class) {
		if strings.HasPrefix(c, "rs-") {
			return c
		}
	}
	return ""
}

// TestBookAndReschedule books an intake as a new client through the
// public link, finds it in yellow on the provider's week, then books a
// weekly series and moves one session only.
func TestBookAndReschedule(t *testing.T) {
	b := start(t)
	dana := b.newUser(t)
	dana.signIn(providerEmail, demo.Password)
	dana.waitPath("/dashboard")
	link := eval[string](dana, `document.getElementById("booking-url").value`)
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Path, "/book/") {
		t.Fatalf("booking link = %q (%v)", link, err)
	}

	// A new client books the first open time, shown in New York time.
	visitor := b.newUser(t)
	visitor.open(u.Path + "?tz=America/New_York")
	visitor.waitFor("open times", `document.querySelector("#slots input[name=start]") !== null`)
	start := eval[string](visitor, `document.querySelector("#slots input[name=start]").value`)
	visitor.clickCSS("#slots input[name=start]")
	visitor.fill(map[string]string{"bk-first-name": "Wren", "bk-last-name": "Okafor",
		"bk-email": visitorEmail, "bk-phone": "(802) 555-0177"})
	setValue(visitor, "bk-dob", "1988-11-02")
	selectByText(visitor, "bk-state", "VT")
	visitor.click("bk-cash")
	visitor.click("bk-consent-terms")
	visitor.click("bk-consent-privacy")
	visitor.screenshot("booking-form")
	visitor.click("booking-submit")
	visitor.waitFor("the confirmation", `document.getElementById("booking-confirmed") !== null`)
	visitor.screenshot("booking-confirmed")

	// The provider sees it as a yellow Intake block on that week.
	at, err := time.Parse(time.RFC3339, start)
	if err != nil {
		t.Fatalf("slot value %q: %v", start, err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	dana.open("/appointments?view=week&date=" + at.In(ny).Format("2006-01-02"))
	dana.waitFor("the week", `document.getElementById("calendar") !== null`)
	id := eval[string](dana, `(function(){var all=document.querySelectorAll('#calendar [data-kind="intake"]');`+
		`for(var i=0;i<all.length;i++){if(all[i].textContent.indexOf("Wren Okafor")>=0){return all[i].id}}return ""})()`)
	if id == "" {
		t.Fatal("the booked intake is not on the provider's week")
	}
	kind, label, colour, _ := blockOf(dana, id)
	if kind != "intake" || label != "Intake" || colour != intakeYellow {
		t.Errorf("booked block: kind %q, label %q, colour %s; want intake, Intake, %s", kind, label, colour, intakeYellow)
	}
	dana.screenshot("week-with-intake")

	// A weekly series of three Thursday evening sessions, previewed first.
	dana.open("/appointments/new")
	selectByText(dana, "af-client", "Okafor, Wren")
	setValue(dana, "af-date", seriesFirstDay)
	setValue(dana, "af-time", "19:00")
	selectByText(dana, "af-frequency", "Weekly")
	dana.fill(map[string]string{"af-count": "3"})
	dana.click("af-preview")
	dana.waitFor("the preview", `document.getElementById("preview") !== null`)
	if n := eval[int](dana, `document.querySelectorAll("#occurrences li").length`); n != 3 {
		t.Fatalf("preview lists %d sessions, want 3", n)
	}
	dana.screenshot("series-preview")
	dana.click("af-book")
	dana.waitFor("the first session", `/^\/appointments\/[0-9a-f-]+$/.test(location.pathname)`)
	firstID := strings.TrimPrefix(strings.SplitN(strings.TrimPrefix(dana.where(), dana.srv.url), "?", 2)[0], "/appointments/")

	// Find the sessions on the calendar: 19:00 is row 49.
	ids := map[string]string{}
	for _, day := range []string{"2026-03-12", "2026-03-19", "2026-03-26"} {
		dana.open("/appointments?view=week&date=" + day)
		dana.waitFor("the week", `document.getElementById("day-`+day+`") !== null`)
		sid := eval[string](dana, `(function(){var all=document.querySelectorAll('#day-`+day+` [data-kind="follow_up"]');`+
			`for(var i=0;i<all.length;i++){if(all[i].textContent.indexOf("Wren Okafor")>=0){return all[i].id}}return ""})()`)
		if sid == "" {
			t.Fatalf("no session on %s", day)
		}
		if row := rowOf(dana, sid); row != "rs-49" {
			t.Errorf("session on %s at %s, want rs-49 (19:00)", day, row)
		}
		_, label, colour, _ := blockOf(dana, sid)
		if label != "Follow-up" || colour != followUpGreen {
			t.Errorf("session on %s: label %q colour %s", day, label, colour)
		}
		ids[day] = sid
	}
	if ids["2026-03-12"] != "ev-"+firstID {
		t.Errorf("first session id %s, booked %s", ids["2026-03-12"], firstID)
	}

	// Move the second session only, from its block on the calendar.
	dana.open("/appointments?view=week&date=2026-03-19")
	dana.click(ids["2026-03-19"])
	dana.waitFor("the session", `document.getElementById("reschedule-form") !== null`)
	setValue(dana, "rs-date", "2026-03-20")
	setValue(dana, "rs-time", "18:00")
	dana.click("rs-scope-0") // this session only
	dana.click("reschedule-submit")
	dana.waitFor("the moved session", `location.search.indexOf("done=rescheduled") >= 0`)
	if got := dana.text("#appointment-when"); !strings.Contains(got, "Fri 20 Mar 2026, 18:00") {
		t.Errorf("moved session shows %q", got)
	}

	// The others are where they were; the moved one is on Friday 18:00.
	for day, want := range map[string]string{"2026-03-12": "rs-49", "2026-03-26": "rs-49"} {
		dana.open("/appointments?view=week&date=" + day)
		dana.waitFor("the week", `document.getElementById("day-`+day+`") !== null`)
		if row := rowOf(dana, ids[day]); row != want {
			t.Errorf("after the move, session on %s at %q, want %s", day, row, want)
		}
	}
	dana.open("/appointments?view=week&date=2026-03-19")
	dana.waitFor("the week", `document.getElementById("day-2026-03-20") !== null`)
	inFriday := eval[bool](dana, `document.querySelector("#day-2026-03-20 #`+ids["2026-03-19"]+`") !== null`)
	if !inFriday || rowOf(dana, ids["2026-03-19"]) != "rs-45" {
		t.Errorf("moved session not on Friday at 18:00 (row %q)", rowOf(dana, ids["2026-03-19"]))
	}
	if eval[bool](dana, `document.querySelector("#day-2026-03-19 #`+ids["2026-03-19"]+`") !== null`) {
		t.Error("the moved session is still on Thursday")
	}
	dana.screenshot("week-after-move")
}
