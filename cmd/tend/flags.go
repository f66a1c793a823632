package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/tend-portal/tend/internal/config"
)

// loadConfig parses the configuration flags and variables shared by
// every command. help is printed above the flag list for -h. It returns
// the arguments left after the flags.
func (e *env) loadConfig(name string, args []string, help string) (config.Config, []string, error) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if isHelp(a) {
			fmt.Fprint(e.stdout, help)
			fmt.Fprintln(e.stdout, "\nConfiguration flags (each also read from its TEND_* variable):")
			_, _, err := config.Parse("tend "+name, []string{"-h"}, e.getenv, e.stdout)
			if err == nil {
				err = flag.ErrHelp
			}
			return config.Config{}, nil, err
		}
	}
	cfg, rest, err := config.Parse("tend "+name, args, e.getenv, io.Discard)
	if err != nil {
		return config.Config{}, nil, usageError{err}
	}
	return cfg, rest, nil
}

// splitFlags takes the command's own flags out of args so that the rest
// can go to the shared configuration parser. own maps each flag name to
// whether it takes a value. Both -name and --name, with the value joined
// by "=" or as the next argument, are recognised.
func splitFlags(args []string, own map[string]bool) (mine, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takesValue, ok := own[name]
		if !strings.HasPrefix(a, "-") || !ok {
			rest = append(rest, a)
			continue
		}
		mine = append(mine, a)
		if takesValue && !hasValue && i+1 < len(args) {
			i++
			mine = append(mine, args[i])
		}
	}
	return mine, rest
}

// parseOwn parses a command's own flags, already split out of args.
func parseOwn(fs *flag.FlagSet, mine []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(mine); err != nil {
		return usageError{err}
	}
	return nil
}

// flagHelp renders a FlagSet's flags for a help text.
func flagHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	return b.String()
}

// noArgs rejects positional arguments a command does not take.
func noArgs(rest []string) error {
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	return nil
}

// newLogger returns the process logger: text or JSON on stderr at the
// configured level.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// errNotEmpty is returned when demo data would land in a database
// that already holds records.
var errNotEmpty = errors.New("the database already holds accounts or clients; " +
	"demo data is only loaded into an empty database (point --database-url at a new one)")
