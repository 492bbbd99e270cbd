package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresURL returns a URL on a fresh schema of BOT_TEST_POSTGRES, dropped
// when the test ends; it skips the test when the variable is unset.
func postgresURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("BOT_TEST_POSTGRES")
	if base == "" {
		t.Skip("BOT_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to BOT_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("cmdbot_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") //nolint:errcheck // best effort
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestScanAndLatestOnPostgres(t *testing.T) {
	getenv := testEnv(t, map[string]string{"BOT_DB": postgresURL(t)})
	code, out, errs := runMain(t, getenv, "scan")
	if code != 0 || !strings.Contains(out, "5 new documents, 0 duplicates, 5 matched a rule") {
		t.Fatalf("scan on PostgreSQL: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runMain(t, getenv, "latest", "qala-e-naw", "-n", "3")
	if code != 0 || strings.Count(out, "\n- ") != 3 || !strings.Contains(out, "Afghan forces take back") {
		t.Fatalf("latest on PostgreSQL: exit %d\n%s\n%s", code, out, errs)
	}
	// A second scan finds nothing new: the file state lives in PostgreSQL.
	if code, out, _ := runMain(t, getenv, "scan"); code != 0 || !strings.Contains(out, "0 new documents") {
		t.Fatalf("second scan: %s", out)
	}
}

func TestLeaderFailoverOnPostgres(t *testing.T) {
	db := postgresURL(t)
	// The replica that loses the lease waits long enough that the other
	// one, retrying every 100 ms, takes it.
	leaseRetry, leaseCheck, stepDownWait = 100*time.Millisecond, 50*time.Millisecond, time.Minute
	t.Cleanup(func() { leaseRetry, leaseCheck, stepDownWait = 30*time.Second, 15*time.Second, 60*time.Second })
	getenv := testEnv(t, map[string]string{"BOT_DB": db, "BOT_RULES": "testdata/console.yaml",
		"BOT_SCAN_SCHEDULE": "@every 1h", "LOG_LEVEL": "debug"})
	a := startBot(t, getenv)
	a.errs.waitFor(t, "scan done", 1)
	b := startBot(t, getenv)
	b.errs.waitFor(t, "another replica leads; standing by", 1)

	// End the leader's lock session from outside, as a dropped connection
	// or a database failover would.
	u, _ := url.Parse(db)
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	conn, err := pgx.Connect(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1
		AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1 || ':wirewatch:lease:' || $2, 0)`,
		mustQuery(t, db).Get("search_path"), LeaderLease).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("terminated %d lease sessions, want 1", n)
	}
	a.errs.waitFor(t, "the leader lease was lost", 1)
	// The standby takes over: it scans (nothing new) as the leader.
	b.errs.waitFor(t, "scan done", 1)
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}
