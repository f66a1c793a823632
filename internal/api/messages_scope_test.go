package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// TestMessagesScope: a provider reaches only their own clients' threads
// and a client only their own; everything else is 404, as if it did not
// exist.
func TestMessagesScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		mine := e.newThread(t, "pro@example.test")
		theirs := e.newThread(t, "other@example.test")
		msg := e.send(t, theirs.pro.token, theirs.client.ID, "private words")

		// A second client of the same provider cannot see the first's.
		sibling := e.createClient(t, theirs.pro.token, map[string]any{
			"first_name": "Bo", "last_name": "Sibling"})
		siblingToken := e.portalToken(t, "sibling@example.test", sibling.ID)

		cases := []struct {
			name, token, method, path string
		}{
			{"provider reads another provider's thread", mine.pro.token, http.MethodGet,
				"/threads/" + theirs.client.ID + "/messages"},
			{"client reads another client's thread", mine.portal, http.MethodGet,
				"/threads/" + theirs.client.ID + "/messages"},
			{"client reads a sibling's thread", siblingToken, http.MethodGet,
				"/threads/" + theirs.client.ID + "/messages"},
			{"provider marks another's message read", mine.pro.token, http.MethodPost,
				"/messages/" + msg.ID + "/read"},
			{"client marks another's message read", siblingToken, http.MethodPost,
				"/messages/" + msg.ID + "/read"},
			{"provider retracts another's message", mine.pro.token, http.MethodPost,
				"/messages/" + msg.ID + "/retract"},
			{"provider searches another's thread", mine.pro.token, http.MethodGet,
				"/messages/search?q=private&client_id=" + theirs.client.ID},
			{"client searches another's thread", mine.portal, http.MethodGet,
				"/messages/search?q=private&client_id=" + theirs.client.ID},
			{"guessed message id", mine.portal, http.MethodPost,
				"/messages/" + store.NewID() + "/read"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do(t, call{method: tc.method, path: tc.path, token: tc.token})
				wantError(t, res, http.StatusNotFound, "not_found", "")
			})
		}

		// Searching everything finds only one's own messages.
		for _, token := range []string{mine.pro.token, mine.portal, siblingToken} {
			res := e.do(t, call{method: http.MethodGet, path: "/messages/search?q=private",
				token: token})
			wantStatus(t, res, http.StatusOK)
			if found := decode[struct {
				Items []messageOut `json:"items"`
			}](t, res).Items; len(found) != 0 {
				t.Errorf("search found someone else's messages: %+v", found)
			}
		}
		if got := e.threads(t, siblingToken); len(got) != 1 || got[0].ClientID != sibling.ID ||
			got[0].LastMessageAt != nil {
			t.Errorf("sibling's threads = %+v", got)
		}

		// Search input is checked before anything is searched.
		for _, path := range []string{"/messages/search", "/messages/search?q=%20",
			"/messages/search?q=a&client_id=nope"} {
			res := e.do(t, call{method: http.MethodGet, path: path, token: mine.pro.token,
				broken: true})
			if res.status != http.StatusUnprocessableEntity && res.status != http.StatusNotFound {
				t.Errorf("%s: %d %s", path, res.status, res.body)
			}
		}
		res := e.do(t, call{method: http.MethodGet, path: "/messages/search?q=a&html=1",
			token: mine.pro.token, broken: true})
		wantError(t, res, http.StatusBadRequest, "unknown_parameter", "html")
	})
}

// TestRetract: the sender may retract an unread message within five
// minutes, leaving a marker; not once it is read, not later, not the
// recipient.
func TestRetract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, options{})
		th := e.newThread(t, "pro@example.test")
		retract := func(token, id string) response {
			t.Helper()
			return e.do(t, call{method: http.MethodPost, path: "/messages/" + id + "/retract",
				token: token})
		}

		oops := e.send(t, th.pro.token, th.client.ID, "wrong client, sorry")
		wantError(t, retract(th.portal, oops.ID), http.StatusConflict, "cannot_retract", "")
		wantStatus(t, retract(th.pro.token, oops.ID), http.StatusNoContent)
		wantError(t, retract(th.pro.token, oops.ID), http.StatusConflict, "cannot_retract", "")

		read := e.send(t, th.pro.token, th.client.ID, "see you soon")
		wantStatus(t, e.do(t, call{method: http.MethodPost, path: "/messages/" + read.ID + "/read",
			token: th.portal}), http.StatusOK)
		wantError(t, retract(th.pro.token, read.ID), http.StatusConflict, "cannot_retract", "")

		late := e.send(t, th.pro.token, th.client.ID, "too late to take back")
		e.clk.Advance(5*time.Minute + time.Second)
		wantError(t, retract(th.pro.token, late.ID), http.StatusConflict, "cannot_retract", "")

		for _, m := range e.messages(t, th.portal, th.client.ID) {
			switch m.ID {
			case oops.ID:
				if m.RetractedAt == nil || m.Body != "" {
					t.Errorf("retracted message shows %+v", m)
				}
			default:
				if m.RetractedAt != nil || m.Body == "" {
					t.Errorf("message %s lost: %+v", m.ID, m)
				}
			}
		}
	})
}
