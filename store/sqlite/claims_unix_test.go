//go:build unix

package sqlite

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// TestClaimHelper is not a test: TestResetInflightAcrossProcesses runs the
// test binary again with WIREWATCH_CLAIM_DB set, and this claims the row
// "held" of that database, says so, and keeps the handle open (the row
// sending) until its standard input closes or it is killed.
func TestClaimHelper(t *testing.T) {
	path := os.Getenv("WIREWATCH_CLAIM_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.OutboxRow(ctx, "held")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := db.ClaimOutbox(ctx, r.ID, time.Now()); !ok || err != nil {
		t.Fatalf("helper: ClaimOutbox = %v, %v", ok, err)
	}
	os.Stdout.WriteString("claimed\n")
	bufio.NewReader(os.Stdin).ReadString('\n') //nolint:errcheck // any end will do
}

// TestResetInflightAcrossProcesses has another process claim a row (a bot
// sending it) while this one resets rows left in flight, as a second `bot
// run` does when it starts: the row stays the other process's, so it is
// not sent twice; once that process is killed, the row is returned to
// pending. A row claimed through another handle of this process stays.
func TestResetInflightAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, key := range []string{"held", "mine"} {
		if ok, err := db.Enqueue(ctx, store.OutboxRow{Key: key, Transport: "slack", Channel: "C-" + key,
			Kind: "alert", Payload: []byte(`{}`), Due: time.Now().Add(-time.Minute)}); !ok || err != nil {
			t.Fatalf("Enqueue %s = %v, %v", key, ok, err)
		}
	}
	mine, err := db.OutboxRow(ctx, "mine")
	if err != nil {
		t.Fatal(err)
	}

	cmd := startHolder(t, "TestClaimHelper", "WIREWATCH_CLAIM_DB="+path, "claimed")

	// A second handle in this process is open too: its claims stay.
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if ok, err := db.ClaimOutbox(ctx, mine.ID, time.Now()); !ok || err != nil {
		t.Fatalf("ClaimOutbox = %v, %v", ok, err)
	}
	n, err := other.ResetInflight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("ResetInflight while the other process sends = %d rows, want 0", n)
	}
	state := func(key string) store.OutboxState {
		t.Helper()
		r, err := db.OutboxRow(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return r.State
	}
	if s := state("held"); s != store.Sending {
		t.Errorf("row the other process sends is %s, want sending", s)
	}
	if s := state("mine"); s != store.Sending {
		t.Errorf("row another handle of this process sends is %s, want sending", s)
	}

	kill(t, cmd)
	if n, err := other.ResetInflight(ctx); n != 1 || err != nil {
		t.Errorf("ResetInflight after the other process died = %d, %v; want 1 row", n, err)
	}
	if s := state("held"); s != store.Pending {
		t.Errorf("row of the dead process is %s, want pending", s)
	}
	if s := state("mine"); s != store.Sending {
		t.Errorf("row another handle of this process sends is %s, want sending", s)
	}
}
