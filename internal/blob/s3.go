package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// s3PartSize is the multipart upload part size: the most memory one Put
// of an object of unknown length holds at a time.
const s3PartSize = 8 << 20

// S3Config says how to reach an S3-compatible bucket.
type S3Config struct {
	Endpoint  string // host:port, e.g. "s3.us-east-1.amazonaws.com" or "127.0.0.1:9000"
	Region    string // e.g. "us-east-1"; "" lets the client discover it
	Bucket    string
	AccessKey string
	SecretKey string
	Insecure  bool   // plain HTTP instead of HTTPS (local test servers)
	Prefix    string // optional key prefix inside the bucket, e.g. "tend/"

	// Transport replaces the HTTP transport (tests); nil uses the default.
	Transport http.RoundTripper
}

// S3 is a Store in an S3-compatible bucket (AWS S3, MinIO, Ceph, …),
// reached with path-style requests.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string
}

var _ Store = (*S3)(nil)

// NewS3 returns a Store over the bucket in cfg. It does not contact the
// server; EnsureBucket does.
func NewS3(cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blob: S3 store needs an endpoint and a bucket")
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		if err := ValidKey(prefix); err != nil {
			return nil, fmt.Errorf("blob: S3 prefix: %w", err)
		}
		prefix += "/"
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       !cfg.Insecure,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
		Transport:    cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: S3 client: %w", err)
	}
	return &S3{client: client, bucket: cfg.Bucket, prefix: prefix}, nil
}

// EnsureBucket checks that the bucket exists and creates it if not.
func (s *S3) EnsureBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blob: check bucket %s: %w", s.bucket, err)
	}
	if ok {
		return nil
	}
	if err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{}); err != nil {
		return fmt.Errorf("blob: create bucket %s: %w", s.bucket, err)
	}
	return nil
}

func (s *S3) object(key string) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

// Put streams r into the bucket, in multipart uploads of s3PartSize.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	name, err := s.object(key)
	if err != nil {
		return 0, err
	}
	// An empty stream would go out as an empty chunked body, which S3
	// refuses (MissingContentLength); send it with a known length.
	first := make([]byte, 1)
	k, err := io.ReadFull(r, first)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("blob: put %s: %w", key, err)
	}
	length := int64(-1)
	if k == 0 {
		length = 0
	}
	cr := &countingReader{r: io.MultiReader(bytes.NewReader(first[:k]), r)}
	_, err = s.client.PutObject(ctx, s.bucket, name, cr, length, minio.PutObjectOptions{
		PartSize:    s3PartSize,
		ContentType: "application/octet-stream",
	})
	if err != nil {
		return cr.n, fmt.Errorf("blob: put %s: %w", key, err)
	}
	return cr.n, nil
}

// Get opens the object at key; a missing object wraps ErrNotFound.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.mapErr("get", key, err)
	}
	// GetObject is lazy; Stat makes a missing object show up here.
	if _, err := obj.Stat(); err != nil {
		_ = obj.Close()
		return nil, s.mapErr("get", key, err)
	}
	return obj, nil
}

// Delete removes the object at key; S3 treats a missing one as deleted.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil {
		return s.mapErr("delete", key, err)
	}
	return nil
}

func (s *S3) mapErr(op, key string, err error) error {
	resp := minio.ToErrorResponse(err)
	if resp.Code == minio.NoSuchKey || resp.StatusCode == http.StatusNotFound && resp.Code != minio.NoSuchBucket {
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return fmt.Errorf("blob: %s %s: %w", op, key, err)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
