package web

import (
	"strings"

	"github.com/tend-portal/tend/internal/clients"
	"github.com/tend-portal/tend/internal/web/ui"
)

// contactItems is the contact card.
func contactItems(c clients.Client) []ui.DetailItem {
	items := []ui.DetailItem{
		{ID: "client-email", Label: "Email", Value: orDash(c.Email)},
		{ID: "client-phone", Label: "Phone", Value: orDash(formatPhone(c.Phone))},
		{ID: "client-dob", Label: "Date of birth", Value: orDash(formatBirthDate(c.DateOfBirth))},
		{ID: "client-type", Label: "Client type", Value: optionLabel(ui.ClientTypes, c.Type)},
	}
	if addr := formatAddress(c.Address); addr != "" {
		items = append(items, ui.DetailItem{ID: "client-address", Label: "Address", Value: addr})
	}
	return items
}

// personItems is an emergency contact or guardian, or nothing when
// none is recorded.
func personItems(p clients.Contact, prefix string) []ui.DetailItem {
	if p == (clients.Contact{}) {
		return nil
	}
	name := p.Name
	if p.Relationship != "" {
		name += " (" + p.Relationship + ")"
	}
	items := []ui.DetailItem{{ID: prefix + "-name", Label: "Name", Value: name}}
	if p.Phone != "" {
		items = append(items, ui.DetailItem{ID: prefix + "-phone", Label: "Phone", Value: formatPhone(p.Phone)})
	}
	if p.Email != "" {
		items = append(items, ui.DetailItem{ID: prefix + "-email", Label: "Email", Value: p.Email})
	}
	return items
}

// insuranceItems is the insurance card, or cash pay.
func insuranceItems(c clients.Client) []ui.DetailItem {
	if c.CashPay {
		return []ui.DetailItem{{ID: "client-payment", Label: "Payment", Value: "Cash pay"}}
	}
	in := c.Insurance
	if in.PayerID == "" && in.MemberID == "" {
		return []ui.DetailItem{{ID: "client-payment", Label: "Payment", Value: "No insurance recorded"}}
	}
	sub := in.SubscriberName
	if in.SubscriberRelationship != "" {
		sub += " (" + optionLabel(ui.SubscriberRelationships, in.SubscriberRelationship) + ")"
	}
	return []ui.DetailItem{
		{ID: "client-payer", Label: "Payer", Value: orDash(in.PayerName)},
		{ID: "client-member-id", Label: "Member id", Value: orDash(in.MemberID)},
		{ID: "client-group", Label: "Group number", Value: orDash(in.GroupNumber)},
		{ID: "client-subscriber", Label: "Subscriber", Value: orDash(strings.TrimSpace(sub))},
	}
}

// formatAddress joins an address on one line.
func formatAddress(a clients.Address) string {
	var parts []string
	for _, p := range []string{a.Line1, a.Line2, a.City, strings.TrimSpace(a.State + " " + a.PostalCode)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// optionLabel returns the label of value among opts.
func optionLabel(opts []ui.Option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return orDash(value)
}

// orDash shows "—" for an empty value.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
