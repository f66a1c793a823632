package blob

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Open returns the Store a --blob-url names:
//
//   - "" : the filesystem under dataDir/blobs;
//   - "file:///abs/dir" : the filesystem under that directory;
//   - "s3://bucket?endpoint=host:port&region=…&access_key=…&secret_key=…&insecure=true&prefix=…" :
//     an S3-compatible bucket. Missing access_key and secret_key come from
//     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; a missing endpoint is
//     AWS ("s3.amazonaws.com"); insecure=true uses plain HTTP. Open
//     creates the bucket if it does not exist.
//
// The store is not encrypted; wrap it with Sealed.
func Open(ctx context.Context, rawURL, dataDir string) (Store, error) {
	if rawURL == "" {
		if dataDir == "" {
			return nil, fmt.Errorf("blob: no blob URL and no data directory")
		}
		return NewFS(filepath.Join(dataDir, "blobs"))
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("blob: parse blob URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		if u.Path == "" {
			return nil, fmt.Errorf("blob: file URL needs a path, e.g. file:///var/lib/tend/blobs")
		}
		return NewFS(u.Path)
	case "s3":
		cfg, err := s3ConfigFromURL(u)
		if err != nil {
			return nil, err
		}
		s, err := NewS3(cfg)
		if err != nil {
			return nil, err
		}
		if err := s.EnsureBucket(ctx); err != nil {
			return nil, err
		}
		return s, nil
	default:
		return nil, fmt.Errorf("blob: unsupported blob URL scheme %q (want file or s3)", u.Scheme)
	}
}

// s3ConfigFromURL reads an s3:// URL; the credentials never appear in
// its errors.
func s3ConfigFromURL(u *url.URL) (S3Config, error) {
	q := u.Query()
	cfg := S3Config{
		Bucket:    u.Host,
		Endpoint:  q.Get("endpoint"),
		Region:    q.Get("region"),
		AccessKey: q.Get("access_key"),
		SecretKey: q.Get("secret_key"),
		Prefix:    strings.Trim(q.Get("prefix"), "/"),
	}
	if cfg.Bucket == "" {
		return cfg, fmt.Errorf("blob: s3 URL needs a bucket: s3://bucket?endpoint=…")
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = "s3.amazonaws.com"
	}
	if cfg.AccessKey == "" {
		cfg.AccessKey = os.Getenv("AWS_ACCESS_KEY_ID")
	}
	if cfg.SecretKey == "" {
		cfg.SecretKey = os.Getenv("AWS_SECRET_ACCESS_KEY")
	}
	if v := q.Get("insecure"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("blob: s3 URL: insecure must be true or false")
		}
		cfg.Insecure = b
	}
	return cfg, nil
}
