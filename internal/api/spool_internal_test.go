package api

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"testing"
)

// TestSpool: files come back as they went in across chunk boundaries,
// only ciphertext reaches the disk, the limit stops reading, an altered
// file fails to open and close removes everything.
func TestSpool(t *testing.T) {
	dir := t.TempDir()
	sp, err := newSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, 3*spoolChunk+17)
	if _, err := rand.Read(want); err != nil {
		t.Fatal(err)
	}
	copy(want, "%PDF-1.4 a recognisable plaintext header")
	if err := sp.add("a.pdf", bytes.NewReader(want), int64(len(want))); err != nil {
		t.Fatalf("add: %v", err)
	}
	if err := sp.add("empty.txt", bytes.NewReader(nil), 10); err != nil {
		t.Fatalf("add empty: %v", err)
	}

	raw, err := os.ReadFile(sp.files[0].path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("%PDF-1.4")) {
		t.Error("plaintext on disk")
	}
	for i, w := range [][]byte{want, nil} {
		rc, err := sp.open(i)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil || !bytes.Equal(got, w) {
			t.Errorf("file %d: read %d bytes (%v), want %d", i, len(got), err, len(w))
		}
	}

	// Over the limit: stops after the first chunk past it.
	src := &io.LimitedReader{R: rand.Reader, N: 10 * spoolChunk}
	if err := sp.add("big.bin", src, spoolChunk); !errors.Is(err, errSpoolTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	if read := 10*spoolChunk - src.N; read > 2*spoolChunk {
		t.Errorf("read %d bytes past a %d-byte limit", read, spoolChunk)
	}

	// One flipped bit fails authentication.
	raw[len(raw)-1] ^= 1
	if err := os.WriteFile(sp.files[0].path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	rc, err := sp.open(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(rc); err == nil {
		t.Error("an altered spool file opened")
	}
	_ = rc.Close()

	sp.close()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%d files left after close", len(left))
	}
}
