package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

// jobArgs returns river_job.args of every mail job, as stored.
func jobArgs(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Reader().QueryContext(context.Background(),
		`SELECT args FROM river_job WHERE kind = 'mail.send'`)
	if err != nil {
		t.Fatalf("read river_job: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatalf("scan args: %v", err)
		}
		out = append(out, string(raw))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read river_job: %v", err)
	}
	return out
}

func TestJobArgsHoldNoAddressOrToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := startSMTP(t, "127.0.0.1:0", "", "")
		h := newHarness(t, db, config.Config{SMTPURL: "smtp://" + srv.addr})

		h.enqueue(t, resetMessage())
		args := jobArgs(t, db)
		if len(args) != 1 {
			t.Fatalf("found %d mail jobs, want 1", len(args))
		}
		for _, secret := range []string{recipient, "example.test", "tok123", "/reset/"} {
			if strings.Contains(args[0], secret) {
				t.Errorf("river_job.args holds %q: %s", secret, args[0])
			}
		}
		if !strings.Contains(args[0], "password_reset") {
			t.Errorf("river_job.args lacks the template name: %s", args[0])
		}

		queued, err := mail.Queued(context.Background(), db, h.ring)
		if err != nil || len(queued) != 1 || queued[0].To != recipient ||
			queued[0].Template != "password_reset" || queued[0].Data["Link"] != resetLink {
			t.Fatalf("Queued = %+v (%v), want the reset message to the bare address", queued, err)
		}

		h.runDue(t)
		msgs := srv.messages()
		if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != recipient {
			t.Fatalf("server received %d messages, want 1 to %s", len(msgs), recipient)
		}
		if p := parseMail(t, msgs[0].Data); !strings.Contains(p.Text, resetLink) {
			t.Errorf("delivered text lacks the link:\n%s", p.Text)
		}
	})
}
