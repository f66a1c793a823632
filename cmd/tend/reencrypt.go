package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tend-portal/tend/internal/audit"
	"github.com/tend-portal/tend/internal/blob"
	"github.com/tend-portal/tend/internal/clock"
	"github.com/tend-portal/tend/internal/config"
	"github.com/tend-portal/tend/internal/messaging"
	"github.com/tend-portal/tend/internal/vault"
)

// reencryptTimeout bounds reaching the database for re-encryption, so a
// rotation against an unreachable database ends with a clear message.
const reencryptTimeout = 30 * time.Second

// reencryptMessages re-seals message bodies and re-wraps attachment data
// keys under the key ring's primary key. Its errors say that the key
// file is fine and how to finish later.
func reencryptMessages(ctx context.Context, e *env, cfg config.Config) error {
	fail := func(err error) error {
		return fmt.Errorf("re-encrypting messages under the primary key failed: %w; "+
			"the key ring is intact and older data stays readable; "+
			"run 'tend keys reencrypt' once the database is reachable", err)
	}
	ring, err := vault.LoadOrCreate(cfg.SecretKeyFile)
	if err != nil {
		return fail(err)
	}
	openCtx, cancel := context.WithTimeout(ctx, reencryptTimeout)
	defer cancel()
	db, err := openDB(openCtx, cfg)
	if err != nil {
		return fail(err)
	}
	defer db.Close()
	blobs, err := blob.Open(openCtx, blobURL(cfg), cfg.DataDir)
	if err != nil {
		return fail(err)
	}
	svc := messaging.New(db, clock.System{}, audit.New(db, clock.System{}), ring, blobs,
		nil, nil, cfg.BaseURL, messaging.Limits{})
	n, err := svc.Reencrypt(ctx)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stdout, "re-encrypted %d message bodies and attachment keys under key %s\n",
		n, ring.PrimaryID())
	return nil
}

// blobURL is where attachments live (--blob-url; empty means the data
// directory).
func blobURL(cfg config.Config) string { return cfg.BlobURL }
