package web

import (
	"net/http"

	"github.com/tend-portal/tend/internal/web/static"
)

// routes is the site's one route table.
func (s *server) routes() {
	m := s.mux
	notFound := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound)
	})

	// Infrastructure: assets, probes, metrics and the JSON API.
	m.Handle("GET /static/", static.Handler(notFound))
	m.HandleFunc("GET /healthz", s.healthz)
	m.Handle("GET /readyz", s.h(s.readyz))
	m.Handle("GET /metrics", s.metricsHandler())
	m.Handle("/api/v1/", s.API)

	// First run, signing in and out.
	m.Handle("GET /{$}", s.h(s.root))
	m.Handle("GET /setup", s.h(s.setupForm))
	m.Handle("POST /setup", s.h(s.setupSubmit))
	m.Handle("GET /login", s.h(s.guest(s.loginForm)))
	m.Handle("POST /login", s.h(s.guest(s.loginSubmit)))
	m.Handle("POST /login/link", s.h(s.guest(s.linkRequest)))
	m.Handle("GET /login/link/{token}", s.h(s.linkForm))
	m.Handle("POST /login/link/{token}", s.h(s.linkRedeem))
	m.Handle("GET /login/mfa", s.h(s.mfaForm))
	m.Handle("POST /login/mfa", s.h(s.mfaSubmit))
	m.Handle("GET /forgot", s.h(s.guest(s.forgotForm)))
	m.Handle("POST /forgot", s.h(s.guest(s.forgotSubmit)))
	m.Handle("GET /reset/{token}", s.h(s.resetForm))
	m.Handle("POST /reset/{token}", s.h(s.resetSubmit))
	m.Handle("POST /logout", s.h(s.logout))
	m.Handle("POST /logout/all", s.h(s.signedIn(s.logoutAll)))
	m.Handle("POST /session/keepalive", s.h(s.keepalive))

	// The provider portal.
	m.Handle("GET /dashboard", s.h(s.provider(s.dashboard)))
	m.Handle("POST /tasks/{id}/dismiss", s.h(s.provider(s.dismissTask)))
	m.Handle("POST /hints/{hint}/dismiss", s.h(s.provider(s.dismissHint)))

	// Clients: the list, records, forms, measures and notes.
	m.Handle("GET /clients", s.h(s.provider(s.clientList)))
	m.Handle("GET /clients/new", s.h(s.provider(s.newClientForm)))
	m.Handle("POST /clients", s.h(s.provider(s.createClient)))
	m.Handle("GET /clients/{id}", s.h(s.provider(s.clientPage)))
	m.Handle("GET /clients/{id}/edit", s.h(s.provider(s.editClientForm)))
	m.Handle("POST /clients/{id}", s.h(s.provider(s.updateClient)))
	m.Handle("POST /clients/{id}/archive", s.h(s.provider(s.archiveClient)))
	m.Handle("POST /clients/{id}/unarchive", s.h(s.provider(s.unarchiveClient)))
	m.Handle("POST /clients/{id}/forms", s.h(s.provider(s.assignForm)))
	m.Handle("GET /clients/{id}/forms/{formID}", s.h(s.provider(s.formAnswers)))
	m.Handle("POST /clients/{id}/notes", s.h(s.provider(s.newNote)))
	m.Handle("GET /clients/{id}/record.json", s.h(s.provider(s.exportRecord("json"))))
	m.Handle("GET /clients/{id}/record.pdf", s.h(s.provider(s.exportRecord("pdf"))))
	m.Handle("GET /notes", s.h(s.provider(s.unsignedNotes)))
	m.Handle("GET /forms/waiting", s.h(s.provider(s.waitingForms)))
	m.Handle("GET /notes/{id}", s.h(s.provider(s.notePage)))
	m.Handle("POST /notes/{id}", s.h(s.provider(s.saveNote)))
	m.Handle("POST /notes/{id}/sign", s.h(s.provider(s.signNote)))
	m.Handle("POST /notes/{id}/addenda", s.h(s.provider(s.addAddendum)))
	m.Handle("POST /notes/{id}/delete", s.h(s.provider(s.deleteNote)))
	m.Handle("GET /settings/forms", s.h(s.provider(s.settingsForms)))
	m.Handle("POST /settings/forms/intake", s.h(s.provider(s.saveIntakePacket)))
	m.Handle("GET /settings/forms/new", s.h(s.provider(s.newFormPage)))
	m.Handle("POST /settings/forms/new", s.h(s.provider(s.saveFormBuilder)))
	m.Handle("GET /settings/forms/{id}/edit", s.h(s.provider(s.editFormPage)))
	m.Handle("POST /settings/forms/{id}/edit", s.h(s.provider(s.saveEditedForm)))
	m.Handle("GET /settings/forms/{id}/print.pdf", s.h(s.provider(s.printForm)))
	m.Handle("POST /settings/forms/{id}/archive", s.h(s.provider(s.archiveForm(true))))
	m.Handle("POST /settings/forms/{id}/unarchive", s.h(s.provider(s.archiveForm(false))))
	m.Handle("GET /settings/letterhead.pdf", s.h(s.provider(s.printLetterhead)))
	scheduled := s.schedulingRoutes()
	messages := s.messagingRoutes()
	for path := range providerSections {
		if scheduled && path == "/appointments" || messages && path == "/messages" {
			continue
		}
		m.Handle("GET "+path, s.h(s.provider(s.comingSoon(providerSections))))
	}

	// The client portal.
	m.Handle("GET /portal", s.h(s.client(s.portalHome)))
	m.Handle("GET /portal/forms", s.h(s.client(s.portalForms)))
	m.Handle("GET /portal/forms/{id}", s.h(s.client(s.portalFill)))
	m.Handle("POST /portal/forms/{id}", s.h(s.client(s.portalSave)))
	m.Handle("POST /portal/forms/{id}/sign", s.h(s.client(s.portalSign)))
	for path := range clientSections {
		if scheduled && s.Booking != nil && path == "/portal/appointments" ||
			messages && path == "/portal/messages" {
			continue
		}
		m.Handle("GET "+path, s.h(s.client(s.comingSoon(clientSections))))
	}

	// Administration.
	m.Handle("GET /admin", s.h(s.admin(s.adminHome)))
	m.Handle("GET /admin/audit", s.h(s.admin(s.adminAudit)))

	// Account settings, for every role.
	m.Handle("GET /settings", s.h(s.signedIn(s.settingsPassword)))
	m.Handle("POST /settings/password", s.h(s.signedIn(s.changePassword)))
	m.Handle("GET /settings/mfa", s.h(s.signedIn(s.settingsMFA)))
	m.Handle("POST /settings/mfa/setup", s.h(s.signedIn(s.beginMFA)))
	m.Handle("POST /settings/mfa/confirm", s.h(s.signedIn(s.confirmMFA)))
	m.Handle("POST /settings/mfa/disable", s.h(s.signedIn(s.disableMFA)))
	m.Handle("GET /settings/sessions", s.h(s.signedIn(s.settingsSessions)))
	m.Handle("POST /settings/sessions/{id}/revoke", s.h(s.signedIn(s.revokeSession)))
	m.Handle("GET /settings/tokens", s.h(s.signedIn(s.settingsTokens)))
	m.Handle("POST /settings/tokens", s.h(s.signedIn(s.createToken)))
	m.Handle("POST /settings/tokens/{id}/revoke", s.h(s.signedIn(s.revokeToken)))
	m.Handle("GET /settings/activity", s.h(s.signedIn(s.settingsActivity)))
}
