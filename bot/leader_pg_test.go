package bot

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/internal/testutil"
	"github.com/wirewatch/wirewatch/store/postgres"
)

// syncBuffer is a bytes.Buffer safe for a logger and a test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLeaderFailoverOnPostgres runs two replicas on one PostgreSQL schema:
// when the leader's lock session ends it steps down, and the standby
// takes the lease and leads.
func TestLeaderFailoverOnPostgres(t *testing.T) {
	u := testutil.PostgresURL(t)
	ctx := context.Background()
	replica := func(name string) (*Leader, *timerClock, *duties, *syncBuffer) {
		db, err := postgres.Open(ctx, u)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Cleanup(func() { db.Close() })
		clock, d, logs := newTimerClock(), newDuties(), &syncBuffer{}
		return &Leader{Leases: db, Checker: db, Clock: clock, Log: slog.New(slog.NewTextHandler(logs, nil)),
			Duties: d.run}, clock, d, logs
	}
	a, clockA, dutiesA, logsA := replica("a")
	b, clockB, dutiesB, logsB := replica("b")

	startLeader(t, a)
	clockA.waitTimers(t, 1)
	clockA.Advance(2 * DefaultLeaseCheck)
	termA := dutiesA.term(t)
	startLeader(t, b)
	clockB.waitTimers(t, 1)
	if !strings.Contains(logsB.String(), "another replica leads; standing by") {
		t.Fatalf("b does not stand by:\n%s", logsB.String())
	}

	n, err := testutil.TerminateLease(ctx, u, LeaderLease)
	if err != nil || n != 1 {
		t.Fatalf("terminated %d lease sessions (%v), want 1", n, err)
	}
	for range 2 {
		clockA.waitTimers(t, 1)
		clockA.Advance(DefaultLeaseCheck)
	}
	clockA.waitTimers(t, 1) // stepped down, waiting to compete again
	if termA.Err() == nil || !strings.Contains(logsA.String(), "the leader lease was lost") {
		t.Fatalf("a still leads after its session ended:\n%s", logsA.String())
	}

	// The standby takes over at its next try.
	clockB.Advance(DefaultLeaseRetry)
	clockB.waitTimers(t, 1)
	clockB.Advance(2 * DefaultLeaseCheck)
	dutiesB.term(t)
	dutiesA.notStarted(t)
}
