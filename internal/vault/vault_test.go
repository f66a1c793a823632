package vault_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tend-portal/tend/internal/vault"
)

func newRing(t testing.TB) (*vault.Ring, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secrets", "keys")
	r, err := vault.LoadOrCreate(path)
	if err != nil {
		t.Fatalf("LoadOrCreate: %v", err)
	}
	return r, path
}

func TestSealOpenRoundTrip(t *testing.T) {
	r, _ := newRing(t)
	tests := []struct {
		name      string
		plaintext []byte
	}{
		{"empty", nil},
		{"short", []byte("Client reports better sleep.")},
		{"binary", bytes.Repeat([]byte{0, 1, 2, 255}, 4096)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad := []byte(vault.Bind("notes", "body", "n1"))
			sealed, err := r.Seal(tt.plaintext, ad)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if len(tt.plaintext) > 8 && bytes.Contains(sealed, tt.plaintext[:8]) {
				t.Error("sealed value contains plaintext")
			}
			got, err := r.Open(sealed, ad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open = %q, want %q", got, tt.plaintext)
			}
		})
	}

	t.Run("nonces differ", func(t *testing.T) {
		a, _ := r.Seal([]byte("same"), nil)
		b, _ := r.Seal([]byte("same"), nil)
		if bytes.Equal(a, b) {
			t.Error("two seals of the same value are identical")
		}
	})
}

func TestOpenRejects(t *testing.T) {
	r, _ := newRing(t)
	other, _ := newRing(t)
	ad := vault.Bind("messages", "body", "m1")
	sealed, err := r.SealString("see you Tuesday", ad)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := r.Seal([]byte("see you Tuesday"), []byte(ad))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		open func() error
	}{
		{"other row", func() error {
			_, err := r.OpenString(sealed, vault.Bind("messages", "body", "m2"))
			return err
		}},
		{"other column", func() error {
			_, err := r.OpenString(sealed, vault.Bind("messages", "subject", "m1"))
			return err
		}},
		{"other ring", func() error {
			_, err := other.OpenString(sealed, ad)
			return err
		}},
		{"not base64", func() error {
			_, err := r.OpenString("%%%", ad)
			return err
		}},
		{"truncated", func() error {
			_, err := r.Open(raw[:len(raw)-1], []byte(ad))
			return err
		}},
		{"too short", func() error {
			_, err := r.Open(raw[:3], []byte(ad))
			return err
		}},
		{"bad version", func() error {
			c := bytes.Clone(raw)
			c[0] = 9
			_, err := r.Open(c, []byte(ad))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.open(); !errors.Is(err, vault.ErrDecrypt) {
				t.Errorf("error = %v, want ErrDecrypt", err)
			}
		})
	}
}

func TestTamperedByteFails(t *testing.T) {
	r, _ := newRing(t)
	ad := []byte(vault.Bind("notes", "body", "n1"))
	sealed, err := r.Seal([]byte("a confidential note"), ad)
	if err != nil {
		t.Fatal(err)
	}
	// Flipping any single byte, header included, must be detected.
	for i := range sealed {
		c := bytes.Clone(sealed)
		c[i] ^= 0x01
		if _, err := r.Open(c, ad); !errors.Is(err, vault.ErrDecrypt) {
			t.Fatalf("byte %d flipped: error = %v, want ErrDecrypt", i, err)
		}
	}
}

func TestRotate(t *testing.T) {
	r1, path := newRing(t)
	ad := vault.Bind("forms", "answers", "f1")
	old, err := r1.SealString("answers before rotation", ad)
	if err != nil {
		t.Fatal(err)
	}
	tokenKey := r1.Subkey("session-token")

	newID, err := vault.Rotate(path)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if newID == r1.PrimaryID() {
		t.Fatalf("Rotate returned the old primary id %q", newID)
	}
	assertMode(t, path, 0o600)

	r2, err := vault.LoadOrCreate(path)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	if got := r2.PrimaryID(); got != newID {
		t.Errorf("PrimaryID = %q, want %q", got, newID)
	}
	if ids := r2.KeyIDs(); len(ids) != 2 || ids[0] != r1.PrimaryID() {
		t.Errorf("KeyIDs = %v, want [%s %s]", ids, r1.PrimaryID(), newID)
	}

	got, err := r2.OpenString(old, ad)
	if err != nil || got != "answers before rotation" {
		t.Errorf("old value after rotation = %q, %v", got, err)
	}
	sealed, err := r2.Seal([]byte("after"), []byte(ad))
	if err != nil {
		t.Fatal(err)
	}
	if id, err := vault.KeyID(sealed); err != nil || id != newID {
		t.Errorf("new value key id = %q, %v; want %q", id, err, newID)
	}
	if _, err := r1.Open(sealed, []byte(ad)); !errors.Is(err, vault.ErrDecrypt) {
		t.Errorf("old ring opened a value sealed under the new key: %v", err)
	}
	if !bytes.Equal(r2.Subkey("session-token"), tokenKey) {
		t.Error("Subkey changed across rotation")
	}
}

func TestSubkey(t *testing.T) {
	r, path := newRing(t)
	a, b := r.Subkey("session-token"), r.Subkey("reset-token")
	if len(a) != 32 || len(b) != 32 {
		t.Fatalf("subkey lengths %d, %d; want 32", len(a), len(b))
	}
	if bytes.Equal(a, b) {
		t.Error("different purposes gave the same subkey")
	}
	again, err := vault.LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Subkey("session-token"), a) {
		t.Error("subkey differs after reloading the same file")
	}
	other, _ := newRing(t)
	if bytes.Equal(other.Subkey("session-token"), a) {
		t.Error("two rings gave the same subkey")
	}
}

func TestKeyFileCreatedPrivate(t *testing.T) {
	_, path := newRing(t)
	assertMode(t, path, 0o600)
	assertMode(t, filepath.Dir(path), 0o700)
}

func TestKeyFilePermissionRefused(t *testing.T) {
	_, path := newRing(t)
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := vault.LoadOrCreate(path)
		if err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %#o: error = %v, want a chmod 600 hint", mode, err)
		}
		if _, err := vault.Rotate(path); err == nil {
			t.Errorf("mode %#o: Rotate accepted the file", mode)
		}
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.LoadOrCreate(path); err != nil {
		t.Errorf("after chmod 600: %v", err)
	}
}

func TestKeyFileMalformed(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"empty", "# nothing here\n", "no keys"},
		{"fields", "k1 2026-01-01\n", "line 1"},
		{"bad id", "k/1 2026-01-01 " + strings.Repeat("A", 44) + "\n", "key id"},
		{"bad date", "k1 yesterday " + strings.Repeat("A", 44) + "\n", "created date"},
		{"short key", "k1 2026-01-01 AAAA\n", "bytes"},
		{"duplicate", "k1 2026-01-01 " + strings.Repeat("A", 43) + "=\n" +
			"k1 2026-01-02 " + strings.Repeat("B", 43) + "=\n", "duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := vault.LoadOrCreate(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestHandWrittenKeyFile(t *testing.T) {
	// The last key is primary even when written by hand.
	path := filepath.Join(t.TempDir(), "keys")
	content := "# keys\n\nold 2025-01-01 " + strings.Repeat("A", 43) + "=\n" +
		"new 2026-01-01 " + strings.Repeat("B", 43) + "=\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := vault.LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.PrimaryID() != "new" {
		t.Errorf("PrimaryID = %q, want new", r.PrimaryID())
	}
}

func TestConcurrentSeal(t *testing.T) {
	r, _ := newRing(t)
	ad := []byte(vault.Bind("messages", "body", "m1"))
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				msg := []byte(strings.Repeat("x", i))
				sealed, err := r.Seal(msg, ad)
				if err != nil {
					errs <- err
					return
				}
				got, err := r.Open(sealed, ad)
				if err != nil || !bytes.Equal(got, msg) {
					errs <- errors.Join(errors.New("round trip failed"), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func assertMode(t testing.TB, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s mode = %#o, want %#o", path, got, want)
	}
}
