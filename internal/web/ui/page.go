// Package ui holds the portal's page components, written in templ and
// compiled to Go. Components take plain view structs; they never reach
// into the database or the request, so every page renders the same way
// in a test as in the browser.
package ui

import "github.com/a-h/templ"

// Page is what every document needs to know about the request.
type Page struct {
	Title     string // the page's own title; " · Tend" is appended
	Demo      bool   // show the demo banner
	RequestID string
	// IdleSeconds, when above zero, turns on the idle sign-out warning:
	// the session ends after this many seconds without a request.
	IdleSeconds int
}

// Viewer is the signed-in person as the shell shows them.
type Viewer struct {
	Name string // display name, or email when no name is set
	Role string // "provider", "client" or "admin"
}

// Shell is a page inside the signed-in portal.
type Shell struct {
	Page
	Viewer Viewer
	Active string // path of the current navigation item, e.g. "/dashboard"
	// Unread is the viewer's count of unread messages, shown on the
	// Messages navigation item.
	Unread int
}

// unreadFor is the unread count shown on a navigation item: the
// Messages item carries it, no other.
func (s Shell) unreadFor(item NavItem) int {
	if item.Href == "/messages" || item.Href == "/portal/messages" {
		return s.Unread
	}
	return 0
}

// navAttrs marks the current navigation link for assistive technology.
func navAttrs(active bool) templ.Attributes {
	if active {
		return templ.Attributes{"aria-current": "page"}
	}
	return templ.Attributes{}
}

// NavItem is one link in the left navigation.
type NavItem struct {
	Label string
	Href  string
}

// Nav returns the left navigation for a role.
func Nav(role string) []NavItem {
	switch role {
	case "provider":
		return []NavItem{
			{"Dashboard", "/dashboard"},
			{"Messages", "/messages"},
			{"Clients", "/clients"},
			{"Appointments", "/appointments"},
			{"Payouts", "/payouts"},
			{"Community", "/community"},
		}
	case "client":
		return []NavItem{
			{"Home", "/portal"},
			{"Appointments", "/portal/appointments"},
			{"Messages", "/portal/messages"},
			{"Forms", "/portal/forms"},
			{"Billing", "/portal/billing"},
		}
	case "admin":
		return []NavItem{
			{"Overview", "/admin"},
			{"Audit log", "/admin/audit"},
		}
	}
	return nil
}

// current reports whether a navigation link points at the active page.
func current(active, href string) bool {
	return active == href
}

// roleLabel names a role for people.
func roleLabel(role string) string {
	switch role {
	case "provider":
		return "Provider"
	case "client":
		return "Client"
	case "admin":
		return "Administrator"
	}
	return ""
}

// Form carries a submitted form's values and its errors back to the
// page, keyed by input name. Passwords are never put back.
type Form struct {
	Values map[string]string
	Errors map[string]string
	// Message is a form-wide notice such as "Email or password is
	// incorrect" or a throttling message.
	Message string
}

// Value returns the submitted value of the named input.
func (f Form) Value(name string) string { return f.Values[name] }

// Error returns the error message for the named input.
func (f Form) Error(name string) string { return f.Errors[name] }

// SetError records an error for the named input.
func (f *Form) SetError(name, msg string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	f.Errors[name] = msg
}

// HasErrors reports whether any field or form-wide error is set.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 || f.Message != "" }
