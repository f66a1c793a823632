package api

// schedulingRoutes registers availability, slots, appointments, public
// booking and calendar sync (issue 4).
func (s *server) schedulingRoutes() {
	s.handle("GET /availability", s.authed(s.getAvailability))
	s.handle("PATCH /availability", s.authed(s.updateAvailability))
	s.handle("GET /slots", s.authed(s.listSlots))

	s.handle("GET /appointments", s.authed(s.listAppointments))
	s.handle("POST /appointments", s.authed(s.createAppointment))
	s.handle("POST /appointments/preview", s.authed(s.previewAppointments))
	s.handle("GET /appointments/{id}", s.authed(s.getAppointment))
	s.handle("PATCH /appointments/{id}", s.authed(s.rescheduleAppointment))
	s.handle("POST /appointments/{id}/cancel", s.authed(s.cancelAppointment))
	s.handle("POST /appointments/{id}/no-show", s.authed(s.markNoShow))

	s.handle("GET /public/providers/{slug}/slots", s.public(s.listPublicSlots))
	s.handle("POST /public/providers/{slug}/bookings", s.public(s.createPublicBooking))

	s.handle("GET /calendar-feeds", s.authed(s.listCalendarFeeds))
	s.handle("POST /calendar-feeds", s.authed(s.addCalendarFeed))
	s.handle("DELETE /calendar-feeds/{id}", s.authed(s.removeCalendarFeed))
	s.handle("GET /calendar-export", s.authed(s.getCalendarExport))
	s.handle("POST /calendar-export", s.authed(s.rotateCalendarExport))
}
