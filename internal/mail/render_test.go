package mail

import (
	"errors"
	"strings"
	"testing"
)

const testPortal = "https://portal.example.test"

func TestEveryTemplateRenders(t *testing.T) {
	want := []string{"account_created", "appointment_booked", "appointment_canceled",
		"appointment_reminder", "appointment_rescheduled", "booking_received",
		"forms_assigned", "message_received", "mfa_changed", "new_sign_in", "password_reset", "sign_in_link"}
	if got := strings.Join(Templates(), ","); got != strings.Join(want, ",") {
		t.Fatalf("Templates() = %s, want %s", got, strings.Join(want, ","))
	}
	link := testPortal + "/somewhere/tok"
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			c, err := render(name, map[string]string{"Link": link,
				// What the appointment templates need besides the link.
				"Date": "Tue, Mar 10 at 10:00 AM", "When": "Tuesday, March 10, 2026, 10:00 AM EDT",
				"ZoneNote": "", "With": "Ada Park", "Location": "Telehealth",
				"Previous": "Monday, March 9, 2026, 9:00 AM EDT", "Series": "One of 4 sessions."}, testPortal)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if c.Subject == "" || strings.ContainsAny(c.Subject, "\r\n") {
				t.Errorf("subject %q is empty or spans lines", c.Subject)
			}
			const footer = "This message was sent by Tend. Do not reply with health information."
			for part, body := range map[string]string{"text": c.Text, "html": c.HTML} {
				if !strings.Contains(body, link) || !strings.Contains(body, footer) ||
					!strings.Contains(body, testPortal) {
					t.Errorf("%s part lacks the link, footer or portal URL:\n%s", part, body)
				}
			}
			if !strings.Contains(c.HTML, "<title>"+c.Subject+"</title>") {
				t.Errorf("html title is not the subject")
			}
		})
	}
}

func TestFormsMailCountsSeveral(t *testing.T) {
	one, err := render("forms_assigned", map[string]string{"Link": testPortal + "/portal/forms/x"}, testPortal)
	if err != nil {
		t.Fatal(err)
	}
	five, err := render("forms_assigned", map[string]string{"Link": testPortal + "/portal/forms",
		"Count": "5"}, testPortal)
	if err != nil {
		t.Fatal(err)
	}
	if one.Subject != "You have a form to complete" || !strings.Contains(one.Text, "sent you a form") {
		t.Errorf("one form: %q\n%s", one.Subject, one.Text)
	}
	if five.Subject != "You have forms to complete" || !strings.Contains(five.Text, "sent you 5 forms") ||
		!strings.Contains(five.HTML, "Open your forms") {
		t.Errorf("five forms: %q\n%s", five.Subject, five.Text)
	}
}

func TestRenderEscapesHTML(t *testing.T) {
	tests := []struct {
		name    string
		link    string
		mustNot []string
		must    []string
	}{
		{
			name:    "markup in link",
			link:    testPortal + `/r?x="><script>alert(1)</script>`,
			mustNot: []string{"<script>", `"><`},
			must:    []string{"&lt;script&gt;"},
		},
		{
			name:    "javascript url",
			link:    "javascript:alert(1)",
			mustNot: []string{`href="javascript:`},
			must:    []string{"#ZgotmplZ"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := render("password_reset", map[string]string{"Link": tt.link}, testPortal)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			for _, s := range tt.mustNot {
				if strings.Contains(c.HTML, s) {
					t.Errorf("html contains %q:\n%s", s, c.HTML)
				}
			}
			for _, s := range tt.must {
				if !strings.Contains(c.HTML, s) {
					t.Errorf("html lacks %q:\n%s", s, c.HTML)
				}
			}
		})
	}
}

func TestRenderNeedsEveryKey(t *testing.T) {
	if _, err := render("password_reset", nil, testPortal); err == nil {
		t.Error("render without Link succeeded, want an error")
	}
}

func TestRedactHidesAddresses(t *testing.T) {
	err := errors.New("sending SMTP RCPT TO command: 550 5.1.1 <bob@example.test>: no such user, " +
		"affected recipient(s): bob@example.test")
	got := redact(err).Error()
	if strings.Contains(got, "bob@") || !strings.Contains(got, "550 5.1.1") {
		t.Errorf("redact = %q", got)
	}
}
