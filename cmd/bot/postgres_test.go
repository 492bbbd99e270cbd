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
	if code != 0 || !strings.Contains(out, "5 new document(s), 0 duplicate(s), 5 matched a rule") {
		t.Fatalf("scan on PostgreSQL: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runMain(t, getenv, "latest", "qala-e-naw", "-n", "3")
	if code != 0 || strings.Count(out, "\n- ") != 3 || !strings.Contains(out, "Afghan forces take back") {
		t.Fatalf("latest on PostgreSQL: exit %d\n%s\n%s", code, out, errs)
	}
	// A second scan finds nothing new: the file state lives in PostgreSQL.
	if code, out, _ := runMain(t, getenv, "scan"); code != 0 || !strings.Contains(out, "0 new document(s)") {
		t.Fatalf("second scan: %s", out)
	}
}
