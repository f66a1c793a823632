package records

import (
	"fmt"
	"strings"
)

var typeLabels = map[string]string{
	"adult": "Adult", "minor": "Minor", "couple_family": "Couple or family",
}

var statusLabels = map[string]string{
	"active": "Active", "needs_follow_up": "Needs follow-up",
	"scheduled": "Scheduled", "archived": "Archived",
}

var bandLabels = map[string]string{
	"minimal": "Minimal", "mild": "Mild", "moderate": "Moderate",
	"moderately_severe": "Moderately severe", "severe": "Severe",
}

var instrumentLabels = map[string]string{"phq9": "PHQ-9", "gad7": "GAD-7"}

func (p *page) clientSection(c Client) {
	p.heading("Client")
	p.row("Name", strings.TrimSpace(c.FirstName+" "+c.LastName))
	p.row("Preferred name", c.PreferredName)
	p.row("Pronouns", c.Pronouns)
	p.row("Date of birth", c.DateOfBirth)
	p.row("Client type", typeLabels[c.Type])
	p.row("Status", statusLabels[c.Status])
	if c.ArchivedAt != nil {
		p.row("Archived", p.date(*c.ArchivedAt)+" ("+strings.ReplaceAll(c.ArchiveReason, "_", " ")+")")
	}
	p.row("Email", c.Email)
	p.row("Phone", c.Phone)
	p.row("Address", joinNonEmpty(", ", c.Address.Line1, c.Address.Line2,
		c.Address.City, joinNonEmpty(" ", c.Address.State, c.Address.PostalCode)))
	p.row("Emergency contact", contactLine(c.EmergencyContact))
	p.row("Guardian", contactLine(c.Guardian))
	if c.CashPay {
		p.row("Payment", "Cash pay")
	} else {
		in := c.Insurance
		p.row("Insurance", joinNonEmpty(", ", in.PayerName, prefixed("member ", in.MemberID),
			prefixed("group ", in.GroupNumber)))
		p.row("Subscriber", joinNonEmpty(", ", in.SubscriberName, in.SubscriberRelationship))
	}
	for i, d := range c.Diagnoses {
		label := ""
		if i == 0 {
			label = "Diagnoses"
		}
		p.pdf.SetFont("Helvetica", "B", 10)
		p.pdf.CellFormat(45, lineH, p.text(label), "", 0, "L", false, 0, "")
		p.pdf.SetFont("Helvetica", "", 10)
		p.pdf.MultiCell(bodyWidth-45, lineH, p.text(d.Code+"  "+d.Description), "", "L", false)
	}
	p.row("Billing notes", c.BillingNotes)
}

func (p *page) formsSection(forms []Form) {
	p.heading("Forms")
	if len(forms) == 0 {
		p.none("No forms have been sent.")
		return
	}
	for _, f := range forms {
		detail := "Sent " + p.date(f.AssignedAt) + ". "
		switch {
		case f.SignedAt != nil:
			detail += fmt.Sprintf("Signed as %q on %s", f.SignedName, p.when(*f.SignedAt))
			if f.SignerIP != "" {
				detail += " from " + f.SignerIP
			}
			detail += ". Answers SHA-256 " + f.AnswersHash + "."
		case f.Status == "draft":
			detail += "Started, not signed."
		default:
			detail += "Not started."
		}
		p.subheading(f.Title, detail)
		if f.Score != nil {
			p.row("Score", measureLine(*f.Score))
		}
		for _, a := range f.Answers {
			p.field(a.Question, a.Answer)
		}
	}
}

func (p *page) measuresSection(ms []Measure) {
	p.heading("Measures")
	if len(ms) == 0 {
		p.none("No measures have been completed.")
		return
	}
	widths := []float64{50, 30, 25, bodyWidth - 105}
	p.pdf.SetFont("Helvetica", "B", 10)
	for i, h := range []string{"Date", "Measure", "Total", "Severity"} {
		p.pdf.CellFormat(widths[i], 6, h, "B", 0, "L", false, 0, "")
	}
	p.pdf.Ln(-1)
	p.pdf.SetFont("Helvetica", "", 10)
	for _, m := range ms {
		band := bandLabels[m.Band]
		if m.Item9Positive {
			band += " - item 9 above zero"
		}
		cells := []string{p.date(m.At), instrumentLabels[m.Instrument],
			fmt.Sprint(m.Total), band}
		for i, c := range cells {
			p.pdf.CellFormat(widths[i], 6, p.text(c), "", 0, "L", false, 0, "")
		}
		p.pdf.Ln(-1)
	}
}

func (p *page) notesSection(notes []Note) {
	p.heading("Session notes")
	if len(notes) == 0 {
		p.none("No session notes.")
		return
	}
	for _, n := range notes {
		detail := "Written " + p.when(n.CreatedAt) + ". "
		if n.SignedAt != nil {
			detail += "Signed " + p.when(*n.SignedAt) + ". Content SHA-256 " + n.ContentHash + "."
		} else {
			detail += "DRAFT - not signed; last saved " + p.when(n.UpdatedAt) + "."
		}
		p.subheading(n.TemplateTitle, detail)
		written := false
		for _, s := range n.Sections {
			if strings.TrimSpace(s.Text) != "" {
				p.field(s.Label, s.Text)
				written = true
			}
		}
		if !written {
			p.none("(empty)")
		}
		for _, a := range n.Addenda {
			p.field("Addendum, "+p.when(a.CreatedAt), a.Text)
		}
	}
}

func measureLine(m Measure) string {
	s := fmt.Sprintf("%s %d, %s", instrumentLabels[m.Instrument], m.Total,
		strings.ToLower(bandLabels[m.Band]))
	if m.Item9Positive {
		s += "; item 9 above zero"
	}
	return s
}

func contactLine(c Contact) string {
	return joinNonEmpty(", ", c.Name, c.Relationship, c.Phone, c.Email)
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, s := range parts {
		if strings.TrimSpace(s) != "" {
			keep = append(keep, s)
		}
	}
	return strings.Join(keep, sep)
}
