package x12

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxCASAmounts and maxPLBAmounts are how many amounts one CAS or PLB
// segment holds; more take another segment.
const (
	maxCASAmounts = 6
	maxPLBAmounts = 6
)

// WriteRemittances writes remittance advices as one 835 interchange, a
// transaction each: what the simulated payer sends back for a batch of
// claims. Each must balance, as [ReadRemittances] demands of any file,
// and pay by check or not at all (ACH would need bank details the 835
// carries and Tend's simulated payer has none of). Nothing is written
// when any is wrong.
func WriteRemittances(rs []Remittance, env Envelope, created time.Time) ([]byte, error) {
	if err := checkRemittances(rs, env, created); err != nil {
		return nil, err
	}
	d := DefaultDelimiters
	g := Group{Header: seg("GS", "HP", env.SenderID, env.ReceiverID,
		created.Format(dateFormat), created.Format("1504"),
		strconv.FormatInt(env.Control, 10), "X", remitVersion+"A1")}
	for i, r := range rs {
		g.Transactions = append(g.Transactions, Transaction{
			Header: seg("ST", "835", fmt.Sprintf("%04d", i+1)),
			Body:   remitBody(r),
		})
	}
	ix := &Interchange{
		Delimiters: d,
		LineBreaks: env.LineBreaks,
		Header:     isaHeader(env, created, d),
		Groups:     []Group{g},
	}
	return Marshal(ix)
}

func checkRemittances(rs []Remittance, env Envelope, created time.Time) error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	errs = append(errs, checkEnvelope(env)...)
	if len(rs) == 0 || created.IsZero() {
		add("a file needs at least one remittance and its creation time")
	}
	for i, r := range rs {
		for _, err := range checkRemittance(r) {
			add("remittance %d: %w", i+1, err)
		}
	}
	return errors.Join(errs...)
}

func checkRemittance(r Remittance) []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	switch {
	case r.Method != "CHK" && r.Method != "NON":
		add("payment method %q is not CHK or NON", r.Method)
	case r.Method == "NON" && r.TotalCents != 0:
		add("a remittance without payment (NON) pays nothing")
	}
	if r.Handling != "C" && r.Handling != "I" && r.Handling != "H" {
		add("handling %q is not C, I or H", r.Handling)
	}
	if !identifier.MatchString(r.Trace) || !identifier.MatchString(r.TraceIssuer) {
		add("trace number and issuer (letters, digits and -) are required")
	}
	if r.IssuedOn.IsZero() {
		add("the payment date is required")
	}
	if r.Payer.Name == "" || len(r.PayerPhone) != 10 || !digits.MatchString(r.PayerPhone) {
		add("payer name and a ten-digit technical contact phone are required")
	}
	errs = append(errs, checkAddress("payer", r.PayerAddress)...)
	if r.Payee.Name == "" || !identifier.MatchString(r.Payee.ID) {
		add("payee name and id are required")
	}
	for _, c := range r.Claims {
		if !controlNumber.MatchString(c.ControlNumber) || c.Status == "" ||
			c.FilingIndicator == "" || c.Patient.LastName == "" {
			add("claim %q: control number, status, filing indicator and patient are required",
				c.ControlNumber)
		}
		for _, sp := range c.Services {
			if sp.Qualifier != "HC" || !procedureCode.MatchString(sp.Code) {
				add("claim %s: service %q is not an HC procedure", c.ControlNumber, sp.Code)
			}
		}
	}
	if err := r.balance(); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// remitBody writes the segments between ST and SE of one 835.
func remitBody(r Remittance) []Segment {
	date := r.IssuedOn.Format(dateFormat)
	bpr := make([]string, 16)
	bpr[0], bpr[1], bpr[2], bpr[3] = r.Handling, FormatAmount(r.TotalCents), "C", r.Method
	bpr[15] = date
	body := []Segment{
		seg("BPR", bpr...),
		seg("TRN", "1", r.Trace, r.TraceIssuer),
		seg("DTM", "405", date),
		seg("N1", "PR", clean(r.Payer.Name, 60)),
	}
	body = append(body, addressSegments(r.PayerAddress)...)
	body = append(body,
		seg("PER", "BL", "", "TE", r.PayerPhone),
		seg("N1", "PE", clean(r.Payee.Name, 60), r.Payee.IDQualifier, r.Payee.ID),
	)
	if len(r.Claims) > 0 {
		body = append(body, seg("LX", "1"))
	}
	for _, c := range r.Claims {
		body = append(body, seg("CLP", c.ControlNumber, c.Status,
			FormatAmount(c.ChargeCents), FormatAmount(c.PaidCents),
			FormatAmount(c.PatientCents), c.FilingIndicator, c.PayerClaimID))
		body = append(body, casSegments(c.Adjustments)...)
		qualifier := ""
		if c.MemberID != "" {
			qualifier = "MI"
		}
		p := c.Patient
		body = append(body, seg("NM1", "QC", "1", clean(p.LastName, 60),
			clean(p.FirstName, 35), clean(p.MiddleName, 25), "", "", qualifier, c.MemberID))
		for _, sp := range c.Services {
			proc := strings.Join(append([]string{sp.Qualifier, sp.Code}, sp.Modifiers...),
				string(DefaultDelimiters.Component))
			body = append(body, seg("SVC", proc, FormatAmount(sp.ChargeCents),
				FormatAmount(sp.PaidCents)))
			if !sp.Date.IsZero() {
				body = append(body, seg("DTM", "472", sp.Date.Format(dateFormat)))
			}
			body = append(body, casSegments(sp.Adjustments)...)
		}
	}
	return append(body, plbSegments(r)...)
}

// casSegments writes adjustments as CAS segments: one per group code,
// six amounts at most in each, in the order the groups first appear.
func casSegments(as []Adjustment) []Segment {
	var out []Segment
	open := map[string]int{} // group code to the index of its open CAS
	for _, a := range as {
		i, ok := open[a.Group]
		if !ok || (len(out[i])-1)/3 >= maxCASAmounts {
			out = append(out, Segment{"CAS", a.Group})
			i = len(out) - 1
			open[a.Group] = i
		}
		if len(out[i]) > 2 {
			out[i] = append(out[i], "") // the previous amount's quantity
		}
		out[i] = append(out[i], a.Reason, FormatAmount(a.AmountCents))
	}
	return out
}

// plbSegments writes provider adjustments, six to a PLB segment. The
// fiscal period is the end of the payment's year.
func plbSegments(r Remittance) []Segment {
	var out []Segment
	period := time.Date(r.IssuedOn.Year(), 12, 31, 0, 0, 0, 0, time.UTC).Format(dateFormat)
	for i, pa := range r.ProviderAdjustments {
		if i%maxPLBAmounts == 0 {
			out = append(out, Segment{"PLB", r.Payee.ID, period})
		}
		reason := pa.Reason
		if pa.Reference != "" {
			reason += string(DefaultDelimiters.Component) + pa.Reference
		}
		last := len(out) - 1
		out[last] = append(out[last], reason, FormatAmount(pa.AmountCents))
	}
	return out
}
