package mail

import (
	"context"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/tend-portal/tend/internal/store"
)

// smtpSender delivers over SMTP with go-mail, one connection per message.
type smtpSender struct {
	from   *netmail.Address
	host   string
	opts   []gomail.Option
	logger *slog.Logger
}

// newSMTPSender reads an smtp:// or smtps:// URL. smtp:// (port 587 by
// default) upgrades with STARTTLS when the server offers it and goes on
// in plain text when it does not; smtps:// (port 465) is implicit TLS.
// user:pass in the URL turns on SMTP AUTH, PLAIN or else LOGIN; go-mail
// refuses to send the password unencrypted except to localhost.
func newSMTPSender(raw string, from *netmail.Address, logger *slog.Logger) (*smtpSender, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: SMTP URL is not smtp://host:port or smtps://host:port")
	}
	port := 587
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("mail: SMTP URL scheme %q is not smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: SMTP URL port %q is not a number", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(u.User.Username()),
			gomail.WithPassword(pass))
	}
	return &smtpSender{from: from, host: u.Hostname(), opts: opts, logger: logger}, nil
}

// Send delivers e over one SMTP connection.
func (s *smtpSender) Send(ctx context.Context, e Email) error {
	msg, err := compose(s.from, e)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: smtp client: %w", redact(err))
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: smtp delivery: %w", redact(err))
	}
	s.logger.InfoContext(ctx, "mail sent", "template", e.Template, "message_id", e.ID)
	return nil
}

// fileSender writes each message as DIR/<id>.eml.
type fileSender struct {
	from   *netmail.Address
	dir    string
	logger *slog.Logger
}

func newFileSender(dir string, from *netmail.Address, logger *slog.Logger) (*fileSender, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail: create mail directory: %w", err)
	}
	return &fileSender{from: from, dir: dir, logger: logger}, nil
}

// Send writes e to a new file, readable by its owner only: mail holds
// addresses and single-use links. A retry rewrites the same file.
func (s *fileSender) Send(ctx context.Context, e Email) error {
	if !store.ValidID(e.ID) {
		return fmt.Errorf("mail: message id %q is not a Tend id", e.ID)
	}
	msg, err := compose(s.from, e)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("mail: create mail file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("mail: write mail file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mail: write mail file: %w", err)
	}
	path := filepath.Join(s.dir, e.ID+".eml")
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("mail: save mail file: %w", err)
	}
	s.logger.InfoContext(ctx, "mail written to file", "template", e.Template,
		"message_id", e.ID, "path", path)
	return nil
}
