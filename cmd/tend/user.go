package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/tend-portal/tend/internal/access"
	"github.com/tend-portal/tend/internal/app"
	"github.com/tend-portal/tend/internal/auth"
	"github.com/tend-portal/tend/internal/store"
)

// userFlags are the flags of the user subcommands.
type userFlags struct {
	email, role, name    string
	providerID, clientID string
	passwordStdin, print bool
}

func (f *userFlags) set(action string) *flag.FlagSet {
	fs := flag.NewFlagSet("tend user "+action, flag.ContinueOnError)
	fs.StringVar(&f.email, "email", "", "the account's email address (required)")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false,
		"read the new password from the first line of standard input")
	if action == "reset-password" {
		fs.BoolVar(&f.print, "print", false,
			"print a single-use reset link on standard output instead of emailing it")
	}
	if action == "create" {
		fs.StringVar(&f.role, "role", "", "provider, client or admin (required)")
		fs.StringVar(&f.name, "name", "", "the name shown in the portal")
		fs.StringVar(&f.providerID, "provider-id", "",
			"provider role: an existing provider profile id; default: a new profile named --name")
		fs.StringVar(&f.clientID, "client-id", "", "client role: the client record's id (required)")
	}
	return fs
}

const userHelp = `Usage:
  tend user create --email EMAIL --role provider|client|admin --name NAME [--password-stdin]
  tend user reset-password --email EMAIL [--password-stdin | --print]
  tend user disable --email EMAIL

create          adds an account; without --password-stdin the person sets a
                password through an emailed link
reset-password  sets the password read from standard input, or sends the
                person a single-use reset link (with --print: prints the
                link, for an operator without mail, and sends nothing)
disable         signs the account out everywhere and blocks sign-in

Flags of the user commands:
`

func runUser(ctx context.Context, e *env, args []string) error {
	action, args := positional(args)
	var f userFlags
	fs := f.set(action)
	own := map[string]bool{}
	fs.VisitAll(func(fl *flag.Flag) {
		_, isBool := fl.Value.(interface{ IsBoolFlag() bool })
		own[fl.Name] = !isBool
	})
	mine, args := splitFlags(args, own)
	cfg, rest, err := e.loadConfig("user", args, userHelp+flagHelp(f.set("create")))
	if err != nil {
		return err
	}
	if err := parseOwn(fs, mine); err != nil {
		return err
	}
	if err := noArgs(rest); err != nil {
		return err
	}
	switch action {
	case "create", "reset-password", "disable":
	default:
		return usagef("want create, reset-password or disable, got %q", action)
	}
	if f.email == "" {
		return usagef("--email is required")
	}
	if f.print && f.passwordStdin {
		return usagef("--print and --password-stdin cannot be used together")
	}
	if action == "create" && !access.Role(f.role).Valid() {
		return usagef("--role must be provider, client or admin")
	}
	var password string
	if f.passwordStdin {
		if password, err = readPassword(e.stdin); err != nil {
			return err
		}
	}

	a, err := app.New(ctx, cfg, newLogger(cfg, e.stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	switch action {
	case "create":
		err = createUser(ctx, e, a, f, password)
	case "reset-password":
		err = resetPassword(ctx, e, a, f, password)
	case "disable":
		err = disableUser(ctx, e, a, f.email)
	}
	if err != nil {
		return err
	}
	return a.Close()
}

// cliActor is who the audit log names for changes made from the shell.
func cliActor() access.Actor {
	a := access.System()
	a.UserAgent = "tend-cli"
	return a
}

// readPassword reads one line from r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("--password-stdin: standard input held no password")
	}
	return line, nil
}

func createUser(ctx context.Context, e *env, a *app.App, f userFlags, password string) error {
	n := auth.NewUser{Email: f.email, Password: password, Role: access.Role(f.role),
		DisplayName: f.name, ProviderID: f.providerID, ClientID: f.clientID}
	if n.Role == access.RoleProvider && n.ProviderID == "" {
		if strings.TrimSpace(f.name) == "" {
			return usagef("--name is required for a provider without --provider-id")
		}
		id, err := a.CreateProviderProfile(ctx, f.name)
		if err != nil {
			return err
		}
		n.ProviderID = id
	}
	u, err := a.Auth().CreateUser(ctx, cliActor(), n)
	if err := fieldError(err); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s account %s (id %s)\n", u.Role, u.Email, u.ID)
	if password == "" {
		return sendReset(ctx, e, a, u.Email)
	}
	return nil
}

func resetPassword(ctx context.Context, e *env, a *app.App, f userFlags, password string) error {
	u, err := a.Auth().UserByEmail(ctx, f.email)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no account has the email address %s", f.email)
	}
	if err != nil {
		return err
	}
	if f.print {
		return printReset(ctx, e, a, u)
	}
	if password == "" {
		return sendReset(ctx, e, a, u.Email)
	}
	if err := fieldError(a.Auth().SetPassword(ctx, cliActor(), u.ID, password)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password of %s changed; the account's sessions were signed out\n", u.Email)
	return nil
}

func disableUser(ctx context.Context, e *env, a *app.App, email string) error {
	u, err := a.Auth().UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no account has the email address %s", email)
	}
	if err != nil {
		return err
	}
	if err := a.Auth().Disable(ctx, cliActor(), u.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "disabled %s; its sessions and API tokens were ended\n", u.Email)
	return nil
}

// fieldError turns the auth service's validation errors into usage
// errors that name the flag to fix.
func fieldError(err error) error {
	var fe *auth.FieldError
	if errors.As(err, &fe) {
		name := strings.ReplaceAll(fe.Field, "_", "-")
		switch fe.Field {
		case "display_name":
			name = "name"
		case "password":
			name = "password-stdin"
		}
		return usagef("--%s: %s", name, fe.Message)
	}
	return err
}

// sendReset mails the account a single-use password reset link and
// delivers it at once by working the job queue until nothing is due.
func sendReset(ctx context.Context, e *env, a *app.App, email string) error {
	if err := a.Auth().RequestPasswordReset(ctx, email, ""); err != nil {
		return fmt.Errorf("request a password reset: %w", err)
	}
	if err := a.DeliverMail(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "a single-use password reset link was sent to %s\n", email)
	if a.Config().SMTPURL == "" {
		fmt.Fprintf(e.stdout, "(no --smtp-url is set: the message was written under %s)\n",
			filepath.Join(a.Config().DataDir, "mail"))
	}
	return nil
}

// printReset prints a single-use password reset link for u on standard
// output, alone on its line, and mails nothing. What it means goes to
// standard error, so stdout can be piped.
func printReset(ctx context.Context, e *env, a *app.App, u auth.User) error {
	link, err := a.Auth().ResetLinkFor(ctx, cliActor(), u.ID)
	if errors.Is(err, auth.ErrDisabled) {
		return fmt.Errorf("%s is disabled; a reset link would not work", u.Email)
	}
	if err != nil {
		return fmt.Errorf("issue a password reset link: %w", err)
	}
	fmt.Fprintln(e.stdout, link)
	fmt.Fprintf(e.stderr, "single-use password reset link for %s, valid for %d minutes; "+
		"give it only to that person\n", u.Email, int(auth.ResetLinkTTL.Minutes()))
	return nil
}
