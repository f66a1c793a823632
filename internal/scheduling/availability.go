package scheduling

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/store"
)

// Availability returns the acting provider's settings.
func (s *Service) Availability(ctx context.Context, actor access.Actor) (Availability, error) {
	if !actor.IsProvider() {
		return Availability{}, fmt.Errorf("scheduling: availability: %w", access.ErrForbidden)
	}
	return s.AvailabilityForProvider(ctx, actor.ProviderID)
}

// AvailabilityIn reads a provider's saved settings through q, so code
// already inside a transaction (a Notifier, say) reads without taking a
// second connection: with the provider's booking lock held, waiting for
// another pooled connection can deadlock a busy server. It returns an
// error wrapping errNoSettings when nothing is saved yet.
func (s *Service) AvailabilityIn(ctx context.Context, q store.Querier, providerID string) (Availability, error) {
	a, err := s.loadAvailability(ctx, q, providerID)
	if err != nil {
		return Availability{}, fmt.Errorf("scheduling: availability: %w", err)
	}
	return a, nil
}

// AvailabilityForProvider returns a provider's settings, for the public
// booking pages. They hold no client data. A provider who never saved
// settings gets the defaults, and a booking-link slug made from their
// name is reserved on first use.
func (s *Service) AvailabilityForProvider(ctx context.Context, providerID string) (Availability, error) {
	a, err := s.loadAvailability(ctx, s.db.Reader(), providerID)
	if errors.Is(err, errNoSettings) {
		err = s.db.InTx(ctx, func(tx *sql.Tx) error {
			a, err = s.ensureSettings(ctx, tx, providerID)
			return err
		})
	}
	if err != nil {
		return Availability{}, fmt.Errorf("scheduling: availability: %w", err)
	}
	return a, nil
}

// errNoSettings means the provider exists but never saved settings.
var errNoSettings = errors.New("no scheduling settings")

// loadAvailability reads a provider's settings and time zone.
func (s *Service) loadAvailability(ctx context.Context, q store.Querier, providerID string) (Availability, error) {
	if !store.ValidID(providerID) {
		return Availability{}, store.ErrNotFound
	}
	var (
		a                                                 = Availability{ProviderID: providerID}
		slug                                              sql.NullString
		tele                                              sql.NullBool
		weekly, overrides, timeOff, types, rules, offices sql.NullString
	)
	err := q.QueryRowContext(ctx, `SELECT p.time_zone, s.slug, s.telehealth,
		s.weekly_hours, s.overrides, s.time_off, s.types, s.rules, s.offices
		FROM providers p LEFT JOIN scheduling_settings s ON s.provider_id = p.id
		WHERE p.id = $1`, providerID).Scan(&a.TimeZone, &slug, &tele, &weekly,
		&overrides, &timeOff, &types, &rules, &offices)
	if err != nil {
		return Availability{}, store.Translate(err)
	}
	if !slug.Valid {
		return a, errNoSettings
	}
	a.Slug, a.Telehealth = slug.String, tele.Bool
	err = decodeSettings(&a, weekly.String, overrides.String, timeOff.String,
		types.String, rules.String, offices.String)
	return a, err
}

// ensureSettings stores the defaults for a provider without settings,
// with a free slug made from their name, and returns them.
func (s *Service) ensureSettings(ctx context.Context, tx *sql.Tx, providerID string) (Availability, error) {
	a, err := s.loadAvailability(ctx, tx, providerID)
	if !errors.Is(err, errNoSettings) {
		return a, err
	}
	var first, last string
	err = tx.QueryRowContext(ctx, `SELECT first_name, last_name FROM providers
		WHERE id = $1`, providerID).Scan(&first, &last)
	if err != nil {
		return Availability{}, store.Translate(err)
	}
	slug, err := freeSlug(ctx, tx, Slugify(first+" "+last), providerID)
	if err != nil {
		return Availability{}, err
	}
	a = defaultAvailability(providerID, a.TimeZone, slug)
	if err := saveSettings(ctx, tx, a, s.now()); err != nil {
		return Availability{}, err
	}
	return a, nil
}

// freeSlug returns base, or base-2, base-3 … if another provider has it.
func freeSlug(ctx context.Context, q store.Querier, base, providerID string) (string, error) {
	if len(base) < 3 {
		base = "provider-" + base
	}
	if len(base) > 50 {
		base = strings.Trim(base[:50], "-")
	}
	for n := 1; n < 1000; n++ {
		slug := base
		if n > 1 {
			slug = base + "-" + strconv.Itoa(n)
		}
		var owner string
		err := q.QueryRowContext(ctx, `SELECT provider_id FROM scheduling_settings
			WHERE slug = $1`, slug).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || owner == providerID {
			return slug, nil
		}
		if err != nil {
			return "", fmt.Errorf("find slug: %w", store.Translate(err))
		}
	}
	return "", fmt.Errorf("find slug: %w", store.ErrConflict)
}

// SeedSettings writes a provider's settings inside tx without checks or
// audit, for the demo data. TimeZone is ignored (it lives on the
// provider row).
func SeedSettings(ctx context.Context, tx *sql.Tx, a Availability, now time.Time) error {
	return saveSettings(ctx, tx, a, now)
}

func saveSettings(ctx context.Context, q store.Querier, a Availability, now time.Time) error {
	weekly, overrides, timeOff, types, rules, offices := encodeSettings(a)
	_, err := q.ExecContext(ctx, `INSERT INTO scheduling_settings (provider_id,
		slug, telehealth, weekly_hours, overrides, time_off, types, rules,
		offices, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (provider_id) DO UPDATE SET slug = excluded.slug,
		telehealth = excluded.telehealth, weekly_hours = excluded.weekly_hours,
		overrides = excluded.overrides, time_off = excluded.time_off,
		types = excluded.types, rules = excluded.rules,
		offices = excluded.offices, updated_at = excluded.updated_at`,
		a.ProviderID, a.Slug, a.Telehealth, weekly, overrides, timeOff, types,
		rules, offices, now.UTC())
	if err != nil {
		return fmt.Errorf("save settings: %w", store.Translate(err))
	}
	return nil
}

// UpdateAvailability changes the acting provider's settings. Problems
// come back together as validation.Errors and nothing changes.
func (s *Service) UpdateAvailability(ctx context.Context, actor access.Actor,
	p AvailabilityPatch) (Availability, error) {
	if !actor.IsProvider() {
		return Availability{}, fmt.Errorf("scheduling: update availability: %w", access.ErrForbidden)
	}
	var out Availability
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		cur, err := s.ensureSettings(ctx, tx, actor.ProviderID)
		if err != nil {
			return err
		}
		next, fields := applyPatch(cur, p)
		if err := s.checkAvailability(ctx, tx, next); err != nil {
			return err
		}
		if next.TimeZone != cur.TimeZone {
			_, err := tx.ExecContext(ctx, `UPDATE providers SET time_zone = $1,
				updated_at = $2 WHERE id = $3`, next.TimeZone, s.now(), actor.ProviderID)
			if err != nil {
				return fmt.Errorf("set time zone: %w", err)
			}
		}
		if err := saveSettings(ctx, tx, next, s.now()); err != nil {
			return err
		}
		err = s.log.Record(ctx, tx, actor, audit.Entry{
			Action: "scheduling.availability.update", ObjectType: "availability",
			ObjectID: actor.ProviderID, ProviderID: actor.ProviderID,
			Detail: "fields=" + strings.Join(fields, ","),
		})
		out = next
		return err
	})
	if err != nil {
		return Availability{}, fmt.Errorf("scheduling: update availability: %w", err)
	}
	return out, nil
}

// applyPatch returns a with p's fields set and the names of those fields.
func applyPatch(a Availability, p AvailabilityPatch) (Availability, []string) {
	var f []string
	if p.TimeZone != nil {
		a.TimeZone, f = strings.TrimSpace(*p.TimeZone), append(f, "time_zone")
	}
	if p.Weekly != nil {
		a.Weekly, f = *p.Weekly, append(f, "weekly_hours")
	}
	if p.Overrides != nil {
		a.Overrides, f = *p.Overrides, append(f, "overrides")
	}
	if p.TimeOff != nil {
		a.TimeOff, f = *p.TimeOff, append(f, "time_off")
		for i := range a.TimeOff {
			if a.TimeOff[i].ID == "" {
				a.TimeOff[i].ID = store.NewID()
			}
		}
	}
	if p.Types != nil {
		a.Types, f = *p.Types, append(f, "types")
	}
	if p.Rules != nil {
		a.Rules, f = *p.Rules, append(f, "rules")
	}
	if p.Offices != nil {
		a.Offices, f = *p.Offices, append(f, "offices")
		for i := range a.Offices {
			if a.Offices[i].ID == "" {
				a.Offices[i].ID = store.NewID()
			}
		}
	}
	if p.Telehealth != nil {
		a.Telehealth, f = *p.Telehealth, append(f, "telehealth")
	}
	if p.Slug != nil {
		a.Slug, f = strings.TrimSpace(*p.Slug), append(f, "slug")
	}
	return a, f
}

// ProviderBySlug finds the provider whose booking link ends in slug.
func (s *Service) ProviderBySlug(ctx context.Context, slug string) (PublicProvider, error) {
	var id string
	err := s.db.Reader().QueryRowContext(ctx, `SELECT provider_id
		FROM scheduling_settings WHERE slug = $1`, strings.ToLower(slug)).Scan(&id)
	if err != nil {
		return PublicProvider{}, fmt.Errorf("scheduling: provider by slug: %w", store.Translate(err))
	}
	a, err := s.AvailabilityForProvider(ctx, id)
	if err != nil {
		return PublicProvider{}, err
	}
	p := PublicProvider{ID: id, Slug: a.Slug, TimeZone: a.TimeZone,
		Telehealth: a.Telehealth, Offices: a.Offices, Types: a.Types}
	var first, last string
	err = s.db.Reader().QueryRowContext(ctx, `SELECT first_name, last_name,
		credentials, pronouns, bio FROM providers WHERE id = $1`, id).
		Scan(&first, &last, &p.Credentials, &p.Pronouns, &p.Bio)
	if err != nil {
		return PublicProvider{}, fmt.Errorf("scheduling: provider by slug: %w", store.Translate(err))
	}
	p.Name = first + " " + last
	return p, nil
}
