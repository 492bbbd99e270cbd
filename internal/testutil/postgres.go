// Package testutil holds helpers shared by the tests of several packages.
// Nothing outside tests imports it.
package testutil

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the variable holding the PostgreSQL URL tests run on.
const PostgresEnv = "BOT_TEST_POSTGRES"

// PostgresURL returns a URL of the database in BOT_TEST_POSTGRES whose
// search_path is a schema of the test's own, dropped when the test ends.
// It skips the test when the variable is unset.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " is not set; set it to a PostgreSQL URL to run this test, e.g. " +
			PostgresEnv + "='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'")
	}
	name := fmt.Sprintf("wwtest_%d_%08x", os.Getpid(), rand.Uint32())
	ident := pgx.Identifier{name}.Sanitize()
	if err := PostgresExec(context.Background(), base, "CREATE SCHEMA "+ident); err != nil {
		t.Fatalf("creating schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := PostgresExec(ctx, base, "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", name, err)
		}
	})
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		return base + " search_path=" + name
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresExec runs one statement on its own connection to dsn.
func PostgresExec(ctx context.Context, dsn, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("%s: %w", strings.Fields(sql)[0], err)
	}
	return nil
}

// TerminateLease ends the database session holding the advisory lock of
// wirewatch's lease called name in the schema of dsn, as a dropped
// connection or a database failover would, and returns how many sessions
// it ended. It returns once they are gone, so the lock is free (it needs
// PostgreSQL 14 or later).
func TerminateLease(ctx context.Context, dsn, name string) (int, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return 0, fmt.Errorf("parsing the URL: %w", err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return 0, fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1
		AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1 || ':wirewatch:lease:' || $2, 0)`,
		schema, name).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("terminating the lease's session: %w", err)
	}
	return n, nil
}
