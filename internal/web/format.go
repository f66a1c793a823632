package web

import (
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/clients"
)

// dateLayout shows a day.
const dateLayout = "2 Jan 2006"

// formatDate shows the day of t in loc, or "—" for a missing time.
func formatDate(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.In(loc).Format(dateLayout)
}

// formatBirthDate shows a YYYY-MM-DD date of birth as "23 Apr 1990".
func formatBirthDate(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return d.Format(dateLayout)
}

// formatPhone shows an E.164 number for reading: North American numbers
// as (212) 555-0147, others as stored.
func formatPhone(e164 string) string {
	if len(e164) == 12 && strings.HasPrefix(e164, "+1") {
		n := e164[2:]
		return "(" + n[:3] + ") " + n[3:6] + "-" + n[6:]
	}
	return e164
}

// statusLabels name the client statuses.
var statusLabels = map[clients.Status]string{
	clients.StatusActive:        "Active",
	clients.StatusNeedsFollowUp: "Needs follow-up",
	clients.StatusScheduled:     "Scheduled",
	clients.StatusArchived:      "Archived",
}

// statusLabel names a client status.
func statusLabel(st clients.Status) string {
	if l, ok := statusLabels[st]; ok {
		return l
	}
	return string(st)
}

// clientListName is how the list and headings name a client: "Last, First".
func clientListName(c clients.Client) string {
	return c.LastName + ", " + c.FirstName
}

// fullName is the client's legal name, first name first.
func fullName(c clients.Client) string {
	return c.FirstName + " " + c.LastName
}

// localPath keeps a link inside the portal: it must be an absolute path
// on this site, never another host.
func localPath(p, fallback string) string {
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.Contains(p, `\`) {
		return p
	}
	return fallback
}
