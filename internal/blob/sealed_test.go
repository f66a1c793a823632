package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/vault"
)

const (
	headerSize = 10
	sealedSeg  = blob.SegmentSize + 16
)

// sealedFile stores 3.5 segments under key "obj" and returns the store,
// the data file's path and the plaintext.
func sealedFile(t *testing.T) (*blob.SealedStore, string, []byte) {
	t.Helper()
	ring, _ := newRing(t)
	root := filepath.Join(t.TempDir(), "blobs")
	fs, err := blob.NewFS(root)
	if err != nil {
		t.Fatal(err)
	}
	s := blob.Sealed(fs, ring)
	plain, _ := io.ReadAll(&patternReader{n: 3*blob.SegmentSize + blob.SegmentSize/2})
	if _, err := s.Put(context.Background(), "obj", bytes.NewReader(plain)); err != nil {
		t.Fatal(err)
	}
	return s, filepath.Join(root, "obj"), plain
}

func readAll(s *blob.SealedStore, key string) ([]byte, error) {
	rc, err := s.Get(context.Background(), key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestSealedDetectsTampering(t *testing.T) {
	seg := func(data []byte, i int) []byte {
		start := headerSize + i*sealedSeg
		return append([]byte(nil), data[start:min(start+sealedSeg, len(data))]...)
	}
	tests := []struct {
		name   string
		change func(data []byte) []byte
	}{
		{"flipped byte", func(d []byte) []byte { d[headerSize+sealedSeg+5] ^= 1; return d }},
		{"flipped tag byte", func(d []byte) []byte { d[len(d)-1] ^= 0x80; return d }},
		{"cut at a segment boundary", func(d []byte) []byte { return d[:headerSize+3*sealedSeg] }},
		{"cut inside a segment", func(d []byte) []byte { return d[:headerSize+sealedSeg+100] }},
		{"cut to the header", func(d []byte) []byte { return d[:headerSize] }},
		{"segments swapped", func(d []byte) []byte {
			out := append([]byte(nil), d[:headerSize]...)
			out = append(out, seg(d, 1)...)
			out = append(out, seg(d, 0)...)
			return append(out, d[headerSize+2*sealedSeg:]...)
		}},
		{"segment repeated", func(d []byte) []byte {
			out := append([]byte(nil), d[:headerSize+sealedSeg]...)
			return append(append(out, seg(d, 0)...), d[headerSize+sealedSeg:]...)
		}},
		{"data appended", func(d []byte) []byte { return append(d, seg(d, 1)...) }},
		{"segment size changed", func(d []byte) []byte { d[headerSize-2] = 0x80; return d }},
		{"magic changed", func(d []byte) []byte { d[0] = 'X'; return d }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path, plain := sealedFile(t)
			if got, err := readAll(s, "obj"); err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("untouched object: %v", err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.change(data), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := readAll(s, "obj")
			if !errors.Is(err, blob.ErrTampered) {
				t.Fatalf("read after %s = %d bytes, %v; want ErrTampered", tt.name, len(got), err)
			}
		})
	}
}

func TestSealedBindsKey(t *testing.T) {
	s, path, _ := sealedFile(t)
	dir := filepath.Dir(path)
	for _, name := range []string{"obj", "obj.dek"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		moved := "other" + name[len("obj"):]
		if err := os.WriteFile(filepath.Join(dir, moved), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := readAll(s, "other"); !errors.Is(err, blob.ErrTampered) {
		t.Fatalf("object copied to another key: %v, want ErrTampered", err)
	}
	if _, err := s.Put(context.Background(), "x.dek", bytes.NewReader(nil)); !errors.Is(err, blob.ErrInvalidKey) {
		t.Fatalf("Put on a reserved .dek key = %v, want ErrInvalidKey", err)
	}
	if _, err := readAll(s, "missing"); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("missing sealed object: %v, want ErrNotFound", err)
	}
}

// TestSealedRewrap rotates the ring and checks that Rewrap moves the data
// key under the new primary key without rewriting the data.
func TestSealedRewrap(t *testing.T) {
	ctx := context.Background()
	oldRing, keyFile := newRing(t)
	root := filepath.Join(t.TempDir(), "blobs")
	fs, err := blob.NewFS(root)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(&patternReader{n: 200_000})
	if _, err := blob.Sealed(fs, oldRing).Put(ctx, "obj", bytes.NewReader(plain)); err != nil {
		t.Fatal(err)
	}
	dataBefore, err := os.ReadFile(filepath.Join(root, "obj"))
	if err != nil {
		t.Fatal(err)
	}
	newID, err := vault.Rotate(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	newRing, err := vault.LoadOrCreate(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	s := blob.Sealed(fs, newRing)
	if id, err := s.KeyID(ctx, "obj"); err != nil || id != oldRing.PrimaryID() {
		t.Fatalf("KeyID before rewrap = %q, %v; want the old key", id, err)
	}
	if changed, err := s.Rewrap(ctx, "obj"); err != nil || !changed {
		t.Fatalf("Rewrap = %v, %v; want true", changed, err)
	}
	if id, err := s.KeyID(ctx, "obj"); err != nil || id != newID {
		t.Fatalf("KeyID after rewrap = %q, %v; want %q", id, err, newID)
	}
	if changed, err := s.Rewrap(ctx, "obj"); err != nil || changed {
		t.Fatalf("second Rewrap = %v, %v; want false", changed, err)
	}
	dataAfter, err := os.ReadFile(filepath.Join(root, "obj"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(dataBefore, dataAfter) {
		t.Fatal("Rewrap rewrote the data object")
	}
	if got, err := readAll(s, "obj"); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("read after rewrap: %v", err)
	}
	// The old ring lacks the new key: it can no longer open the object.
	if _, err := readAll(blob.Sealed(fs, oldRing), "obj"); !errors.Is(err, blob.ErrTampered) {
		t.Fatalf("old ring after rewrap: %v, want ErrTampered", err)
	}
}
