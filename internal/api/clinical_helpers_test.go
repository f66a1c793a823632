package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/store"
)

// clientOut is a client as the API answers it (the fields tests read).
type clientOut struct {
	ID                string  `json:"id"`
	FirstName         string  `json:"first_name"`
	LastName          string  `json:"last_name"`
	PreferredName     string  `json:"preferred_name"`
	Email             string  `json:"email"`
	Phone             string  `json:"phone"`
	DateOfBirth       *string `json:"date_of_birth"`
	Status            string  `json:"status"`
	ArchivedAt        *string `json:"archived_at"`
	ArchiveReason     string  `json:"archive_reason"`
	NextAppointmentAt *string `json:"next_appointment_at"`
	LastAppointmentAt *string `json:"last_appointment_at"`
	Address           struct {
		City string `json:"city"`
	} `json:"address"`
	Diagnoses []struct {
		Code string `json:"code"`
	} `json:"diagnoses"`
}

// clientsPage is the answer to GET /clients.
type clientsPage struct {
	Items      []clientOut `json:"items"`
	NextCursor *string     `json:"next_cursor"`
	Total      int         `json:"total"`
	Counts     struct {
		Active        int `json:"active"`
		NeedsFollowUp int `json:"needs_follow_up"`
		Scheduled     int `json:"scheduled"`
		Archived      int `json:"archived"`
	} `json:"counts"`
}

// practice is a provider signed in to the API.
type practice struct {
	token      string
	providerID string
	userID     string
}

// newPractice creates a provider account and signs it in.
func (e *env) newPractice(t *testing.T, email string) practice {
	t.Helper()
	u := e.newUser(t, access.RoleProvider, email, "")
	return practice{token: e.signIn(t, email), providerID: u.ProviderID, userID: u.ID}
}

// createClient posts a client with the given fields and fails the test
// unless it is created.
func (e *env) createClient(t *testing.T, token string, fields map[string]any) clientOut {
	t.Helper()
	res := e.do(t, call{method: http.MethodPost, path: "/clients", token: token, body: fields})
	wantStatus(t, res, http.StatusCreated)
	return decode[clientOut](t, res)
}

// portalToken gives the client record clientID a sign-in and returns
// its bearer token.
func (e *env) portalToken(t *testing.T, email, clientID string) string {
	t.Helper()
	_, err := e.auth.CreateUser(context.Background(), access.System(), auth.NewUser{
		Email: email, Password: password, Role: access.RoleClient,
		DisplayName: "Portal client", ClientID: clientID,
	})
	if err != nil {
		t.Fatalf("create client user: %v", err)
	}
	return e.signIn(t, email)
}

// addAppointment inserts an appointment of 50 minutes straight into the
// table, as the scheduling area will.
func (e *env) addAppointment(t *testing.T, providerID, clientID string,
	start time.Time, status string) string {
	t.Helper()
	id := store.NewID()
	now := e.clk.Now().UTC()
	_, err := e.db.Writer().ExecContext(context.Background(),
		`INSERT INTO appointments (id, provider_id, client_id, starts_at, ends_at,
		 status, kind, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		id, providerID, clientID, start.UTC(), start.Add(50*time.Minute).UTC(),
		status, "follow_up", now, now)
	if err != nil {
		t.Fatalf("insert appointment: %v", err)
	}
	return id
}

// setAppointmentStatus changes an appointment's status in place.
func (e *env) setAppointmentStatus(t *testing.T, id, status string) {
	t.Helper()
	_, err := e.db.Writer().ExecContext(context.Background(),
		`UPDATE appointments SET status = $1 WHERE id = $2`, status, id)
	if err != nil {
		t.Fatalf("update appointment: %v", err)
	}
}

// countWhere returns the number of rows in table matching a condition
// with one argument.
func (e *env) countWhere(t *testing.T, table, cond string, arg any) int {
	t.Helper()
	var n int
	err := e.db.Reader().QueryRowContext(context.Background(),
		"SELECT count(*) FROM "+table+" WHERE "+cond, arg).Scan(&n)
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// ids returns the ids of a page's clients in order.
func ids(items []clientOut) []string {
	out := make([]string, len(items))
	for i, c := range items {
		out[i] = c.ID
	}
	return out
}
