package blob_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/vault"
)

// patternReader generates n bytes of a repeating, position-dependent
// pattern without holding them: what a large upload looks like.
type patternReader struct {
	n, off int64
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	if rest := p.n - p.off; int64(len(b)) > rest {
		b = b[:rest]
	}
	for i := range b {
		x := p.off + int64(i)
		b[i] = byte(x*31 + x>>8)
	}
	p.off += int64(len(b))
	return len(b), nil
}

func digest(t *testing.T, r io.Reader) ([32]byte, int64) {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out, n
}

func newRing(t *testing.T) (*vault.Ring, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keys")
	ring, err := vault.LoadOrCreate(path)
	if err != nil {
		t.Fatalf("key ring: %v", err)
	}
	return ring, path
}

func newFS(t *testing.T) *blob.FS {
	t.Helper()
	s, err := blob.NewFS(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatalf("NewFS: %v", err)
	}
	return s
}

// newS3 starts an in-memory S3 server (gofakes3) for the test and
// returns a store on a fresh bucket in it, and the server's host:port.
func newS3(t *testing.T) (*blob.S3, *httptest.Server) {
	t.Helper()
	srv := httptest.NewTLSServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := blob.NewS3(blob.S3Config{Endpoint: u.Host, Region: "us-east-1", Bucket: "tend-test",
		AccessKey: "test-access", SecretKey: "test-secret", Prefix: "tenant",
		Transport: srv.Client().Transport})
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	if err := s.EnsureBucket(context.Background()); err != nil {
		t.Fatalf("EnsureBucket: %v", err)
	}
	return s, srv
}

// stores returns every Store under test: each backend plain and sealed.
func stores(t *testing.T) map[string]blob.Store {
	t.Helper()
	ring, _ := newRing(t)
	fs := newFS(t)
	s3, _ := newS3(t)
	return map[string]blob.Store{
		"fs": fs, "s3": s3,
		"sealed-fs": blob.Sealed(fs, ring), "sealed-s3": blob.Sealed(s3, ring),
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	sizes := []int64{0, 1, blob.SegmentSize - 1, blob.SegmentSize, blob.SegmentSize + 1,
		3*blob.SegmentSize + 17, 10 << 20}
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for _, size := range sizes {
				key := "objects/size-" + itoa(size)
				want, _ := digest(t, &patternReader{n: size})
				n, err := s.Put(ctx, key, &patternReader{n: size})
				if err != nil || n != size {
					t.Fatalf("Put %d bytes = %d, %v", size, n, err)
				}
				rc, err := s.Get(ctx, key)
				if err != nil {
					t.Fatalf("Get %d bytes: %v", size, err)
				}
				got, gotN := digest(t, rc)
				rc.Close()
				if got != want || gotN != size {
					t.Fatalf("%d bytes came back as %d different bytes", size, gotN)
				}
			}
		})
	}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestNotFoundAndDelete(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Get(ctx, "missing/object"); !errors.Is(err, blob.ErrNotFound) {
				t.Fatalf("Get missing = %v, want ErrNotFound", err)
			}
			if err := s.Delete(ctx, "missing/object"); err != nil {
				t.Fatalf("Delete missing = %v, want nil", err)
			}
			if _, err := s.Put(ctx, "a/b", strings.NewReader("hello")); err != nil {
				t.Fatalf("Put: %v", err)
			}
			if err := s.Delete(ctx, "a/b"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := s.Get(ctx, "a/b"); !errors.Is(err, blob.ErrNotFound) {
				t.Fatalf("Get deleted = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestInvalidKeysRefused(t *testing.T) {
	ctx := context.Background()
	bad := []string{"", "../escape", "a/../../b", "/etc/passwd", "a//b", "./a", "a/.",
		`a\b`, "a b", "é", strings.Repeat("a", 600)}
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for _, key := range bad {
				if _, err := s.Put(ctx, key, strings.NewReader("x")); !errors.Is(err, blob.ErrInvalidKey) {
					t.Errorf("Put(%q) = %v, want ErrInvalidKey", key, err)
				}
				if _, err := s.Get(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
					t.Errorf("Get(%q) = %v, want ErrInvalidKey", key, err)
				}
				if err := s.Delete(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
					t.Errorf("Delete(%q) = %v, want ErrInvalidKey", key, err)
				}
			}
		})
	}
}

func TestFSPermissionsAndAtomicity(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "blobs")
	s, err := blob.NewFS(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "attachments/x1", strings.NewReader("secret")); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{root: 0o700,
		filepath.Join(root, "attachments"): 0o700, filepath.Join(root, "attachments", "x1"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode = %o, want %o", path, got, want)
		}
	}
	// A failing reader leaves the old object and no temporary file.
	boom := errors.New("reader broke")
	r := io.MultiReader(strings.NewReader("partial"), errReader{boom})
	if _, err := s.Put(ctx, "attachments/x1", r); !errors.Is(err, boom) {
		t.Fatalf("Put with a failing reader = %v", err)
	}
	entries, err := os.ReadDir(filepath.Join(root, "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "x1" {
		t.Fatalf("directory holds %v, want only x1", entries)
	}
	rc, err := s.Get(ctx, "attachments/x1")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if b, _ := io.ReadAll(rc); string(b) != "secret" {
		t.Fatalf("object = %q after a failed replace", b)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestSealedStreamsWithBoundedMemory pushes 10 MB through the sealed
// filesystem store and back and checks that it never allocated anything
// near the object's size.
func TestSealedStreamsWithBoundedMemory(t *testing.T) {
	ctx := context.Background()
	ring, _ := newRing(t)
	s := blob.Sealed(newFS(t), ring)
	const size = 10 << 20
	want, _ := digest(t, &patternReader{n: size})

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := s.Put(ctx, "big", &patternReader{n: size}); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Get(ctx, "big")
	if err != nil {
		t.Fatal(err)
	}
	got, n := digest(t, rc)
	rc.Close()
	runtime.ReadMemStats(&after)
	if got != want || n != size {
		t.Fatalf("10 MB round trip came back different (%d bytes)", n)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
		t.Fatalf("round trip of 10 MB allocated %d bytes; want under 2 MiB", alloc)
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	s, err := blob.Open(ctx, "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "k", strings.NewReader("v")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "blobs", "k")); err != nil {
		t.Fatalf("default store is not under the data dir: %v", err)
	}
	other := t.TempDir()
	if s, err = blob.Open(ctx, "file://"+other, dataDir); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "k", strings.NewReader("v")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(other, "k")); err != nil {
		t.Fatalf("file:// store is not in its directory: %v", err)
	}

	// Open has no way to trust a test certificate, so it meets a plain
	// HTTP server; it must create the bucket and map a missing object.
	plain := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	defer plain.Close()
	s, err = blob.Open(ctx, "s3://fresh-bucket?endpoint="+strings.TrimPrefix(plain.URL, "http://")+
		"&region=us-east-1&access_key=a&secret_key=b&insecure=true", dataDir)
	if err != nil {
		t.Fatalf("Open s3: %v", err)
	}
	if _, err := s.Get(ctx, "k"); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("Get in the bucket Open created = %v, want ErrNotFound", err)
	}

	for _, bad := range []string{"ftp://x", "s3://?endpoint=x", "s3://b?insecure=maybe", "file://"} {
		if _, err := blob.Open(ctx, bad, dataDir); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
}
