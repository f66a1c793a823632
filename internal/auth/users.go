package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
)

// NewUser is what CreateUser needs. Password may be empty for accounts
// that sign in by emailed link or set a password through a reset link.
type NewUser struct {
	Email       string
	Password    string
	Role        access.Role
	DisplayName string
	ProviderID  string // required for providers
	ClientID    string // required for clients
}

// maxDisplayName bounds display names, counted in characters.
const maxDisplayName = 200

// userColumns selects a user with its TOTP state; scanUser reads them.
const userColumns = `u.id, u.email, u.role, u.password_hash, u.display_name,
	u.provider_id, u.client_id, u.disabled_at, u.created_at, ut.enabled_at`

const userFrom = ` FROM users u LEFT JOIN user_totp ut ON ut.user_id = u.id`

// account is a user with the stored password hash, for sign-in checks.
type account struct {
	User
	passwordHash string
}

type rowScanner interface{ Scan(dest ...any) error }

func scanUser(row rowScanner, extra ...any) (account, error) {
	var (
		a                      account
		role                   string
		hash, provider, client sql.NullString
		disabled, mfa          sql.NullTime
	)
	dest := append([]any{&a.ID, &a.Email, &role, &hash, &a.DisplayName,
		&provider, &client, &disabled, &a.CreatedAt, &mfa}, extra...)
	if err := row.Scan(dest...); err != nil {
		return account{}, err
	}
	a.Role = access.Role(role)
	a.passwordHash = hash.String
	a.HasPassword = hash.String != ""
	a.ProviderID, a.ClientID = provider.String, client.String
	if disabled.Valid {
		t := disabled.Time.UTC()
		a.DisabledAt = &t
	}
	a.CreatedAt = a.CreatedAt.UTC()
	a.MFAEnabled = mfa.Valid
	return a, nil
}

func (s *Service) accountBy(ctx context.Context, q store.Querier, column, value string) (account, error) {
	a, err := scanUser(q.QueryRowContext(ctx,
		`SELECT `+userColumns+userFrom+` WHERE u.`+column+` = $1`, value))
	if err != nil {
		return account{}, fmt.Errorf("auth: load user: %w", store.Translate(err))
	}
	return a, nil
}

// UserByID returns the user with id, or store.ErrNotFound.
func (s *Service) UserByID(ctx context.Context, id string) (User, error) {
	a, err := s.accountBy(ctx, s.db.Reader(), "id", id)
	return a.User, err
}

// UserByEmail returns the user with the email (normalised first), or
// store.ErrNotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, fmt.Errorf("auth: load user: %w", store.ErrNotFound)
	}
	a, err := s.accountBy(ctx, s.db.Reader(), "email", email)
	return a.User, err
}

// NeedsSetup reports whether no administrator exists yet, in which case
// the first-run page must create one before anything else is reachable.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	var n int
	err := s.db.Reader().QueryRowContext(ctx,
		`SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("auth: count admins: %w", store.Translate(err))
	}
	return n == 0, nil
}

// CreateFirstAdmin creates the first administrator of an empty instance.
// Once any administrator exists it returns ErrAlreadySetUp; concurrent
// calls create at most one account.
func (s *Service) CreateFirstAdmin(ctx context.Context, email, password, displayName string,
	ip, ua string) (User, error) {
	var u User
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx,
			`SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&n); err != nil {
			return fmt.Errorf("auth: count admins: %w", err)
		}
		if n > 0 {
			return ErrAlreadySetUp
		}
		// The settings row is the lock: a second concurrent transaction
		// fails its insert on the primary key.
		_, err := tx.ExecContext(ctx,
			`INSERT INTO settings (name, value, updated_at) VALUES ('first_admin_created', 'true', $1)`,
			s.now())
		if err != nil {
			if errors.Is(store.Translate(err), store.ErrConflict) {
				return ErrAlreadySetUp
			}
			return fmt.Errorf("auth: mark set up: %w", err)
		}
		actor := access.Actor{IP: ip, UserAgent: ua, Role: "system"}
		u, err = s.insertUser(ctx, tx, actor, NewUser{Email: email, Password: password,
			Role: access.RoleAdmin, DisplayName: displayName})
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return User{}, ErrAlreadySetUp
	}
	return u, err
}

// CreateUser creates an account. Administrators (and the system actor)
// may create any account; a provider may create client accounts for
// their own clients only. Invalid input is a *FieldError.
func (s *Service) CreateUser(ctx context.Context, actor access.Actor, n NewUser) (User, error) {
	switch {
	case actor.IsAdmin() || actor.Role == "system":
	case actor.IsProvider() && n.Role == access.RoleClient:
	default:
		return User{}, access.ErrForbidden
	}
	var u User
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if actor.IsProvider() {
			if err := ownClient(ctx, tx, actor.ProviderID, n.ClientID); err != nil {
				return err
			}
		}
		var err error
		u, err = s.insertUser(ctx, tx, actor, n)
		return err
	})
	return u, err
}

// ownClient checks that clientID is one of the provider's clients.
func ownClient(ctx context.Context, q store.Querier, providerID, clientID string) error {
	var one int
	err := q.QueryRowContext(ctx,
		`SELECT 1 FROM clients WHERE id = $1 AND provider_id = $2`,
		clientID, providerID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return &FieldError{Field: "client_id", Message: "Choose one of your clients."}
	}
	if err != nil {
		return fmt.Errorf("auth: check client: %w", err)
	}
	return nil
}

// insertUser validates n, inserts it and audits the creation.
func (s *Service) insertUser(ctx context.Context, tx *sql.Tx, actor access.Actor,
	n NewUser) (User, error) {
	email, err := NormalizeEmail(n.Email)
	if err != nil {
		return User{}, err
	}
	name := strings.TrimSpace(n.DisplayName)
	if utf8.RuneCountInString(name) > maxDisplayName {
		return User{}, &FieldError{Field: "display_name",
			Message: "Name must be at most 200 characters long."}
	}
	if err := s.checkRoleLinks(ctx, tx, n); err != nil {
		return User{}, err
	}
	var hash sql.NullString
	if n.Password != "" {
		if err := CheckPassword(n.Password, email); err != nil {
			return User{}, err
		}
		h, err := hashPassword(n.Password, s.params)
		if err != nil {
			return User{}, err
		}
		hash = sql.NullString{String: h, Valid: true}
	}

	now := s.now()
	u := User{ID: store.NewID(), Email: email, Role: n.Role, DisplayName: name,
		HasPassword: hash.Valid, CreatedAt: now}
	var provider, client sql.NullString
	switch n.Role {
	case access.RoleProvider:
		u.ProviderID = n.ProviderID
		provider = sql.NullString{String: n.ProviderID, Valid: true}
	case access.RoleClient:
		u.ClientID = n.ClientID
		client = sql.NullString{String: n.ClientID, Valid: true}
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO users (id, email, role, password_hash, display_name,
			provider_id, client_id, disabled_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $8)`,
		u.ID, u.Email, string(u.Role), hash, u.DisplayName, provider, client, now)
	if err != nil {
		if errors.Is(store.Translate(err), store.ErrConflict) {
			return User{}, &FieldError{Field: "email",
				Message: "An account with this email address already exists."}
		}
		return User{}, fmt.Errorf("auth: insert user: %w", err)
	}
	return u, s.record(ctx, tx, actor, u, "auth.user_created", "role="+string(u.Role))
}

// checkRoleLinks checks the role and that providers and clients point
// at a record that exists.
func (s *Service) checkRoleLinks(ctx context.Context, q store.Querier, n NewUser) error {
	var table, id, field, msg string
	switch n.Role {
	case access.RoleAdmin:
		return nil
	case access.RoleProvider:
		table, id, field, msg = "providers", n.ProviderID, "provider_id", "Choose a provider."
	case access.RoleClient:
		table, id, field, msg = "clients", n.ClientID, "client_id", "Choose a client."
	default:
		return &FieldError{Field: "role", Message: "Choose provider, client or admin."}
	}
	if id == "" {
		return &FieldError{Field: field, Message: msg}
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return &FieldError{Field: field, Message: msg}
	}
	if err != nil {
		return fmt.Errorf("auth: check %s: %w", field, err)
	}
	return nil
}

// Disable turns an account off: its sessions end at once, its API
// tokens are revoked and it can no longer sign in. Only administrators
// (or the system actor) may disable accounts, and not their own.
func (s *Service) Disable(ctx context.Context, actor access.Actor, userID string) error {
	if !actor.IsAdmin() && actor.Role != "system" {
		return access.ErrForbidden
	}
	if userID == actor.UserID {
		return &FieldError{Field: "user_id", Message: "You cannot disable your own account."}
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		a, err := s.accountBy(ctx, tx, "id", userID)
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx,
			`UPDATE users SET disabled_at = $1, updated_at = $1 WHERE id = $2 AND disabled_at IS NULL`,
			now, userID); err != nil {
			return fmt.Errorf("auth: disable user: %w", err)
		}
		if err := s.endSessions(ctx, tx, userID, ""); err != nil {
			return err
		}
		if err := s.revokeAllTokens(ctx, tx, userID, now); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, a.User, "auth.user_disabled", "")
	})
}

// setPasswordHash stores a new hash for a user.
func (s *Service) setPasswordHash(ctx context.Context, tx *sql.Tx, userID, hash string,
	now time.Time) error {
	_, err := tx.ExecContext(ctx,
		`UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`,
		hash, now, userID)
	if err != nil {
		return fmt.Errorf("auth: store password: %w", err)
	}
	return nil
}
