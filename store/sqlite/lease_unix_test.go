//go:build unix

package sqlite

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLeaseHelper is not a test: TestLeaseAcrossProcesses runs the test
// binary again with WIREWATCH_LEASE_DB set, and this takes the lease on
// that database, says so, and holds it until its standard input closes or
// it is killed.
func TestLeaseHelper(t *testing.T) {
	path := os.Getenv("WIREWATCH_LEASE_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	_, ok, err := db.TryLease(context.Background(), "wirewatch-leader")
	if err != nil || !ok {
		t.Fatalf("helper: TryLease = %v, %v", ok, err)
	}
	os.Stdout.WriteString("held\n")
	bufio.NewReader(os.Stdin).ReadString('\n') //nolint:errcheck // any end will do
}

// TestLeaseAcrossProcesses holds the leader lease in another process: this
// process cannot take it and learns who holds it; once the other process
// is killed (no chance to give it back) the lease is free.
func TestLeaseAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cmd := startHolder(t, "TestLeaseHelper", "WIREWATCH_LEASE_DB="+path, "held")
	if _, ok, err := db.TryLease(ctx, "wirewatch-leader"); ok || err != nil {
		t.Errorf("TryLease while another process holds it = %v, %v", ok, err)
	}
	if who := db.LeaseHolder(ctx, "wirewatch-leader"); !strings.Contains(who, "process ") || strings.Contains(who, " 0 ") {
		t.Errorf("LeaseHolder = %q", who)
	}
	kill(t, cmd)
	release, ok, err := db.TryLease(ctx, "wirewatch-leader")
	if !ok || err != nil {
		t.Fatalf("TryLease after the holder was killed = %v, %v", ok, err)
	}
	release()
}
