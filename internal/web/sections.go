package web

import (
	"net/http"
	"strings"

	"github.com/tend-portal/tend/internal/web/ui"
)

// providerSections are the provider portal's sections that later
// releases fill in; until then each is a real page saying what comes.
var providerSections = map[string]ui.ComingView{
	"/messages": {Title: "Messages", Description: "Secure messaging with your clients — " +
		"threads, attachments and read receipts — arrives with the Messages release."},
	"/appointments": {Title: "Appointments", Description: "Your calendar, booking, " +
		"invoices and the Unsubmitted and Expiring lists arrive with the Appointments release."},
	"/payouts": {Title: "Payouts", Description: "Friday payouts and the status of each " +
		"submitted claim arrive with the Billing release."},
	"/community": {Title: "Community", Description: "A forum for providers — clinical " +
		"consultation, practice management, wellbeing — arrives with the Community release. " +
		"Remember: no client information in the community."},
	"/settings/profile": {Title: "Profile", Description: "Your public directory profile — " +
		"credentials, specialties, states licensed, insurance accepted, offices — arrives " +
		"with the Directory release."},
}

// clientSections are the client portal's sections still to come.
var clientSections = map[string]ui.ComingView{
	"/portal/appointments": {Title: "Appointments", Description: "Booking, rescheduling " +
		"and cancelling your sessions arrive with the Appointments release."},
	"/portal/messages": {Title: "Messages", Description: "Secure messages with your " +
		"provider arrive with the Messages release."},
	"/portal/billing": {Title: "Billing", Description: "Invoices and superbills arrive " +
		"with the Billing release."},
}

// comingSoon renders the section page registered for the request path.
func (s *server) comingSoon(sections map[string]ui.ComingView) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		view := sections[r.URL.Path]
		active := r.URL.Path
		if strings.HasPrefix(active, "/settings/") {
			active = ""
		}
		s.render(w, r, http.StatusOK, ui.Coming(s.shellFor(r, view.Title, active), view))
		return nil
	}
}

// portalHome is the client's start page.
func (s *server) portalHome(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	view := ui.PortalHomeView{Greeting: "Welcome"}
	if v.user.DisplayName != "" {
		view.Greeting = "Welcome, " + v.user.DisplayName
	}
	if !v.user.MFAEnabled {
		view.Tasks = append(view.Tasks, ui.Task{Label: "Protect your account with two-factor " +
			"authentication (optional)", Href: "/settings/mfa", ID: "task-mfa"})
	}
	s.render(w, r, http.StatusOK, ui.PortalHome(s.shellFor(r, "Home", "/portal"), view))
	return nil
}

// adminHome is the administrator's start page.
func (s *server) adminHome(w http.ResponseWriter, r *http.Request) error {
	v := visitorFrom(r.Context())
	var tasks []ui.Task
	if !v.user.MFAEnabled {
		tasks = append(tasks, ui.Task{Label: "Turn on two-factor authentication",
			Href: "/settings/mfa", ID: "task-mfa"})
	}
	s.render(w, r, http.StatusOK, ui.AdminHome(s.shellFor(r, "Administration", "/admin"), tasks))
	return nil
}
