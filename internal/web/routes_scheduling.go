package web

// schedulingRoutes mounts the Appointments pages, availability and
// calendar-sync settings, public booking and the client's appointments.
// It reports false when scheduling is not wired, so the placeholder
// pages stay.
func (s *server) schedulingRoutes() bool {
	if s.Scheduling == nil {
		return false
	}
	m := s.mux
	m.Handle("GET /appointments", s.h(s.provider(s.appointmentsPage)))
	m.Handle("GET /appointments/new", s.h(s.provider(s.newAppointmentForm)))
	m.Handle("POST /appointments", s.h(s.provider(s.createAppointment)))
	m.Handle("GET /appointments/{id}", s.h(s.provider(s.appointmentPage)))
	m.Handle("POST /appointments/{id}/reschedule", s.h(s.provider(s.rescheduleAppointment)))
	m.Handle("POST /appointments/{id}/cancel", s.h(s.provider(s.cancelAppointment)))
	m.Handle("POST /appointments/{id}/no-show", s.h(s.provider(s.markNoShow)))
	m.Handle("POST /appointments/{id}/notes", s.h(s.provider(s.appointmentNote)))
	m.Handle("POST /clients/{id}/appointments", s.h(s.provider(s.scheduleFollowUp)))
	m.Handle("GET /settings/availability", s.h(s.provider(s.settingsAvailability)))
	m.Handle("POST /settings/availability", s.h(s.provider(s.saveAvailability)))
	if s.Calsync != nil {
		m.Handle("GET /settings/calendar", s.h(s.provider(s.settingsCalendar)))
		m.Handle("POST /settings/calendar/rotate", s.h(s.provider(s.rotateExport)))
		m.Handle("POST /settings/calendar/feeds", s.h(s.provider(s.addFeed)))
		m.Handle("POST /settings/calendar/feeds/{id}/remove", s.h(s.provider(s.removeFeed)))
		m.Handle("GET /calendar/{file}", s.h(s.calendarFeed))
	}
	if s.Booking != nil {
		m.Handle("GET /book/{slug}", s.h(s.bookPage))
		m.Handle("POST /book/{slug}", s.h(s.bookSubmit))
		// Client links are made by booking.ClientLink as /book/client/…;
		// /book/link/… is the same page under the name the issue uses.
		for _, prefix := range []string{"/book/client/", "/book/link/"} {
			m.Handle("GET "+prefix+"{token}", s.h(s.bookLinkPage))
			m.Handle("POST "+prefix+"{token}", s.h(s.bookLinkSubmit))
		}
		m.Handle("GET /portal/appointments", s.h(s.client(s.portalAppointments)))
		m.Handle("POST /portal/appointments", s.h(s.client(s.portalBook)))
		m.Handle("GET /portal/appointments/{id}/reschedule", s.h(s.client(s.portalRescheduleForm)))
		m.Handle("POST /portal/appointments/{id}/reschedule", s.h(s.client(s.portalReschedule)))
		m.Handle("POST /portal/appointments/{id}/cancel", s.h(s.client(s.portalCancel)))
	}
	return true
}
