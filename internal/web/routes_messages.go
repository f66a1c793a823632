package web

import "github.com/tend-portal/tend/internal/access"

// messagingRoutes mounts the Messages pages of both portals, attachment
// downloads and the notification settings. It reports false when
// messaging is not wired, so the placeholder pages stay.
func (s *server) messagingRoutes() bool {
	if s.Messaging == nil {
		return false
	}
	m := s.mux
	m.Handle("GET /messages", s.h(s.provider(s.messagesPage)))
	m.Handle("GET /messages/new", s.h(s.provider(s.composePage)))
	m.Handle("GET /messages/{client_id}", s.h(s.provider(s.threadPage)))
	m.Handle("POST /messages/{client_id}", s.h(s.provider(s.sendMessage)))
	m.Handle("POST /messages/{client_id}/{message_id}/retract", s.h(s.provider(s.retractMessage)))
	m.Handle("GET /portal/messages", s.h(s.client(s.portalMessages)))
	m.Handle("POST /portal/messages", s.h(s.client(s.portalSend)))
	m.Handle("POST /portal/messages/{message_id}/retract", s.h(s.client(s.portalRetract)))
	m.Handle("GET /attachments/{id}", s.h(s.signedIn(s.downloadAttachment, access.RoleProvider, access.RoleClient)))
	m.Handle("GET /settings/notifications", s.h(s.signedIn(s.settingsNotifications,
		access.RoleProvider, access.RoleClient)))
	m.Handle("POST /settings/notifications", s.h(s.signedIn(s.saveNotifications,
		access.RoleProvider, access.RoleClient)))
	return true
}
