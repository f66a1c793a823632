package x12

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// claimVersion is the implementation guide Tend's 837P files follow.
const claimVersion = "005010X222A1"

// WriteClaims writes a batch of professional claims as one 837P
// interchange. It checks the whole batch first and returns every problem
// it finds, joined, writing nothing; names and addresses are written in
// capitals with accents folded, as payers' systems expect.
func WriteClaims(b Batch, env Envelope) ([]byte, error) {
	if err := checkBatch(b, env); err != nil {
		return nil, err
	}
	d := DefaultDelimiters
	ix := &Interchange{
		Delimiters: d,
		LineBreaks: env.LineBreaks,
		Header:     isaHeader(env, b.Created, d),
	}
	tx := Transaction{Header: seg("ST", "837", "0001", claimVersion)}
	tx.Body = claimBody(b)
	ix.Groups = []Group{{
		Header: seg("GS", "HC", env.SenderID, env.ReceiverID,
			b.Created.Format(dateFormat), b.Created.Format("1504"),
			strconv.FormatInt(env.Control, 10), "X", claimVersion),
		Transactions: []Transaction{tx},
	}}
	return Marshal(ix)
}

// isaHeader builds the fixed-width ISA segment.
func isaHeader(env Envelope, created time.Time, d Delimiters) Segment {
	usage := "T"
	if env.Production {
		usage = "P"
	}
	blank := strings.Repeat(" ", 10)
	pad := func(s string) string { return fmt.Sprintf("%-15s", s) }
	return Segment{"ISA", "00", blank, "00", blank,
		"ZZ", pad(env.SenderID), "ZZ", pad(env.ReceiverID),
		created.Format("060102"), created.Format("1504"),
		string(d.Repetition), "00501", fmt.Sprintf("%09d", env.Control),
		"0", usage, string(d.Component)}
}

// claimBody writes the segments between ST and SE: the header, the
// submitter and receiver, then one billing provider loop per provider
// with a subscriber loop (and a patient loop when the patient is someone
// else) per claim.
func claimBody(b Batch) []Segment {
	sub := b.Submitter
	body := []Segment{
		seg("BHT", "0019", "00", b.Reference, b.Created.Format(dateFormat),
			b.Created.Format("1504"), "CH"),
		seg("NM1", "41", "2", clean(sub.Name, 60), "", "", "", "", "46", sub.ID),
		seg("PER", "IC", clean(sub.Contact, 60), "TE", sub.Phone),
		seg("NM1", "40", "2", clean(b.Receiver.Name, 60), "", "", "", "", "46",
			b.Receiver.ID),
	}
	hl := 0
	for _, group := range byProvider(b.Claims) {
		hl++
		providerHL := hl
		body = append(body, seg("HL", strconv.Itoa(hl), "", "20", "1"))
		body = append(body, providerSegments(group[0].BillingProvider)...)
		for _, c := range group {
			hl++
			subscriberHL := hl
			hasPatient := "0"
			if c.Patient != nil {
				hasPatient = "1"
			}
			body = append(body, seg("HL", strconv.Itoa(hl),
				strconv.Itoa(providerHL), "22", hasPatient))
			body = append(body, subscriberSegments(c)...)
			if c.Patient != nil {
				hl++
				body = append(body, seg("HL", strconv.Itoa(hl),
					strconv.Itoa(subscriberHL), "23", "0"))
				body = append(body, seg("PAT", c.Relationship))
				body = append(body, personSegments("QC", *c.Patient, "", true)...)
			}
			body = append(body, claimSegments(c)...)
		}
	}
	return body
}

// byProvider groups claims by billing provider, keeping the order in
// which each provider first appears.
func byProvider(claims []Claim) [][]Claim {
	var groups [][]Claim
	index := map[string]int{}
	for _, c := range claims {
		key := c.BillingProvider.NPI + "/" + c.BillingProvider.TaxID
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], c)
	}
	return groups
}

func providerSegments(p Provider) []Segment {
	var out []Segment
	if p.Taxonomy != "" {
		out = append(out, seg("PRV", "BI", "PXC", p.Taxonomy))
	}
	name := seg("NM1", "85", "1", clean(p.LastName, 60), clean(p.FirstName, 35),
		"", "", "", "XX", p.NPI)
	if p.Organization != "" {
		name = seg("NM1", "85", "2", clean(p.Organization, 60), "", "", "", "",
			"XX", p.NPI)
	}
	out = append(out, name)
	out = append(out, addressSegments(p.Address)...)
	return append(out, seg("REF", "EI", p.TaxID))
}

// subscriberSegments writes loop 2000B's SBR and loops 2010BA (the
// subscriber) and 2010BB (the payer).
func subscriberSegments(c Claim) []Segment {
	relationship := ""
	if c.Patient == nil {
		relationship = "18" // the subscriber is the patient
	}
	out := []Segment{seg("SBR", "P", relationship, clean(c.GroupNumber, 50),
		"", "", "", "", "", c.FilingIndicator)}
	out = append(out, personSegments("IL", c.Subscriber, c.MemberID, c.Patient == nil)...)
	return append(out, seg("NM1", "PR", "2", clean(c.Payer.Name, 60),
		"", "", "", "", "PI", c.Payer.ID))
}

// personSegments writes NM1 for a subscriber ("IL") or patient ("QC"),
// with the address and demographics when full is set.
func personSegments(entity string, p Person, memberID string, full bool) []Segment {
	qualifier := ""
	if memberID != "" {
		qualifier = "MI"
	}
	out := []Segment{seg("NM1", entity, "1", clean(p.LastName, 60),
		clean(p.FirstName, 35), clean(p.MiddleName, 25), "", "",
		qualifier, memberID)}
	if !full {
		return out
	}
	out = append(out, addressSegments(p.Address)...)
	return append(out, seg("DMG", "D8", p.BirthDate.Format(dateFormat), p.Sex))
}

func addressSegments(a Address) []Segment {
	return []Segment{
		seg("N3", clean(a.Line1, 55), clean(a.Line2, 55)),
		seg("N4", clean(a.City, 30), a.State, a.ZIP),
	}
}

// claimSegments writes loop 2300 (CLM, HI) and its service lines.
func claimSegments(c Claim) []Segment {
	c5 := string(DefaultDelimiters.Component)
	out := []Segment{seg("CLM", c.ControlNumber, FormatAmount(c.TotalCents()),
		"", "", c.PlaceOfService+c5+"B"+c5+"1", "Y", "A", "Y", "Y")}

	hi := Segment{"HI"}
	for i, d := range c.Diagnoses {
		qualifier := "ABF"
		if i == 0 {
			qualifier = "ABK"
		}
		hi = append(hi, qualifier+c5+diagnosisCode(d))
	}
	out = append(out, hi)

	for i, l := range c.Lines {
		proc := append([]string{"HC", l.Procedure}, l.Modifiers...)
		pointers := make([]string, len(l.Pointers))
		for j, p := range l.Pointers {
			pointers[j] = strconv.Itoa(p)
		}
		out = append(out,
			seg("LX", strconv.Itoa(i+1)),
			seg("SV1", strings.Join(proc, c5), FormatAmount(l.ChargeCents), "UN",
				strconv.Itoa(l.Units), "", "", strings.Join(pointers, c5)),
			seg("DTP", "472", "D8", l.Date.Format(dateFormat)),
		)
	}
	return out
}
