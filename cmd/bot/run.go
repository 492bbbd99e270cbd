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
	cfg, gaz, err := loadRules(e.Config.Rules)
	if err != nil {
		return fmt.Errorf("%s: %w", e.Config.Rules, err)
	}
	st, err := openStore(ctx, e.Config.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := e.wire(ctx, cfg, gaz, st, nil)
	if err != nil {
		return err
	}
	if !*dry {
		if err := w.syncCorpus(ctx); err != nil {
			return err
		}
	}
	name := ""
	if len(names) == 1 {
		name = names[0]
	}
	msg, err := w.digester.BuildFor(ctx, name, bot.Dest{Transport: "console", Channel: "console"})
	if err != nil {
		return err
	}
	c := console.New(e.Stdout)
	c.Location = location(cfg.Timezone)
	if _, err := c.Send(ctx, msg); err != nil {
		return err
	}
	if *dry {
		return nil
	}
	jobs, err := w.digester.Jobs(ctx)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if name == "" || j.Digest == name {
			if err := w.digester.Enqueue(ctx, j); err != nil {
				return err
			}
		}
	}
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
		con.Location = location(cfg.Timezone)
	}
	w, err := e.wire(ctx, cfg, gaz, st, con)
	if err != nil {
		return err
	}
	defer w.close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	goFn := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) {
				e.Log.Error(name+" stopped", "err", err)
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

	// The first scan runs at once; then on the schedule.
	scan := func(ctx context.Context) {
		if _, err := w.scanner.Scan(ctx); err != nil && ctx.Err() == nil {
			e.Log.Error("scan failed", "err", err)
		}
	}
	sched := bot.NewScheduler(e.Log)
	if err := sched.Add("scan", e.Config.ScanSchedule, scan); err != nil {
		return fmt.Errorf("BOT_SCAN_SCHEDULE=%q: %w", e.Config.ScanSchedule, err)
	}
	if err := w.digester.Reschedule(ctx, sched); err != nil {
		e.Log.Error("scheduling digests", "err", err)
	}
	w.router.OnSubscriptionsChanged = func() {
		if err := w.digester.Reschedule(ctx, sched); err != nil {
			e.Log.Error("scheduling digests", "err", err)
		}
	}
	scan(ctx)
	w.markReady()
	sched.Start(ctx)

	if con != nil {
		goFn("console", func(ctx context.Context) error {
			err := con.Serve(ctx, e.Stdin, w.router)
			if err == nil {
				e.Log.Debug("stdin closed; commands from the console end, the bot keeps running")
			}
			return err
		})
	}

	<-ctx.Done()
	e.Log.Info("shutting down")
	sched.Stop()
	shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	srv.Shutdown(shutdownCtx) //nolint:errcheck // best effort on the way out
	cancel()
	wg.Wait()
	return nil
}
