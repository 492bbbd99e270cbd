package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat/console"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/store"
)

// Digest builds a digest now and prints it; without --dry-run it is also
// queued for its channels (delivered by `bot run`).
func (e *Env) Digest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	dry := fs.Bool("dry-run", false, "print only; queue nothing")
	names, err := parseInterleaved(fs, args)
	if err != nil || len(names) > 1 {
		return errUsage
	}
	w, closeStore, err := e.openSynced(ctx, !*dry)
	if err != nil {
		return err
	}
	defer closeStore()
	name := ""
	if len(names) == 1 {
		name = names[0]
	}
	msg, err := w.rules().digester.BuildFor(ctx, name, bot.Dest{Transport: "console", Channel: "console"})
	if err != nil {
		return err
	}
	c := console.New(e.Stdout)
	c.Location = location(e.Config.Timezone)
	if _, err := c.Send(ctx, msg); err != nil {
		return err
	}
	if *dry {
		return nil
	}
	jobs, err := w.rules().digester.Jobs(ctx)
	if err != nil {
		return err
	}
	queued := 0
	for _, j := range jobs {
		if name == "" || j.Digest == name {
			// A key of its own: a digest asked for now neither replaces
			// nor is swallowed by the day's scheduled one.
			if err := w.rules().digester.EnqueueNow(ctx, j, "manual-"+time.Now().UTC().Format("20060102T150405")); err != nil {
				return err
			}
			queued++
		}
	}
	fmt.Fprintf(e.Stdout, "queued for %s; `bot run` delivers it\n", english.Plural(queued, "channel"))
	return nil
}

// Run is the long-running bot: scheduled scans, delivery, digests,
// commands and the HTTP endpoints, until ctx is cancelled.
func (e *Env) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	if _, err := parseInterleaved(fs, args); err != nil {
		return errUsage
	}
	cfg, gaz, err := loadRules(e.Config.Rules)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("%s:\n%w\n(run `bot check` to see every problem)", e.Config.Rules, err)}
	}
	st, err := openStore(ctx, e.Config.DB)
	if err != nil {
		return err
	}
	defer st.Close()

	var con *console.Console
	if e.Config.Console() {
		con = console.New(e.Stdout)
		con.Location = location(e.Config.Timezone)
	}
	w, err := e.wire(ctx, cfg, gaz, st, con)
	if err != nil {
		return err
	}
	defer w.close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	// A part that stops with an error stops the bot (exit 1), rather than
	// leave it running without scanning or delivering.
	var failed error
	var failOnce sync.Once
	goFn := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
				e.Log.Error(name+" stopped; shutting down", "err", err)
				failOnce.Do(func() { failed = fmt.Errorf("%s: %w", name, err) })
				cancel()
			}
		}()
	}

	// HTTP: health, readiness, metrics, Slack commands, Telegram webhook.
	ln, err := net.Listen("tcp", e.Config.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listening on BOT_HTTP_ADDR=%s: %w", e.Config.HTTPAddr, err)
	}
	srv := &http.Server{Handler: w.httpHandler(), ReadHeaderTimeout: 10 * time.Second}
	goFn("http server", func(ctx context.Context) error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	e.Log.Info("wirewatch running", "http", ln.Addr().String(), "store", redactURL(e.Config.DB),
		"corpus", e.Config.CorpusDir, "schedule", e.Config.ScanSchedule, "transports", w.transportNames())

	goFn("delivery", w.deliverer.Run)
	for name, f := range w.background {
		goFn(name, f)
	}

	// The leader scans, sends digests on schedule and polls Telegram; with
	// PostgreSQL shared by several replicas only one leads at a time (an
	// advisory lock), the others deliver and answer commands. Scans are
	// idempotent, so a moment with two leaders costs work, not duplicates.
	goFn("leadership", func(ctx context.Context) error {
		return e.lead(ctx, w)
	})
	if con != nil {
		goFn("console", func(ctx context.Context) error {
			err := con.Serve(ctx, e.Stdin, w)
			if err == nil {
				e.Log.Debug("stdin closed; commands from the console end, the bot keeps running")
			}
			return err
		})
	}

	<-ctx.Done()
	e.Log.Info("shutting down")
	shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	srv.Shutdown(shutdownCtx) //nolint:errcheck // best effort on the way out
	cancel()
	wg.Wait()
	return failed
}

// LeaderLease is the name of the lease whose holder runs the schedule.
const LeaderLease = "wirewatch-leader"

// How often a standby tries the leader lease, and a leader checks it; how
// long a replica that lost the lease waits before competing again
// (variables so tests can change them).
var (
	leaseRetry   = 30 * time.Second
	leaseCheck   = 15 * time.Second
	stepDownWait = 60 * time.Second
)

// lead runs the leader's duties whenever this replica holds the leader
// lease, until ctx ends. A leader that loses the lease (its PostgreSQL
// session ended) stops its duties and stands by again.
func (e *Env) lead(ctx context.Context, w *wiring) error {
	for {
		release, ok := e.awaitLease(ctx, w)
		if !ok {
			return nil // ctx ended
		}
		lctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		if c, ok := w.store.(store.LeaseChecker); ok {
			// A leader whose session ended notices within two checks:
			// wait that long so two replicas never scan at once.
			select {
			case <-ctx.Done():
				stop()
				release()
				return nil
			case <-time.After(2 * leaseCheck):
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				e.watchLease(lctx, c, stop)
			}()
		}
		err := e.leaderDuties(lctx, w)
		stop()
		wg.Wait()
		release()
		if err != nil || ctx.Err() != nil {
			return err
		}
		e.Log.Error("the leader lease was lost (the store session ended); stopped scanning and standing by")
		// A replica that just lost its session is the worst candidate: let
		// the others try first.
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(stepDownWait):
		}
	}
}

// awaitLease takes the leader lease, trying again every leaseRetry while
// another replica holds it. It returns false when ctx ends first.
func (e *Env) awaitLease(ctx context.Context, w *wiring) (release func(), ok bool) {
	l, isLeaser := w.store.(store.Leaser)
	if !isLeaser {
		return func() {}, ctx.Err() == nil
	}
	for {
		rel, ok, err := l.TryLease(ctx, LeaderLease)
		if ok {
			return rel, true
		}
		if err != nil && ctx.Err() == nil {
			e.Log.Error("taking the leader lease", "err", err)
		}
		w.markReady() // a standby delivers and answers commands
		w.reloadIfChanged()
		e.Log.Info("another replica leads; standing by")
		select {
		case <-ctx.Done():
			return nil, false
		case <-time.After(leaseRetry):
		}
	}
}

// watchLease calls lost once two checks in a row find the lease gone (one
// slow answer of the database is not a lost lease).
func (e *Env) watchLease(ctx context.Context, c store.LeaseChecker, lost func()) {
	misses := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(leaseCheck):
		}
		held, err := c.HoldsLease(ctx, LeaderLease)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			e.Log.Warn("checking the leader lease", "err", err)
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

// leaderDuties runs the first scan, the scan and digest schedule and the
// leader-only jobs until ctx ends. A leader-only job that fails stops the
// bot (its error is returned).
func (e *Env) leaderDuties(ctx context.Context, w *wiring) error {
	// Each scan first picks up an edited rules.yaml.
	scan := func(ctx context.Context) {
		w.reloadIfChanged()
		if _, err := w.rules().scanner.Scan(ctx); err != nil && ctx.Err() == nil {
			e.Log.Error("scan failed", "err", err)
		}
	}
	sched := bot.NewScheduler(e.Log)
	if err := sched.Add("scan", e.Config.ScanSchedule, scan); err != nil {
		return fmt.Errorf("BOT_SCAN_SCHEDULE=%q: %w", e.Config.ScanSchedule, err)
	}
	reschedule := func(ctx context.Context) {
		if err := w.rules().digester.Reschedule(ctx, sched); err != nil && ctx.Err() == nil {
			e.Log.Error("scheduling digests", "err", err)
		}
	}
	reschedule(ctx)
	// Subscriptions made through another replica reach the schedule within
	// five minutes; those made here at once.
	if err := sched.Add("reload", "@every 5m", reschedule); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var failed error
	var once sync.Once
	run := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && ctx.Err() == nil {
				once.Do(func() { failed = fmt.Errorf("%s: %w", name, err) })
				cancel()
			}
		}()
	}
	run("digest rescheduling", func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-w.reschedule:
				reschedule(ctx)
			}
		}
	})
	// The first scan runs at once; then on the schedule.
	scan(ctx)
	w.markReady()
	sched.Start(ctx)
	for name, f := range w.leaderJobs {
		run(name, f)
	}
	<-ctx.Done()
	sched.Stop()
	wg.Wait()
	return failed
}
