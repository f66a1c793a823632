// Package config holds Tend's settings, read once at start from command
// line flags and TEND_* environment variables (a flag wins over its
// variable), validated, and then passed explicitly to whatever needs them.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the validated configuration of one Tend process.
type Config struct {
	Addr        string // listen address, host:port
	DataDir     string // SQLite file, .eml mail, blobs, key file
	DatabaseURL string // postgres://… or a SQLite path
	BaseURL     string // public URL used in emailed links, no trailing slash
	SMTPURL     string // smtp://user:pass@host:port or smtps://…; empty writes .eml files
	MailFrom    string // From: address for outgoing mail
	BlobURL     string // attachments: "" = DataDir/blobs, file:///dir or s3://bucket?endpoint=…
	// MaxAttachments and MaxAttachmentMB bound the files on one message.
	MaxAttachments  int
	MaxAttachmentMB int
	SecretKeyFile   string // the encryption key ring
	LogFormat       string // "text" or "json"
	LogLevel        slog.Level
	TLSCertFile     string
	TLSKeyFile      string
	Demo            bool // load demo data, allow the test clock
	// AllowPrivateFeeds lets imported calendar feeds live on loopback and
	// private networks. Off by default so a feed address cannot be used
	// to probe the internal network; demo mode turns it on.
	AllowPrivateFeeds bool
	ClockStart        time.Time // demo only: the instant the clock starts at
}

// TLS reports whether the server terminates TLS itself.
func (c Config) TLS() bool { return c.TLSCertFile != "" }

// UsesPostgres reports whether the database is PostgreSQL.
func (c Config) UsesPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") ||
		strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// Parse reads flags from args (without the program and subcommand names)
// and variables through getenv. It returns the remaining arguments. Output
// for -h and flag errors goes to out.
func Parse(name string, args []string, getenv func(string) string, out io.Writer) (Config, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}

	var c Config
	var level, clockStart, demo, allowPrivate, maxFiles, maxMB string
	fs.StringVar(&c.Addr, "addr", env("TEND_ADDR", "127.0.0.1:8080"), "listen address (TEND_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", env("TEND_DATA_DIR", "./tend-data"), "data directory (TEND_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("TEND_DATABASE_URL", ""),
		"postgres:// URL or SQLite file; default: tend.db in the data directory (TEND_DATABASE_URL)")
	fs.StringVar(&c.BaseURL, "base-url", env("TEND_BASE_URL", ""),
		"public URL for links in email; default: http://ADDR (TEND_BASE_URL)")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("TEND_SMTP_URL", ""),
		"smtp://user:pass@host:587 or smtps://…; default: write .eml files (TEND_SMTP_URL)")
	fs.StringVar(&c.MailFrom, "mail-from", env("TEND_MAIL_FROM", "Tend <no-reply@tend.localhost>"),
		"From address for mail (TEND_MAIL_FROM)")
	fs.StringVar(&c.BlobURL, "blob-url", env("TEND_BLOB_URL", ""),
		"attachment store: empty for the data directory, file:///dir, or s3://bucket?endpoint=host:9000&region=… (TEND_BLOB_URL)")
	fs.StringVar(&maxFiles, "max-attachments", env("TEND_MAX_ATTACHMENTS", "10"),
		"files allowed on one message, 1 to 50 (TEND_MAX_ATTACHMENTS)")
	fs.StringVar(&maxMB, "max-attachment-mb", env("TEND_MAX_ATTACHMENT_MB", "25"),
		"largest attachment in MiB, 1 to 1024 (TEND_MAX_ATTACHMENT_MB)")
	fs.StringVar(&c.SecretKeyFile, "secret-key-file", env("TEND_SECRET_KEY_FILE", ""),
		"encryption key ring; created with mode 0600 if absent; default: secret.keys in the data directory (TEND_SECRET_KEY_FILE)")
	fs.StringVar(&c.LogFormat, "log-format", env("TEND_LOG_FORMAT", "text"), "text or json (TEND_LOG_FORMAT)")
	fs.StringVar(&level, "log-level", env("TEND_LOG_LEVEL", "info"), "debug, info, warn or error (TEND_LOG_LEVEL)")
	fs.StringVar(&c.TLSCertFile, "tls-cert", env("TEND_TLS_CERT", ""), "TLS certificate file (TEND_TLS_CERT)")
	fs.StringVar(&c.TLSKeyFile, "tls-key", env("TEND_TLS_KEY", ""), "TLS private key file (TEND_TLS_KEY)")
	fs.StringVar(&demo, "demo", env("TEND_DEMO", "false"), "demo mode: demo data and test clock (TEND_DEMO)")
	fs.StringVar(&allowPrivate, "allow-private-feeds", env("TEND_ALLOW_PRIVATE_FEEDS", "false"),
		"let calendar feeds point at loopback or private addresses (TEND_ALLOW_PRIVATE_FEEDS)")
	fs.StringVar(&clockStart, "clock", env("TEND_CLOCK", ""),
		"demo only: start the clock at this RFC 3339 instant (TEND_CLOCK)")
	// -demo is a boolean flag that also accepts -demo=false.
	fs.Lookup("demo").DefValue = "false"
	if err := fs.Parse(normalizeBool(normalizeBool(args, "demo"), "allow-private-feeds")); err != nil {
		return Config{}, nil, err
	}

	var errs []error
	var err error
	if c.Demo, err = parseBool("--demo", demo); err != nil {
		errs = append(errs, err)
	}
	if c.AllowPrivateFeeds, err = parseBool("--allow-private-feeds", allowPrivate); err != nil {
		errs = append(errs, err)
	}
	if c.MaxAttachments, err = parseInt("--max-attachments", maxFiles, 1, 50); err != nil {
		errs = append(errs, err)
	}
	if c.MaxAttachmentMB, err = parseInt("--max-attachment-mb", maxMB, 1, 1024); err != nil {
		errs = append(errs, err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		errs = append(errs, fmt.Errorf("--log-level: %q is not debug, info, warn or error", level))
	}
	if clockStart != "" {
		t, err := time.Parse(time.RFC3339, clockStart)
		if err != nil {
			errs = append(errs, fmt.Errorf("--clock: %q is not an RFC 3339 time such as 2026-03-02T09:00:00-05:00", clockStart))
		}
		c.ClockStart = t
	}
	c.fillDefaults()
	if err := errors.Join(append(errs, c.Validate())...); err != nil {
		return Config{}, nil, err
	}
	return c, fs.Args(), nil
}

// parseBool reads a boolean flag value, naming the flag when it is not one.
func parseBool(flag, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true, nil
	case "", "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%s: %q is not true or false", flag, v)
}

// parseInt reads a whole-number flag value within [lo, hi].
func parseInt(flag, v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %q is not a whole number from %d to %d", flag, v, lo, hi)
	}
	return n, nil
}

// normalizeBool lets "--demo" stand alone, as a boolean flag, while the
// flag itself is a string so that TEND_DEMO can also set it.
func normalizeBool(args []string, name string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if a == "-"+name || a == "--"+name {
			a = "--" + name + "=true"
		}
		out = append(out, a)
	}
	return out
}

func (c *Config) fillDefaults() {
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "tend.db")
	}
	if c.SecretKeyFile == "" {
		c.SecretKeyFile = filepath.Join(c.DataDir, "secret.keys")
	}
	if c.BaseURL == "" {
		scheme := "http"
		if c.TLS() {
			scheme = "https"
		}
		c.BaseURL = scheme + "://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
}

// Validate reports every problem with the configuration at once, each
// naming the flag to fix.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr: %q is not host:port", c.Addr))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data-dir: must not be empty"))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--base-url: %q is not an http(s) URL", c.BaseURL))
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			errs = append(errs, errors.New("--smtp-url: must look like smtp://user:pass@host:587 or smtps://host:465"))
		}
	}
	if c.BlobURL != "" {
		u, err := url.Parse(c.BlobURL)
		if err != nil || (u.Scheme != "file" && u.Scheme != "s3") {
			errs = append(errs, errors.New("--blob-url: must be file:///path or s3://bucket?endpoint=host:port"))
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format: %q is not text or json", c.LogFormat))
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key must be given together"))
	}
	if !c.ClockStart.IsZero() && !c.Demo {
		errs = append(errs, errors.New("--clock: only allowed with --demo"))
	}
	return errors.Join(errs...)
}
