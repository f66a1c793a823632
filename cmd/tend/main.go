// Command tend runs the Tend practice portal and its maintenance tasks.
//
//	tend [serve] [flags]              run the portal (default)
//	tend migrate up|status [flags]    apply or list database migrations
//	tend demo [flags]                 load demo data into an empty database
//	tend user create|reset-password|disable [flags]
//	tend audit verify [flags]         check the audit log's hash chain
//	tend keys rotate [flags]          add a new primary encryption key
//	tend backup PATH [flags]          online copy of a SQLite database
//	tend version                      print the version
//
// Every command reads the same configuration flags and TEND_* variables;
// `tend COMMAND -h` lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and something went wrong
	exitUsage   = 2 // bad flags, arguments or configuration
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal starts a graceful shutdown, restore the
		// default handling so a second one ends the process at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a command may touch of the outside world.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the portal (the default command)", runServe},
		{"migrate", "apply (up) or list (status) database migrations", runMigrate},
		{"demo", "load demo data into an empty database", runDemo},
		{"user", "create, reset-password or disable an account", runUser},
		{"audit", "verify: check the audit log's hash chain", runAudit},
		{"keys", "rotate: add a new primary encryption key", runKeys},
		{"backup", "copy a SQLite database to PATH while it runs", runBackup},
		{"version", "print the version", runVersion},
	}
}

// run executes the command line args (without the program name) and
// returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string,
	stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}

	if len(args) > 0 && (args[0] == "help" || isHelp(args[0])) {
		usage(stdout)
		return exitOK
	}
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		return exitCode(stderr, c.name, c.run(ctx, e, args))
	}
	fmt.Fprintf(stderr, "tend: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

// usage prints the list of commands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: tend [COMMAND] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'tend COMMAND -h' for the flags of a command.")
}

// usageError marks an error the person at the keyboard can fix by
// changing the command line or configuration; it exits with code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode prints err for the operator and maps it to an exit code.
func exitCode(stderr io.Writer, name string, err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "tend %s: %v\nRun 'tend %s -h' for usage.\n", name, err, name)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "tend %s: %v\n", name, err)
		return exitFailure
	}
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help"
}
