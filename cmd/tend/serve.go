package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tend-portal/tend/internal/app"
	"github.com/tend-portal/tend/internal/demo"
)

const serveHelp = `Usage: tend [serve] [flags]

Runs the portal until interrupted (SIGINT or SIGTERM), then finishes
in-flight requests and running jobs before exiting. With --demo, demo
data is loaded into an empty database and the demo sign-ins are printed.
`

func runServe(ctx context.Context, e *env, args []string) error {
	cfg, rest, err := e.loadConfig("serve", args, serveHelp)
	if err != nil {
		return err
	}
	for _, c := range commands() {
		if len(rest) > 0 && rest[0] == c.name {
			return usagef("flags go after the command: tend %s ... [flags]", c.name)
		}
	}
	if err := noArgs(rest); err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, newLogger(cfg, e.stderr))
	if err != nil {
		return err
	}
	defer a.Close()

	if _, err := a.Listen(); err != nil {
		return err
	}
	if cfg.Demo {
		if err := ensureDemo(ctx, a, e.stdout); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "Tend is running at %s (press Ctrl-C to stop)\n", a.URL())
	if setup, err := a.Auth().NeedsSetup(ctx); err == nil && setup {
		fmt.Fprintf(e.stdout, "No administrator yet: open %s/setup to create the first one.\n", a.URL())
	}
	return a.Run(ctx)
}

// ensureDemo loads demo data into an empty database and prints the demo
// sign-ins. A database that already holds the demo accounts (a restart)
// is left as it is; one with other data gets a notice instead.
func ensureDemo(ctx context.Context, a *app.App, w io.Writer) error {
	empty, err := demo.IsEmpty(ctx, a.DB())
	if err != nil {
		return err
	}
	if empty {
		err := demo.Load(ctx, demo.Deps{DB: a.DB(), Clock: a.Clock(), Auth: a.Auth(),
			Messages: a.Messaging()})
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		fmt.Fprintln(w, "Loaded demo data.")
	} else if _, err := a.Auth().UserByEmail(ctx, demo.SignIns()[0].Email); err != nil {
		fmt.Fprintln(w, "The database already holds other data; demo data was not loaded.")
		return nil
	}
	printSignIns(w)
	return nil
}

// printSignIns lists the demo accounts and their shared password.
func printSignIns(w io.Writer) {
	fmt.Fprintf(w, "\nDemo sign-ins (password %q for all):\n", demo.Password)
	for _, s := range demo.SignIns() {
		fmt.Fprintf(w, "  %-9s %-22s %s\n", s.Role, s.Email, s.Note)
	}
	fmt.Fprintln(w)
}

const demoHelp = `Usage: tend demo [flags]

Loads demo data into the configured database, which must be empty.
`

func runDemo(ctx context.Context, e *env, args []string) error {
	cfg, rest, err := e.loadConfig("demo", args, demoHelp)
	if err != nil {
		return err
	}
	if err := noArgs(rest); err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, newLogger(cfg, e.stderr))
	if err != nil {
		return err
	}
	defer a.Close()

	err = demo.Load(ctx, demo.Deps{DB: a.DB(), Clock: a.Clock(), Auth: a.Auth(),
		Messages: a.Messaging()})
	if errors.Is(err, demo.ErrNotEmpty) {
		return errNotEmpty
	}
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	fmt.Fprintln(e.stdout, "Loaded demo data.")
	printSignIns(e.stdout)
	return a.Close()
}
