// Package mail sends Tend's email: templated messages with an HTML body
// and a plain-text alternative, delivered by a job so that a message is
// queued in the same transaction as the change that causes it and is
// retried through an SMTP outage.
//
// With an SMTP URL configured, mail goes out over SMTP; without one,
// each message is written as an .eml file under the data directory, so
// a fresh install works and a developer can open what would have been
// sent. Mail never carries PHI: templates say that something is waiting
// and link to the portal. Logs name the template and a message id, never
// the recipient or the body.
package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"path/filepath"
	"regexp"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/tend-portal/tend/internal/config"
)

// Message is a mail to queue: who gets it, which template, and the
// values the template needs. Data holds links and non-PHI words only;
// "Link" must be a full URL built from the base URL.
type Message struct {
	To          string
	Template    string
	Data        map[string]string
	Attachments []Attachment // sealed in the job like To and Data
}

// Attachment is a file sent with a message, such as a calendar
// invitation. ContentType may carry parameters, e.g.
// "text/calendar; method=REQUEST; charset=utf-8".
type Attachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// Email is a rendered message ready for delivery.
type Email struct {
	ID       string // unique, stable across retries; the Message-ID's left part
	To       string // bare address
	Template string
	Subject  string
	Text     string
	HTML     string

	Attachments []Attachment
}

// Sender delivers rendered mail. An error means the message was not
// delivered and may be retried.
type Sender interface {
	Send(ctx context.Context, e Email) error
}

// NewSender returns an SMTP sender when cfg.SMTPURL is set and otherwise
// one that writes .eml files to DataDir/mail.
func NewSender(cfg config.Config, logger *slog.Logger) (Sender, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	from, err := netmail.ParseAddress(cfg.MailFrom)
	if err != nil {
		return nil, fmt.Errorf("mail: from address %q: %w", cfg.MailFrom, err)
	}
	if cfg.SMTPURL != "" {
		return newSMTPSender(cfg.SMTPURL, from, logger)
	}
	return newFileSender(filepath.Join(cfg.DataDir, "mail"), from, logger)
}

// compose builds the MIME message: text/plain first, text/html as its
// alternative.
func compose(from *netmail.Address, e Email) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(from.String()); err != nil {
		return nil, fmt.Errorf("mail: from: %w", err)
	}
	if err := m.To(e.To); err != nil {
		return nil, fmt.Errorf("mail: recipient address is not valid")
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(e.ID + "@" + domainOf(from.Address))
	m.SetDate()
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	for _, a := range e.Attachments {
		err := m.AttachReader(a.Filename, bytes.NewReader(a.Data),
			gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		if err != nil {
			return nil, fmt.Errorf("mail: attach %s: %w", a.Filename, err)
		}
	}
	return m, nil
}

func domainOf(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		return address[i+1:]
	}
	return "tend.localhost"
}

// emailLike matches anything shaped like an address.
var emailLike = regexp.MustCompile(`[^\s<>()\[\],;:"']+@[^\s<>()\[\],;:"']+`)

// redact returns err's text with addresses removed. SMTP replies and
// go-mail's errors name the recipient; these errors end up in River's
// logs and job rows, which must not hold them.
func redact(err error) error {
	// Not wrapped with %w on purpose: the original text is what we hide.
	return errors.New(emailLike.ReplaceAllString(err.Error(), "[address]"))
}
