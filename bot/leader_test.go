package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// leaseTable is one lease shared by several handles, as advisory locks
// are shared by the sessions of several replicas. dropSession ends the
// holder's session: the lock is freed but its handle was never told.
type leaseTable struct {
	mu     sync.Mutex
	holder string
	tries  map[string]int
}

type leaseHandle struct {
	t    *leaseTable
	name string
}

func (h leaseHandle) TryLease(ctx context.Context, _ string) (func(), bool, error) {
	h.t.mu.Lock()
	defer h.t.mu.Unlock()
	h.t.tries[h.name]++
	if h.t.holder != "" {
		return func() {}, false, nil
	}
	h.t.holder = h.name
	return func() {
		h.t.mu.Lock()
		defer h.t.mu.Unlock()
		if h.t.holder == h.name {
			h.t.holder = ""
		}
	}, true, nil
}

func (h leaseHandle) HoldsLease(context.Context, string) (bool, error) {
	h.t.mu.Lock()
	defer h.t.mu.Unlock()
	return h.t.holder == h.name, nil
}

func (t *leaseTable) set(holder string) {
	t.mu.Lock()
	t.holder = holder
	t.mu.Unlock()
}

func (t *leaseTable) get() (holder string, tries map[string]int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := map[string]int{}
	for k, v := range t.tries {
		c[k] = v
	}
	return t.holder, c
}

// duties records the terms of a leader: each term's context, and its end.
type duties struct {
	started chan context.Context
	err     error
}

func newDuties() *duties { return &duties{started: make(chan context.Context, 4)} }

func (d *duties) run(ctx context.Context) error {
	d.started <- ctx
	if d.err != nil {
		return d.err
	}
	<-ctx.Done()
	return nil
}

// term waits for the next term to start.
func (d *duties) term(t *testing.T) context.Context {
	t.Helper()
	select {
	case ctx := <-d.started:
		return ctx
	case <-time.After(30 * time.Second): // a hang, not a timing assertion
		t.Fatal("the duties never started")
		return nil
	}
}

func (d *duties) notStarted(t *testing.T) {
	t.Helper()
	select {
	case <-d.started:
		t.Fatal("the duties started")
	default:
	}
}

// startLeader runs l until the returned stop is called; stop returns Run's
// error.
func startLeader(t *testing.T, l *Leader) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	stop = func() error {
		cancel()
		select {
		case err := <-done:
			done <- err
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("Run did not return")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return stop
}

func TestLeaderStandsByUntilTheLeaseIsFree(t *testing.T) {
	leases := &leaseTable{holder: "other", tries: map[string]int{}}
	clock, d := newTimerClock(), newDuties()
	standbys := 0
	l := &Leader{Leases: leaseHandle{leases, "a"}, Clock: clock, Log: slog.New(slog.DiscardHandler),
		Standby: func() { standbys++ }, Duties: d.run}
	stop := startLeader(t, l)

	clock.waitTimers(t, 1) // tried once, waiting to retry
	d.notStarted(t)
	leases.set("")
	clock.Advance(DefaultLeaseRetry - time.Second)
	clock.waitTimers(t, 1)
	if _, tries := leases.get(); tries["a"] != 1 {
		t.Fatalf("tried the lease %d times before the retry interval passed", tries["a"])
	}
	clock.Advance(time.Second)
	ctx := d.term(t)
	if holder, _ := leases.get(); holder != "a" {
		t.Fatalf("the lease is held by %q while a leads", holder)
	}
	if standbys != 1 {
		t.Errorf("Standby called %d times, want once", standbys)
	}
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ctx.Err() == nil {
		t.Error("the duties' context is still live after Run returned")
	}
	if holder, _ := leases.get(); holder != "" {
		t.Errorf("the lease is still held by %q after Run returned", holder)
	}
}

func TestLeaderStepsDownAfterTwoMissedChecks(t *testing.T) {
	leases := &leaseTable{tries: map[string]int{}}
	clock, d := newTimerClock(), newDuties()
	var logs bytes.Buffer
	h := leaseHandle{leases, "a"}
	l := &Leader{Leases: h, Checker: h, Clock: clock, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Check: 10 * time.Second, Retry: 20 * time.Second, StepDown: time.Minute, Duties: d.run}
	startLeader(t, l)

	// Holding the lease, it first waits out two checks of a leader that
	// may still believe it leads.
	clock.waitTimers(t, 1)
	d.notStarted(t)
	clock.Advance(20 * time.Second)
	ctx := d.term(t)

	clock.waitTimers(t, 1) // the watch
	clock.Advance(10 * time.Second)
	clock.waitTimers(t, 1) // held: still leading
	leases.set("")         // the session ends; the lock goes with it
	clock.Advance(10 * time.Second)
	clock.waitTimers(t, 1) // one miss is not a lost lease
	if ctx.Err() != nil {
		t.Fatal("stepped down after one missed check")
	}
	leases.set("other") // another replica takes the freed lock
	clock.Advance(10 * time.Second)
	clock.waitTimers(t, 1) // stepped down: waiting StepDown before trying again
	if ctx.Err() == nil {
		t.Fatal("still leading after two missed checks")
	}
	if !strings.Contains(logs.String(), "the leader lease was lost") {
		t.Errorf("the loss is not logged:\n%s", logs.String())
	}
	if _, tries := leases.get(); tries["a"] != 1 {
		t.Fatalf("tried the lease again before StepDown passed (%d tries)", tries["a"])
	}
	clock.Advance(time.Minute)
	clock.waitTimers(t, 1) // tried, found it held, standing by
	d.notStarted(t)
	if _, tries := leases.get(); tries["a"] != 2 {
		t.Fatalf("%d tries after StepDown, want 2", tries["a"])
	}

	// The other replica goes; this one leads again.
	leases.set("")
	clock.Advance(20 * time.Second)
	clock.waitTimers(t, 1)
	clock.Advance(20 * time.Second)
	d.term(t)
}

func TestLeaderDutiesErrorEndsRun(t *testing.T) {
	leases := &leaseTable{tries: map[string]int{}}
	d := newDuties()
	d.err = errors.New("polling: unauthorized")
	l := &Leader{Leases: leaseHandle{leases, "a"}, Clock: newTimerClock(), Log: slog.New(slog.DiscardHandler), Duties: d.run}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := l.Run(ctx); !errors.Is(err, d.err) {
		t.Fatalf("Run = %v, want the duties' error", err)
	}
	if holder, _ := leases.get(); holder != "" {
		t.Errorf("the lease is still held by %q", holder)
	}
}

func TestLeaderWithoutLeasesLeadsAtOnce(t *testing.T) {
	d := newDuties()
	stop := startLeader(t, &Leader{Clock: newTimerClock(), Duties: d.run})
	ctx := d.term(t)
	if err := stop(); err != nil || ctx.Err() == nil {
		t.Fatalf("Run = %v; duties context err %v", err, ctx.Err())
	}
}

// TestLeaderShuttingDownDoesNotStandBy: a Run whose context has ended
// while another holds the lease returns without saying that another
// replica leads.
func TestLeaderShuttingDownDoesNotStandBy(t *testing.T) {
	table := &leaseTable{holder: "other", tries: map[string]int{}}
	var log bytes.Buffer
	standbys := 0
	d := newDuties()
	l := &Leader{Clock: newTimerClock(), Leases: leaseHandle{t: table, name: "me"}, Duties: d.run,
		Log: slog.New(slog.NewTextHandler(&log, nil)), Standby: func() { standbys++ }}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Run(ctx); err != nil {
		t.Fatal(err)
	}
	d.notStarted(t)
	if standbys != 0 || strings.Contains(log.String(), "standing by") {
		t.Errorf("a leader shutting down stood by (%d) and logged:\n%s", standbys, log.String())
	}
}
