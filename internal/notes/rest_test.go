package notes_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tend-portal/tend/internal/notes"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
)

func TestEncryptedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		const secret = "Discussed the divorce and panic attacks"
		n := f.signed(t, secret)
		if _, err := f.svc.AddAddendum(ctx, f.me, n.ID, "Addendum: insomnia returned"); err != nil {
			t.Fatalf("AddAddendum: %v", err)
		}

		var content, text string
		row := db.Reader().QueryRowContext(ctx,
			`SELECT content FROM notes WHERE id = $1`, n.ID)
		if err := row.Scan(&content); err != nil {
			t.Fatalf("read content: %v", err)
		}
		row = db.Reader().QueryRowContext(ctx,
			`SELECT text FROM note_addenda WHERE note_id = $1`, n.ID)
		if err := row.Scan(&text); err != nil {
			t.Fatalf("read addendum: %v", err)
		}
		for _, raw := range []string{content, text} {
			for _, plain := range []string{"divorce", "insomnia", "subjective", "Weekly"} {
				if strings.Contains(raw, plain) {
					t.Errorf("stored value holds %q in the clear", plain)
				}
			}
		}

		// A sealed value moved into another note's row does not open.
		other := f.soap(t, "other")
		exec(t, db, `UPDATE notes SET content = $1 WHERE id = $2`, content, other.ID)
		if _, err := f.svc.Get(ctx, f.me, other.ID); err == nil || isNotFound(err) {
			t.Errorf("Get of a note holding another note's ciphertext: err = %v", err)
		}
	})
}

func TestSignedContentTamperDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		signed := f.signed(t, "the signed text")
		draft := f.soap(t, "different text")

		// Re-encryption may replace the sealed content of a signed note;
		// content that differs from what was signed must not be shown.
		var content string
		if err := db.Reader().QueryRowContext(ctx,
			`SELECT content FROM notes WHERE id = $1`, draft.ID).Scan(&content); err != nil {
			t.Fatalf("read content: %v", err)
		}
		exec(t, db, `UPDATE notes SET content = $1 WHERE id = $2`, content, signed.ID)
		if _, err := f.svc.Get(ctx, f.me, signed.ID); err == nil {
			t.Error("Get returned a signed note whose content was swapped")
		}
	})
}

func TestContentHash(t *testing.T) {
	base := notes.Note{ID: "n1", ClientID: "c1", Template: "dap",
		Fields: map[string]string{"data": "d", "assessment": "a", "plan": "p"}}
	same := base
	same.Fields = map[string]string{"plan": "p", "data": "d", "assessment": "a"}
	same.Status, same.Version = notes.StatusSigned, 7

	h := notes.ContentHash(base)
	if len(h) != 64 || strings.ToLower(h) != h {
		t.Fatalf("hash %q is not lowercase hex SHA-256", h)
	}
	if notes.ContentHash(same) != h {
		t.Error("the same content in another map order or state hashes differently")
	}

	change := func(edit func(n *notes.Note)) notes.Note {
		n := base
		n.Fields = map[string]string{"data": "d", "assessment": "a", "plan": "p"}
		edit(&n)
		return n
	}
	tests := []struct {
		name string
		note notes.Note
	}{
		{"section text", change(func(n *notes.Note) { n.Fields["plan"] = "p2" })},
		{"text moved between sections", change(func(n *notes.Note) {
			n.Fields["data"], n.Fields["assessment"] = "da", ""
		})},
		{"note id", change(func(n *notes.Note) { n.ID = "n2" })},
		{"client", change(func(n *notes.Note) { n.ClientID = "c2" })},
		{"appointment", change(func(n *notes.Note) { n.AppointmentID = "a1" })},
		{"template", change(func(n *notes.Note) { n.Template = "soap" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if notes.ContentHash(tt.note) == h {
				t.Error("hash did not change")
			}
		})
	}
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	err := db.Reader().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM `+table).Scan(&n)
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func TestClinician(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		exec(t, db, `UPDATE providers SET credentials = 'LMFT', npi = '1234567893'
			WHERE id = $1`, f.me.ProviderID)
		c, err := f.svc.Clinician(ctx, f.me)
		if err != nil {
			t.Fatalf("Clinician: %v", err)
		}
		if c.Name() != "Ana Rivera, LMFT" || c.NPI != "1234567893" ||
			c.TimeZone != "America/New_York" {
			t.Errorf("Clinician = %+v, name %q", c, c.Name())
		}
		client := f.me
		client.Role, client.ProviderID, client.ClientID = "client", "", f.client
		if _, err := f.svc.Clinician(ctx, client); !isNotFound(err) {
			t.Errorf("Clinician for a client: err = %v, want store.ErrNotFound", err)
		}
	})
}
