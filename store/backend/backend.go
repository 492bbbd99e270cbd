// Package backend opens the store a BOT_DB value names: a SQLite file
// (store/sqlite) or a PostgreSQL URL (store/postgres). A new backend is a
// package under store/ that passes store/storetest, and a case here.
package backend

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/postgres"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

// Open opens PostgreSQL for a postgres:// or postgresql:// URL, else the
// SQLite file at dsn (created with its folder). Errors name the store,
// without a password.
func Open(ctx context.Context, dsn string) (store.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("opening PostgreSQL %s: %w", Redact(dsn), err)
		}
		return db, nil
	}
	open := sqlite.Open
	if path, ok := strings.CutPrefix(dsn, throwaway); ok {
		dsn, open = path, sqlite.OpenThrowaway
	}
	db, err := open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("opening SQLite %s: %w", dsn, err)
	}
	return db, nil
}

// Redact hides a password in a database URL, in the user part or the
// query; a URL it cannot parse is hidden whole but for its scheme. A file
// path is returned as it is.
func Redact(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn // a file path
	}
	u, err := url.Parse(dsn)
	if err != nil {
		scheme, _, _ := strings.Cut(dsn, "://")
		return scheme + "://[redacted]"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// throwaway starts the dsn of a store that does not outlive its command:
// Open opens the SQLite file after it without syncing anything to disk.
const throwaway = "throwaway:"

// TempDSN returns the dsn of a SQLite file in a new temporary folder, for
// a store that must not outlive one command (a dry run): Open opens it
// without paying for durability (sqlite.OpenThrowaway). remove deletes the
// folder.
func TempDSN() (dsn string, remove func(), err error) {
	dir, err := os.MkdirTemp("", "wirewatch-dry-run-")
	if err != nil {
		return "", nil, fmt.Errorf("creating a throwaway store: %w", err)
	}
	return throwaway + filepath.Join(dir, "dry-run.db"), func() { os.RemoveAll(dir) }, nil
}
