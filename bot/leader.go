package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// LeaderLease is the name of the lease whose holder runs the schedule.
const LeaderLease = "wirewatch-leader"

// Leader lease timing defaults.
const (
	// DefaultLeaseRetry is how often a standby tries the leader lease.
	DefaultLeaseRetry = 30 * time.Second
	// DefaultLeaseCheck is how often a leader checks that it still holds
	// the lease, where the store can lose one (store.LeaseChecker).
	DefaultLeaseCheck = 15 * time.Second
	// DefaultStepDownWait is how long a replica that lost the lease waits
	// before competing again: it just lost its session, so it is the
	// worst candidate.
	DefaultStepDownWait = 60 * time.Second
)

// Leader runs the leader's duties whenever this process holds the leader
// lease, and stands by while another process does. Among replicas sharing
// one store only the leader scans, sends scheduled digests and polls
// Telegram; every replica delivers and answers commands. A leader whose
// lease is lost without being released (its PostgreSQL session ended)
// stops its duties within two checks and stands by again. All waiting is
// on Clock.
type Leader struct {
	// Leases grants the lease; nil means this process always leads.
	Leases store.Leaser
	// Checker, when set, is asked every Check whether the lease is still
	// held; two misses in a row end the duties.
	Checker store.LeaseChecker
	Clock   Clock
	Log     *slog.Logger
	// Retry, Check and StepDown default to DefaultLeaseRetry,
	// DefaultLeaseCheck and DefaultStepDownWait.
	Retry, Check, StepDown time.Duration
	// Standby, when set, is called each time another process holds the
	// lease.
	Standby func()
	// Duties runs the leader's work until its context ends. An error it
	// returns ends Run with that error.
	Duties func(ctx context.Context) error
}

func (l *Leader) defaults() {
	if l.Retry <= 0 {
		l.Retry = DefaultLeaseRetry
	}
	if l.Check <= 0 {
		l.Check = DefaultLeaseCheck
	}
	if l.StepDown <= 0 {
		l.StepDown = DefaultStepDownWait
	}
	if l.Log == nil {
		l.Log = slog.Default()
	}
}

// Run leads whenever it can until ctx ends, then returns nil; or returns
// the first error of Duties.
func (l *Leader) Run(ctx context.Context) error {
	l.defaults()
	for {
		release, ok := l.await(ctx)
		if !ok {
			return nil // ctx ended
		}
		lost, err := l.term(ctx, release)
		if err != nil || !lost {
			return err
		}
		l.Log.Error("the leader lease was lost (the store session ended); stopped scanning and standing by")
		if !l.sleep(ctx, l.StepDown) {
			return nil
		}
	}
}

// term runs the duties for one holding of the lease and gives the lease
// back. lost reports that it ended because the lease was lost.
func (l *Leader) term(ctx context.Context, release func()) (lost bool, err error) {
	defer release()
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	if l.Checker != nil {
		// A leader whose session ended notices within two checks: wait
		// that long so two replicas never scan at once.
		if !l.sleep(ctx, 2*l.Check) {
			return false, nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.watch(lctx, stop)
		}()
	}
	err = l.Duties(lctx)
	stop()
	wg.Wait()
	if err != nil || ctx.Err() != nil {
		return false, err
	}
	return true, nil
}

// await takes the leader lease, trying again every Retry while another
// process holds it. It returns false when ctx ends first.
func (l *Leader) await(ctx context.Context) (release func(), ok bool) {
	if l.Leases == nil {
		return func() {}, ctx.Err() == nil
	}
	for waits := 0; ; waits++ {
		rel, ok, err := l.Leases.TryLease(ctx, LeaderLease)
		if ok {
			return rel, true
		}
		if ctx.Err() != nil {
			return nil, false // shutting down: no one else leads for that
		}
		if err != nil {
			l.Log.Error("taking the leader lease", "err", err)
		}
		if l.Standby != nil {
			l.Standby()
		}
		// Said once; the retries are quiet.
		level, holder := slog.LevelDebug, ""
		if waits == 0 {
			level = slog.LevelInfo
		}
		if h, ok := l.Leases.(store.LeaseHolders); ok {
			holder = h.LeaseHolder(ctx, LeaderLease)
		}
		// This replica delivers and answers commands meanwhile.
		l.Log.Log(ctx, level, "another replica leads; standing by", "holder", holder, "retry_every", l.Retry.String())
		if !l.sleep(ctx, l.Retry) {
			return nil, false
		}
	}
}

// watch calls lost once two checks in a row find the lease gone (one slow
// answer of the database is not a lost lease).
func (l *Leader) watch(ctx context.Context, lost func()) {
	misses := 0
	for l.sleep(ctx, l.Check) {
		held, err := l.Checker.HoldsLease(ctx, LeaderLease)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			l.Log.Warn("checking the leader lease", "err", err)
		}
		if held {
			misses = 0
			continue
		}
		if misses++; misses >= 2 {
			lost()
			return
		}
	}
}

// sleep waits d on the clock; false when ctx ended first.
func (l *Leader) sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-l.Clock.After(d):
		return true
	}
}
