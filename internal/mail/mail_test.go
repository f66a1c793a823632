package mail_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/jobs"
	"github.com/tend-portal/tend/internal/mail"
	"github.com/tend-portal/tend/internal/store"
	"github.com/tend-portal/tend/internal/store/storetest"
	"github.com/tend-portal/tend/internal/vault"
)

const (
	baseURL   = "https://portal.example.test"
	recipient = "someone@example.test"
	resetLink = baseURL + "/reset/tok123"
	footer    = "This message was sent by Tend. Do not reply with health information."
)

// harness wires jobs and mail the way the app does.
type harness struct {
	db     *store.DB
	clock  *clock.Test
	queue  *jobs.Queue
	outbox *mail.Outbox
	reg    *prometheus.Registry
	logs   *lockedBuffer
	ring   *vault.Ring
}

func newHarness(t *testing.T, db *store.DB, cfg config.Config) *harness {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate jobs: %v", err)
	}
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	if cfg.MailFrom == "" {
		cfg.MailFrom = "Tend <no-reply@tend.example.test>"
	}
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	sender, err := mail.NewSender(cfg, logger)
	if err != nil {
		t.Fatalf("new sender: %v", err)
	}

	h := &harness{db: db, clock: clock.NewFrozen(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)),
		reg: prometheus.NewRegistry(), logs: logs}
	workers := river.NewWorkers()
	ring, err := vault.LoadOrCreate(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatalf("key ring: %v", err)
	}
	h.ring = ring
	mail.Register(workers, sender, ring, baseURL, h.reg)
	h.queue, err = jobs.New(jobs.Config{DB: db, Clock: h.clock, Logger: logger,
		Workers: workers, Registerer: h.reg})
	if err != nil {
		t.Fatalf("new queue: %v", err)
	}
	h.outbox = mail.NewOutbox(h.queue, ring)
	if err := h.queue.Start(ctx); err != nil {
		t.Fatalf("start queue: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := h.queue.Stop(ctx); err != nil {
			t.Errorf("stop queue: %v", err)
		}
	})
	return h
}

func (h *harness) enqueue(t *testing.T, m mail.Message) {
	t.Helper()
	err := h.db.InTx(context.Background(), func(tx *sql.Tx) error {
		return h.outbox.Enqueue(context.Background(), tx, m)
	})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

func (h *harness) runDue(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := h.queue.RunDue(ctx); err != nil {
		t.Fatalf("run due: %v", err)
	}
}

// count reads a mail counter for one template.
func (h *harness) count(t *testing.T, name, template string) float64 {
	t.Helper()
	mfs, err := h.reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "template" && l.GetValue() == template {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func resetMessage() mail.Message {
	return mail.Message{To: "Someone <" + recipient + ">", Template: "password_reset",
		Data: map[string]string{"Link": resetLink}}
}

func TestDeliveredOverSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := startSMTP(t, "127.0.0.1:0", "tend", "s3cret")
		h := newHarness(t, db, config.Config{SMTPURL: "smtp://tend:s3cret@" + srv.addr})

		h.enqueue(t, resetMessage())
		h.runDue(t)

		msgs := srv.messages()
		if len(msgs) != 1 {
			t.Fatalf("server received %d messages, want 1", len(msgs))
		}
		got := msgs[0]
		if got.User != "tend" || got.From != "no-reply@tend.example.test" ||
			len(got.To) != 1 || got.To[0] != recipient {
			t.Errorf("envelope: auth=%q from=%q to=%q", got.User, got.From, got.To)
		}
		p := parseMail(t, got.Data)
		if p.Subject != "Reset your Tend password" {
			t.Errorf("Subject = %q", p.Subject)
		}
		if to := p.Header.Get("To"); !strings.Contains(to, recipient) || strings.Contains(to, "Someone") {
			t.Errorf("To = %q, want the bare address", to)
		}
		if !strings.Contains(p.Header.Get("From"), "no-reply@tend.example.test") {
			t.Errorf("From = %q", p.Header.Get("From"))
		}
		if p.Header.Get("Message-Id") == "" {
			t.Error("no Message-ID")
		}
		for part, body := range map[string]string{"text": p.Text, "html": p.HTML} {
			if !strings.Contains(body, resetLink) || !strings.Contains(body, footer) {
				t.Errorf("%s part lacks the link or the footer:\n%s", part, body)
			}
		}
		if !strings.Contains(p.HTML, `href="`+resetLink+`"`) {
			t.Errorf("html part has no link to %s", resetLink)
		}
		if n := h.count(t, "tend_mail_sent_total", "password_reset"); n != 1 {
			t.Errorf("tend_mail_sent_total = %v, want 1", n)
		}
		logs := h.logs.String()
		if !strings.Contains(logs, "template=password_reset") || strings.Contains(logs, recipient) ||
			strings.Contains(logs, "tok123") {
			t.Errorf("logs must name the template and hide the recipient and link:\n%s", logs)
		}
	})
}

func TestSMTPOutageIsRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addr := freeAddr(t)
		h := newHarness(t, db, config.Config{SMTPURL: "smtp://" + addr})

		h.enqueue(t, resetMessage())
		h.runDue(t) // the server is down: the attempt fails
		if n := h.count(t, "tend_mail_failed_total", "password_reset"); n != 1 {
			t.Fatalf("tend_mail_failed_total = %v, want 1", n)
		}
		if depth, err := h.queue.Depth(context.Background()); err != nil || depth != 1 {
			t.Fatalf("depth = %d (%v), want 1 job waiting to retry", depth, err)
		}
		if logs := h.logs.String(); strings.Contains(logs, recipient) {
			t.Errorf("a failure log names the recipient:\n%s", logs)
		}

		srv := startSMTP(t, addr, "", "")
		h.clock.Advance(time.Minute) // past the first backoff
		h.runDue(t)
		h.clock.Advance(time.Hour)
		h.runDue(t)

		if msgs := srv.messages(); len(msgs) != 1 {
			t.Fatalf("server received %d messages, want exactly 1", len(msgs))
		}
		if n := h.count(t, "tend_mail_sent_total", "password_reset"); n != 1 {
			t.Errorf("tend_mail_sent_total = %v, want 1", n)
		}
		if depth, _ := h.queue.Depth(context.Background()); depth != 0 {
			t.Errorf("depth = %d after delivery, want 0", depth)
		}
	})
}

func TestWithoutSMTPWritesEML(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, storetest.SQLite(t), config.Config{DataDir: dir})

	h.enqueue(t, mail.Message{To: recipient, Template: "sign_in_link",
		Data: map[string]string{"Link": baseURL + "/login/link/abc"}})
	h.runDue(t)

	files, err := filepath.Glob(filepath.Join(dir, "mail", "*.eml"))
	if err != nil || len(files) != 1 {
		t.Fatalf("found %d .eml files (%v), want 1", len(files), err)
	}
	info, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode = %v, want 0600", perm)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	p := parseMail(t, raw)
	if p.Subject != "Your Tend sign-in link" || !strings.Contains(p.Header.Get("To"), recipient) {
		t.Errorf("Subject = %q, To = %q", p.Subject, p.Header.Get("To"))
	}
	if !strings.Contains(p.Text, baseURL+"/login/link/abc") {
		t.Errorf("text part lacks the link:\n%s", p.Text)
	}
	if n := h.count(t, "tend_mail_sent_total", "sign_in_link"); n != 1 {
		t.Errorf("tend_mail_sent_total = %v, want 1", n)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "mail written to file") ||
		strings.Contains(logs, recipient) {
		t.Errorf("logs must record the file and hide the recipient:\n%s", logs)
	}
}

func TestRolledBackMailIsNotSent(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, storetest.SQLite(t), config.Config{DataDir: dir})
	rejected := errors.New("change rejected")
	err := h.db.InTx(context.Background(), func(tx *sql.Tx) error {
		if err := h.outbox.Enqueue(context.Background(), tx, resetMessage()); err != nil {
			return err
		}
		return rejected
	})
	if !errors.Is(err, rejected) {
		t.Fatalf("InTx = %v, want %v", err, rejected)
	}
	h.runDue(t)
	if files, _ := filepath.Glob(filepath.Join(dir, "mail", "*.eml")); len(files) != 0 {
		t.Errorf("found %d .eml files after a rollback, want none", len(files))
	}
}

func TestEnqueueRejectsBadMessages(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t), config.Config{})
	link := map[string]string{"Link": resetLink}
	tests := []struct {
		name string
		msg  mail.Message
		want string
	}{
		{"bad address", mail.Message{To: "not an address", Template: "password_reset", Data: link},
			"not a valid email address"},
		{"unknown template", mail.Message{To: recipient, Template: "nope", Data: link},
			"unknown template"},
		{"missing link", mail.Message{To: recipient, Template: "password_reset"},
			"Link"},
		{"relative link", mail.Message{To: recipient, Template: "password_reset",
			Data: map[string]string{"Link": "/reset/x"}}, "full http(s) URL"},
		{"reserved key", mail.Message{To: recipient, Template: "password_reset",
			Data: map[string]string{"Link": resetLink, "Subject": "x"}}, "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.outbox.Enqueue(context.Background(), nil, tt.msg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Enqueue error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if depth, err := h.queue.Depth(context.Background()); err != nil || depth != 0 {
		t.Errorf("depth = %d (%v), want nothing queued", depth, err)
	}
}

func TestNewSenderRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  config.Config
	}{
		{"bad from", config.Config{MailFrom: "nobody", DataDir: t.TempDir()}},
		{"bad scheme", config.Config{MailFrom: "a@b.test", SMTPURL: "http://host:25"}},
		{"bad port", config.Config{MailFrom: "a@b.test", SMTPURL: "smtp://host:port"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := mail.NewSender(tt.cfg, nil); err == nil {
				t.Error("NewSender succeeded, want an error")
			}
		})
	}
}
