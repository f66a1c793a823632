package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/vault"
)

func TestKeysRotateReencryptsMessages(t *testing.T) {
	in := newInstance(t)
	in.must(t, exitOK, "migrate", "up")
	in.must(t, exitOK, "demo") // creates the key ring and clients
	ctx := context.Background()
	keyFile := filepath.Join(in.dir, "secret.keys")
	ring, err := vault.LoadOrCreate(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	db := in.openDB(t)
	var providerID, clientID string
	if err := db.Reader().QueryRowContext(ctx, `SELECT provider_id, id FROM clients LIMIT 1`).
		Scan(&providerID, &clientID); err != nil {
		t.Fatal(err)
	}
	id := store.NewID()
	sealed, err := ring.SealString("before rotation", vault.Bind("messages", "body", id))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().ExecContext(ctx, `INSERT INTO messages (id, provider_id, client_id,
		sender, body_sealed, sent_at) VALUES ($1, $2, $3, 'provider', $4, $5)`,
		id, providerID, clientID, sealed, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}

	// The demo data has conversations of its own; every body is re-sealed.
	var total int
	if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM messages`).
		Scan(&total); err != nil {
		t.Fatal(err)
	}
	out := in.must(t, exitOK, "keys", "rotate").stdout
	if want := fmt.Sprintf("re-encrypted %d ", total); !strings.Contains(out, want) {
		t.Fatalf("rotate printed %q, want it to say %q", out, want)
	}
	newID := strings.Fields(out)[3]
	if err := db.Reader().QueryRowContext(ctx, `SELECT body_sealed FROM messages WHERE id = $1`,
		id).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(sealed)
	if got, _ := vault.KeyID(raw); got != newID {
		t.Fatalf("body under key %q after rotate, want %q", got, newID)
	}
	ring, err = vault.LoadOrCreate(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if body, err := ring.OpenString(sealed, vault.Bind("messages", "body", id)); err != nil ||
		body != "before rotation" {
		t.Fatalf("body after rotate = %q, %v", body, err)
	}
	if out := in.must(t, exitOK, "keys", "reencrypt").stdout; !strings.Contains(out, "re-encrypted 0 ") {
		t.Fatalf("reencrypt with nothing to do printed %q", out)
	}
}

func TestKeysRotateWithoutDatabase(t *testing.T) {
	in := newInstance(t)
	in.must(t, exitOK, "demo") // creates the key ring
	in.env["TEND_DATABASE_URL"] = "postgres://tend@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"
	r := in.must(t, exitFailure, "keys", "rotate")
	if !strings.Contains(r.stdout, "new primary key") ||
		!strings.Contains(r.stderr, "tend keys reencrypt") {
		t.Fatalf("rotate without a database: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(in.dir, "secret.keys"))
	if err != nil {
		t.Fatal(err)
	}
	if id := strings.Fields(r.stdout)[3]; !strings.Contains(string(data), id) {
		t.Fatalf("the new key %s is not in the key file", id)
	}
}
