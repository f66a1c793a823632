package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/vault"
)

const auditHelp = `Usage: tend audit verify [flags]

Walks the audit log's hash chain from the first entry and reports the
first entry that was changed, deleted or re-linked. Exit status 0 means
the chain is intact, 1 that it is not (or could not be read).
`

func runAudit(ctx context.Context, e *env, args []string) error {
	action, args := positional(args)
	cfg, rest, err := e.loadConfig("audit", args, auditHelp)
	if err != nil {
		return err
	}
	action, rest = takeArg(action, rest)
	if err := noArgs(rest); err != nil {
		return err
	}
	if action != "verify" {
		return usagef("want 'verify', got %q", action)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()

	checked, err := audit.New(db, clock.System{}).Verify(ctx)
	var tamper *audit.TamperError
	if errors.As(err, &tamper) {
		return fmt.Errorf("audit chain BROKEN at seq %d (%s) after %d intact entries; "+
			"restore the audit_log table from a backup and investigate who had write access",
			tamper.Seq, tamper.Reason, checked)
	}
	if err != nil {
		return fmt.Errorf("read the audit log: %w", err)
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d entries\n", checked)
	return nil
}

const keysHelp = `Usage: tend keys rotate|reencrypt [flags]

rotate adds a new encryption key to the key ring (--secret-key-file) and
makes it the primary key for new data. Older keys stay in the file so
existing data can still be read. It then re-encrypts secure messages
under the new key (reencrypt); if the database cannot be reached, the
new key stays in place and you can run reencrypt later. Restart running
servers to pick up the new key.

reencrypt re-seals message bodies and re-wraps attachment keys under the
current primary key.
`

func runKeys(ctx context.Context, e *env, args []string) error {
	action, args := positional(args)
	cfg, rest, err := e.loadConfig("keys", args, keysHelp)
	if err != nil {
		return err
	}
	action, rest = takeArg(action, rest)
	if err := noArgs(rest); err != nil {
		return err
	}
	if action == "reencrypt" {
		return reencryptMessages(ctx, e, cfg)
	}
	if action != "rotate" {
		return usagef("want 'rotate' or 'reencrypt', got %q", action)
	}
	id, err := vault.Rotate(cfg.SecretKeyFile)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no key ring at %s (check --secret-key-file); "+
			"the server creates it when it first starts", cfg.SecretKeyFile)
	}
	if err != nil {
		return fmt.Errorf("rotate the key ring in %s (check --secret-key-file): %w",
			cfg.SecretKeyFile, err)
	}
	fmt.Fprintf(e.stdout, "new primary key %s added to %s; restart the server to use it\n",
		id, cfg.SecretKeyFile)
	return reencryptMessages(ctx, e, cfg)
}
