package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Service is the long-running bot: the HTTP endpoints, delivery and the
// background jobs in every replica, and the leader's duties (scans on a
// schedule, digests, leader-only jobs) in the replica holding the leader
// lease. A part that stops with an error stops the whole Service, rather
// than leave it running without scanning or delivering.
type Service struct {
	Rules     *Live
	Deliverer *Deliverer
	// Server serves the HTTP endpoints on Listener.
	Server   *http.Server
	Listener net.Listener
	// Background jobs run in every replica (Slack Socket Mode, the
	// Telegram webhook, the console).
	Background map[string]func(context.Context) error
	// LeaderJobs run only in the replica that leads (Telegram polling,
	// which Telegram serves to one poller at a time).
	LeaderJobs map[string]func(context.Context) error
	// ScanSchedule is a cron spec (BOT_SCAN_SCHEDULE).
	ScanSchedule string
	// Watch, when set, watches the corpus folder in the leader: a file
	// written there is scanned at once, the schedule staying as the
	// safety net.
	Watch *CorpusWatch
	// Pruner, when its Window is set (BOT_RETENTION), prunes on
	// PruneSchedule in the leader, between scans.
	Pruner *Pruner
	// Leader decides when this replica leads; Run sets its Duties and
	// Standby.
	Leader *Leader
	Log    *slog.Logger

	ready atomic.Bool
}

// Ready reports whether the bot can serve: the first scan finished (or
// another replica leads), the store answers and takes writes (the last
// scan's writes went through, and a probe write does).
func (s *Service) Ready(ctx context.Context) error {
	if !s.ready.Load() {
		return errors.New("first scan not finished")
	}
	sh := s.Rules.shared
	if _, err := sh.Store.OutboxStats(ctx); err != nil {
		return err
	}
	if err := sh.Writes.Err(); err != nil {
		return err
	}
	return ProbeWrite(ctx, sh.Store, sh.Clock.Now())
}

// Run runs every part until ctx ends (it then returns nil) or one of them
// fails (its error).
func (s *Service) Run(ctx context.Context) error {
	// A running bot will match documents: the matcher is built now, beside
	// the rest of the start, not when the first one comes.
	prepare(s.Rules.Rules().Engine.Analyzer)
	g, ctx := errgroup.WithContext(ctx)
	run := func(name string, f func(context.Context) error) {
		g.Go(func() error { return s.part(ctx, name, f) })
	}
	run("http server", func(context.Context) error {
		if err := s.Server.Serve(s.Listener); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		s.Log.Info("shutting down")
		shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		s.Server.Shutdown(shutdownCtx) //nolint:errcheck // best effort on the way out
		return nil
	})
	run("delivery", s.Deliverer.Run)
	for name, f := range s.Background {
		run(name, f)
	}
	// With PostgreSQL shared by several replicas only one leads at a time;
	// the others deliver and answer commands. Scans are idempotent, so a
	// moment with two leaders costs work, not duplicates.
	s.Leader.Standby = func() {
		s.ready.Store(true) // a standby delivers and answers commands
		s.Rules.ReloadIfChanged()
	}
	s.Leader.Duties = s.leaderDuties
	run("leadership", s.Leader.Run)
	return g.Wait()
}

// part runs f, logging and returning its error unless ctx ended first.
func (s *Service) part(ctx context.Context, name string, f func(context.Context) error) error {
	err := f(ctx)
	if err == nil || errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return nil
	}
	s.Log.Error(name+" stopped; shutting down", "err", err)
	return fmt.Errorf("%s: %w", name, err)
}

// leaderDuties runs the first scan, the scan and digest schedule and the
// leader-only jobs until ctx ends. A leader-only job that fails ends them
// with its error.
func (s *Service) leaderDuties(ctx context.Context) error {
	// Each scan first picks up an edited rules.yaml. Scans come from the
	// schedule and from feeds that brought items, one at a time.
	var scanning sync.Mutex
	scan := func(ctx context.Context) {
		scanning.Lock()
		defer scanning.Unlock()
		s.Rules.ReloadIfChanged()
		if _, err := s.Rules.Rules().Scanner.Scan(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("scan failed", "err", err)
		}
	}
	sched, reschedule, err := s.schedule(ctx, scan, &scanning)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-s.Rules.Changed():
				reschedule(ctx)
			}
		}
	})
	// Feeds are fetched apart from the scans, each on its own interval, so
	// a slow feed holds up no scan; what they bring is processed at once.
	g.Go(func() error { return s.Rules.Feeds().Run(ctx) })
	// Files written into the corpus folder are scanned at once too.
	written := make(chan struct{}, 1)
	if s.Watch != nil {
		g.Go(func() error {
			return s.Watch.Run(ctx, func() {
				select {
				case written <- struct{}{}:
				default:
				}
			})
		})
	}
	g.Go(func() error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-s.Rules.Fetched():
				scan(ctx)
			case <-written:
				scan(ctx)
			}
		}
	})
	// The first scan runs at once, then the first prune; then both on the
	// schedule.
	scan(ctx)
	s.ready.Store(true)
	g.Go(func() error { s.prune(ctx, &scanning); return nil })
	sched.Start(ctx)
	for name, f := range s.LeaderJobs {
		g.Go(func() error {
			if err := f(ctx); err != nil && ctx.Err() == nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	<-ctx.Done()
	sched.Stop()
	return g.Wait()
}

// schedule makes the leader's schedule: scans, digests (reschedule
// rebuilds them), and retention, which runs between scans (it holds
// scanning), so no pass compares a document with one being deleted.
func (s *Service) schedule(ctx context.Context, scan func(context.Context), scanning *sync.Mutex) (*Scheduler, func(context.Context), error) {
	sched := NewScheduler(s.Log)
	if err := sched.Add("scan", s.ScanSchedule, scan); err != nil {
		return nil, nil, fmt.Errorf("BOT_SCAN_SCHEDULE=%q: %w", s.ScanSchedule, err)
	}
	reschedule := func(ctx context.Context) {
		if err := s.Rules.Rules().Digester.Reschedule(ctx, sched); err != nil && ctx.Err() == nil {
			s.Log.Error("scheduling digests", "err", err)
		}
	}
	reschedule(ctx)
	// Subscriptions made through another replica reach the schedule within
	// five minutes; those made here at once.
	if err := sched.Add("reload", "@every 5m", reschedule); err != nil {
		return nil, nil, err
	}
	if s.Pruner != nil && s.Pruner.Window > 0 {
		if err := sched.Add("retention", PruneSchedule, func(ctx context.Context) { s.prune(ctx, scanning) }); err != nil {
			return nil, nil, err
		}
	}
	return sched, reschedule, nil
}

// prune runs the Pruner between scans (it holds scanning), when
// retention is on.
func (s *Service) prune(ctx context.Context, scanning *sync.Mutex) {
	if s.Pruner == nil || s.Pruner.Window <= 0 {
		return
	}
	scanning.Lock()
	defer scanning.Unlock()
	if _, err := s.Pruner.Prune(ctx); err != nil && ctx.Err() == nil {
		s.Log.Error("retention failed; it runs again on its schedule", "err", err)
	}
}
