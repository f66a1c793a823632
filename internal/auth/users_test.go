package auth

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestCreateFirstAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		needs, err := e.svc.NeedsSetup(ctx)
		if err != nil || !needs {
			t.Fatalf("NeedsSetup = %v, %v; want true", needs, err)
		}
		_, err = e.svc.CreateFirstAdmin(ctx, "admin@example.org", "short", "Admin", testIP, testUA)
		wantField(t, "weak password", err, "password")
		if needs, _ := e.svc.NeedsSetup(ctx); !needs {
			t.Fatal("a rejected first admin ended set-up")
		}

		// Concurrent first-run submissions create exactly one admin.
		var (
			wg        sync.WaitGroup
			mu        sync.Mutex
			created   int
			refused   int
			unexpectd []error
		)
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				email := []string{"a@example.org", "b@example.org", "c@example.org", "d@example.org"}[i]
				_, err := e.svc.CreateFirstAdmin(ctx, email, goodPass, "Admin", testIP, testUA)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					created++
				case errors.Is(err, ErrAlreadySetUp):
					refused++
				default:
					unexpectd = append(unexpectd, err)
				}
			}()
		}
		wg.Wait()
		if created != 1 || refused != 3 || len(unexpectd) > 0 {
			t.Fatalf("created %d, refused %d, errors %v", created, refused, unexpectd)
		}
		var admins int
		if err := db.Reader().QueryRowContext(ctx,
			`SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&admins); err != nil || admins != 1 {
			t.Fatalf("%d admins (%v)", admins, err)
		}
		if needs, _ := e.svc.NeedsSetup(ctx); needs {
			t.Fatal("NeedsSetup still true")
		}
		if n := count(e.auditActions(t, goodPass), "auth.user_created"); n != 1 {
			t.Errorf("auth.user_created audited %d times", n)
		}
	})
}

func TestCreateUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		admin := e.user(t, access.RoleAdmin, "admin@example.org")
		prov := e.user(t, access.RoleProvider, "prov@example.org")
		client := e.user(t, access.RoleClient, "client@example.org")
		ownClient := e.client(t, prov.ProviderID)
		strangerClient := e.client(t, e.provider(t))
		adminActor := e.svc.Actor(admin, "", testIP, testUA)
		provActor := e.svc.Actor(prov, "", testIP, testUA)
		clientActor := e.svc.Actor(client, "", testIP, testUA)

		tests := []struct {
			name      string
			actor     access.Actor
			n         NewUser
			wantField string
			wantErr   error
		}{
			{"admin creates provider", adminActor, NewUser{Email: "p2@example.org",
				Password: goodPass, Role: access.RoleProvider, ProviderID: e.provider(t)}, "", nil},
			{"client without password", adminActor, NewUser{Email: "c2@example.org",
				Role: access.RoleClient, ClientID: ownClient}, "", nil},
			{"provider creates own client", provActor, NewUser{Email: "c3@example.org",
				Role: access.RoleClient, ClientID: ownClient}, "", nil},
			{"provider, another's client", provActor, NewUser{Email: "c4@example.org",
				Role: access.RoleClient, ClientID: strangerClient}, "client_id", nil},
			{"provider creates admin", provActor, NewUser{Email: "x@example.org",
				Password: goodPass, Role: access.RoleAdmin}, "", access.ErrForbidden},
			{"client creates client", clientActor, NewUser{Email: "x@example.org",
				Role: access.RoleClient, ClientID: client.ClientID}, "", access.ErrForbidden},
			{"bad role", adminActor, NewUser{Email: "x@example.org", Role: "owner"}, "role", nil},
			{"provider without provider", adminActor, NewUser{Email: "x@example.org",
				Role: access.RoleProvider}, "provider_id", nil},
			{"provider, unknown provider", adminActor, NewUser{Email: "x@example.org",
				Role: access.RoleProvider, ProviderID: store.NewID()}, "provider_id", nil},
			{"client without client", adminActor, NewUser{Email: "x@example.org",
				Role: access.RoleClient}, "client_id", nil},
			{"duplicate email", adminActor, NewUser{Email: " PROV@example.org ",
				Role: access.RoleAdmin}, "email", nil},
			{"bad email", adminActor, NewUser{Email: "not an email",
				Role: access.RoleAdmin}, "email", nil},
			{"weak password", adminActor, NewUser{Email: "x@example.org",
				Password: "letmein12345", Role: access.RoleAdmin}, "password", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u, err := e.svc.CreateUser(ctx, tt.actor, tt.n)
				switch {
				case tt.wantField != "":
					wantField(t, "create", err, tt.wantField)
				case tt.wantErr != nil:
					wantErr(t, "create", err, tt.wantErr)
				case err != nil:
					t.Fatalf("create: %v", err)
				default:
					got, err := e.svc.UserByEmail(ctx, tt.n.Email)
					if err != nil || got.ID != u.ID || got.Role != tt.n.Role ||
						got.HasPassword != (tt.n.Password != "") {
						t.Fatalf("stored %+v (%v), created %+v", got, err, u)
					}
				}
			})
		}
		if _, err := e.svc.UserByID(ctx, store.NewID()); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("UserByID unknown = %v", err)
		}
	})
}

func TestPurgeExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, Options{})
		ctx := context.Background()
		u := e.user(t, access.RoleClient, "c@example.org")
		e.signIn(t, u)
		if err := e.svc.RequestSignInLink(ctx, u.Email, testIP); err != nil {
			t.Fatal(err)
		}
		if n, err := e.svc.PurgeExpired(ctx); err != nil || n != 0 {
			t.Fatalf("purge of live rows = %d, %v", n, err)
		}
		e.clk.Advance(AbsoluteTimeout)
		n, err := e.svc.PurgeExpired(ctx)
		if err != nil || n != 3 {
			t.Fatalf("purge = %d, %v; want the session, link and link counter gone", n, err)
		}
		keep, _ := e.signIn(t, u)
		if n, err := e.svc.PurgeExpired(ctx); err != nil || n != 0 {
			t.Fatalf("second purge = %d, %v", n, err)
		}
		if _, _, err := e.svc.Session(ctx, keep); err != nil {
			t.Fatalf("live session purged: %v", err)
		}
	})
}
