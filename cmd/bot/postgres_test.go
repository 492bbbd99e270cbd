package main

import (
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/testutil"
)

// The leader failover between two replicas on one PostgreSQL schema is
// tested in package bot (TestLeaderFailoverOnPostgres), on a fake clock.

func TestScanAndLatestOnPostgres(t *testing.T) {
	getenv := testEnv(t, map[string]string{"BOT_DB": testutil.PostgresURL(t)})
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
