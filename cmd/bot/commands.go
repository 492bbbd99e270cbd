package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/console"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Check validates rules.yaml: every problem as FILE:LINE:COL: message, and
// exit 1 when there is one.
func (e *Env) Check(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	path := fs.String("rules", e.Config.Rules, "rules file to check")
	if err := e.noArgs("check", fs, args); err != nil {
		return err
	}
	cfg, _, err := e.loadRules(*path)
	if err != nil {
		var list rules.ErrorList
		if errors.As(err, &list) {
			for _, le := range list {
				fmt.Fprintln(e.Stdout, le.Error())
			}
			return &exitError{code: 1, err: fmt.Errorf("%s: %s", *path, english.Plural(len(list), "problem"))}
		}
		return rulesError(*path, err)
	}
	fmt.Fprintf(e.Stdout, "%s: ok (%s, %s, %s, %s)\n", *path, english.Plural(len(cfg.Rules), "rule"),
		english.Plural(len(cfg.Channels), "channel"), english.Plural(len(cfg.Regions), "region"), english.Plural(len(cfg.Digests), "digest"))
	return nil
}

// Scan runs one pass over the corpus (or the paths given). With --dry-run
// it works on a throwaway store and sends nothing; otherwise it stores the
// documents and enqueues their alerts for the next `bot run` to deliver.
func (e *Env) Scan(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "write and send nothing (work on a throwaway store)")
	asJSON := fs.Bool("json", false, "print one JSON object per document, in input order")
	paths, err := e.flags("scan", fs, args)
	if err != nil {
		return err
	}
	dsn := e.Config.DB
	if *dry {
		dir, err := os.MkdirTemp("", "wirewatch-dry-run-")
		if err != nil {
			return fmt.Errorf("dry run: %w", err)
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "dry-run.db")
	}
	w, closeStore, err := e.open(ctx, dsn, false)
	if err != nil {
		return err
	}
	defer closeStore()
	rs := w.live.Rules()
	rs.Engine.DryRun = *dry
	list, err := rs.List(ctx, w.shared, bot.ScanRequest{Paths: paths, All: *asJSON})
	if err != nil {
		return err
	}
	if *asJSON {
		return list.WriteJSON(e.Stdout, rs.Places)
	}
	return list.WriteSummary(e.Stdout, *dry)
}

// Latest prints the newest documents about a place or words.
func (e *Env) Latest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("latest", flag.ContinueOnError)
	n := fs.Int("n", bot.DefaultResults, fmt.Sprintf("how many, 1 to %d", bot.MaxResults))
	q, err := e.flags("latest", fs, args)
	switch {
	case err != nil:
		return err
	case len(q) == 0:
		return e.usageError("latest", fs, "what about? give a place or words, e.g. bot latest badghis")
	case *n < 1 || *n > bot.MaxResults:
		return e.usageError("latest", fs, "-n %d: want a number from 1 to %d", *n, bot.MaxResults)
	}
	w, closeStore, err := e.open(ctx, e.Config.DB, true)
	if err != nil {
		return err
	}
	defer closeStore()
	reply := w.live.HandleCommand(ctx, chat.Command{Transport: "console", Channel: "console", Name: "latest",
		Args: fmt.Sprintf("%s %d", strings.Join(q, " "), *n)})
	_, err = e.console().Send(ctx, reply)
	return err
}

// Digest builds a digest now and prints it; without --dry-run it is also
// queued for its channels (delivered by `bot run`).
func (e *Env) Digest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "print only; queue nothing")
	names, err := e.flags("digest", fs, args)
	if err != nil {
		return err
	}
	if len(names) > 1 {
		return e.usageError("digest", fs, "one digest at a time, not %q", strings.Join(names, " "))
	}
	w, closeStore, err := e.open(ctx, e.Config.DB, !*dry)
	if err != nil {
		return err
	}
	defer closeStore()
	name := strings.Join(names, "")
	digester := w.live.Rules().Digester
	msg, err := digester.BuildFor(ctx, name, bot.Dest{Transport: "console", Channel: "console"})
	if err != nil {
		return err
	}
	if _, err := e.console().Send(ctx, msg); err != nil || *dry {
		return err
	}
	queued, err := digester.EnqueueByHand(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "queued for %s; `bot run` delivers it\n", english.Plural(queued, "channel"))
	return nil
}

func (e *Env) console() *console.Console {
	c := console.New(e.Stdout)
	c.Location = location(e.Config.Timezone)
	return c
}

func location(tz string) *time.Location {
	if l, err := time.LoadLocation(tz); err == nil {
		return l
	}
	return time.UTC
}

// open opens the store at dsn and wires the bot for a one-off command;
// with sync, it first scans the corpus so the command answers from what is
// on disk (the alerts found are queued for `bot run`).
func (e *Env) open(ctx context.Context, dsn string, sync bool) (*wiring, func(), error) {
	cfg, gaz, err := e.loadRules(e.Config.Rules)
	if err != nil {
		return nil, nil, rulesError(e.Config.Rules, err)
	}
	st, err := openStore(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	w, err := e.wire(ctx, cfg, gaz, st, nil)
	if err == nil && sync {
		_, err = w.live.Rules().Scanner.Scan(ctx)
	}
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return w, func() { w.close(); st.Close() }, nil
}

// Run is the long-running bot: scheduled scans, delivery, digests,
// commands and the HTTP endpoints, until ctx is cancelled.
func (e *Env) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	if err := e.noArgs("run", fs, args); err != nil {
		return err
	}
	cfg, gaz, err := e.loadRules(e.Config.Rules)
	if err != nil {
		return rulesError(e.Config.Rules, err)
	}
	st, err := openStore(ctx, e.Config.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	var con *console.Console
	if e.Config.Console() {
		con = e.console()
	}
	w, err := e.wire(ctx, cfg, gaz, st, con)
	if err != nil {
		return err
	}
	defer w.close()
	svc := &bot.Service{Rules: w.live, Deliverer: w.deliverer, Background: w.background, LeaderJobs: w.leaderJobs,
		ScanSchedule: e.Config.ScanSchedule, Log: e.Log, Leader: &bot.Leader{Clock: bot.SystemClock{}, Log: e.Log}}
	svc.Leader.Leases, _ = st.(store.Leaser)
	svc.Leader.Checker, _ = st.(store.LeaseChecker)
	if con != nil {
		svc.Background["console"] = func(ctx context.Context) error {
			err := con.Serve(ctx, e.Stdin, w.live)
			if err == nil {
				e.Log.Debug("stdin closed; commands from the console end, the bot keeps running")
			}
			return err
		}
	}
	svc.Listener, err = net.Listen("tcp", e.Config.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listening on BOT_HTTP_ADDR=%s: %w", e.Config.HTTPAddr, err)
	}
	svc.Server = bot.NewHTTPServer(bot.NewHTTPHandler(bot.HTTPOptions{
		Ready: svc.Ready, Degraded: w.shared.Health.Lines, Metrics: w.shared.Metrics, SlackCommands: w.slackCmds,
		SlackInteractions: w.slackActs, TelegramWebhook: w.tgWebhook}),
		bot.HTTPLimits{})
	var names []string
	for k := range w.shared.Transports {
		names = append(names, k)
	}
	slices.Sort(names)
	e.Log.Info("wirewatch running", "http", svc.Listener.Addr().String(), "store", redactURL(e.Config.DB),
		"corpus", e.Config.CorpusDir, "schedule", e.Config.ScanSchedule, "transports", strings.Join(names, ","))
	return svc.Run(ctx)
}

// Healthcheck asks the running bot's /healthz, for container health checks
// in images without curl.
func (e *Env) Healthcheck(ctx context.Context, args []string) error {
	if err := e.noArgs("healthcheck", flag.NewFlagSet("healthcheck", flag.ContinueOnError), args); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(e.Config.HTTPAddr)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("BOT_HTTP_ADDR=%q: %w", e.Config.HTTPAddr, err)}
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck: %w", err)}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck: %s", resp.Status)}
	}
	return nil
}
