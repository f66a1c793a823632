package notes

import (
	"context"
	"fmt"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// Clinician is how a provider is named on their notes and on exported
// records.
type Clinician struct {
	ProviderID  string
	FirstName   string
	LastName    string
	Credentials string // e.g. "LCSW"
	NPI         string
	TimeZone    string // IANA name, e.g. "America/New_York"
}

// Name returns "First Last, Credentials" (without the comma when there
// are no credentials).
func (c Clinician) Name() string {
	name := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if c.Credentials != "" {
		name += ", " + c.Credentials
	}
	return name
}

// Clinician returns the acting provider's name, credentials, NPI and
// time zone, as they sign notes. Anyone who is not a provider gets store.ErrNotFound.
// It reads no PHI and is not audited.
func (s *Service) Clinician(ctx context.Context, actor access.Actor) (Clinician, error) {
	if !actor.IsProvider() {
		return Clinician{}, store.ErrNotFound
	}
	c := Clinician{ProviderID: actor.ProviderID}
	err := s.db.Reader().QueryRowContext(ctx, `SELECT first_name, last_name,
		credentials, npi, time_zone FROM providers WHERE id = $1`, actor.ProviderID,
	).Scan(&c.FirstName, &c.LastName, &c.Credentials, &c.NPI, &c.TimeZone)
	if err != nil {
		return Clinician{}, fmt.Errorf("notes: read provider: %w", store.Translate(err))
	}
	return c, nil
}
