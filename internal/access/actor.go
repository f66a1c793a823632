// Package access describes who is acting on a request: the signed-in
// user, their role and the provider or client they speak for.
//
// Every area takes an Actor and scopes its queries with it, so the rule
// "a provider sees only their own clients" lives in the domain layer and
// not only in handlers. The package sits below every area and imports
// none of them.
package access

import (
	"context"
	"errors"
)

// Role is what kind of account a user has.
type Role string

// The three account roles.
const (
	RoleProvider Role = "provider"
	RoleClient   Role = "client"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleProvider, RoleClient, RoleAdmin:
		return true
	}
	return false
}

// ErrForbidden is returned when an actor may not do what it asked.
// Handlers show it as 403; for reads of a single record areas return
// store.ErrNotFound instead, so a guessed id never confirms a row exists.
var ErrForbidden = errors.New("access: forbidden")

// Actor is the person (or system) behind a request.
type Actor struct {
	UserID     string
	Role       Role
	ProviderID string // set when Role is provider
	ClientID   string // set when Role is client
	SessionID  string // the session or token id, for "sign out here"
	IP         string
	UserAgent  string
	RequestID  string
}

// System is the actor for background work that no user started.
func System() Actor { return Actor{UserID: "", Role: "system"} }

// IsAdmin reports whether the actor is an administrator.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

// IsProvider reports whether the actor is a provider.
func (a Actor) IsProvider() bool { return a.Role == RoleProvider && a.ProviderID != "" }

// IsClient reports whether the actor is a client.
func (a Actor) IsClient() bool { return a.Role == RoleClient && a.ClientID != "" }

// Authenticated reports whether a user is signed in.
func (a Actor) Authenticated() bool { return a.UserID != "" }

type ctxKey struct{}

// With returns a context carrying the actor.
func With(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// From returns the actor carried by ctx, or an anonymous actor.
func From(ctx context.Context) Actor {
	a, _ := ctx.Value(ctxKey{}).(Actor)
	return a
}
