package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/console"
	"github.com/wirewatch/wirewatch/internal/cli"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store/backend"
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
			return &cli.ExitError{Code: 1, Err: fmt.Errorf("%s: %s", *path, english.Plural(len(list), "problem"))}
		}
		return rulesError(*path, err)
	}
	fmt.Fprintln(e.Stdout, "ok:", cfg.Summary())
	return nil
}

// Scan runs one pass over the corpus (or the paths given). With --dry-run
// it works on a throwaway store and sends nothing; otherwise it takes the
// leader lease, stores the documents and enqueues their alerts for `bot
// run` to deliver. Beside a running bot (which holds the lease and scans
// the corpus itself) it stores and queues nothing, as with --dry-run, and
// says so: two processes never process the same documents.
func (e *Env) Scan(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "write and send nothing (work on a throwaway store)")
	asJSON := fs.Bool("json", false, "print one JSON object per document, in input order")
	paths, err := e.flags("scan", fs, args)
	if err != nil {
		return err
	}
	var w *wiring
	var closeStore func()
	if !*dry {
		var beside bool
		if w, beside, closeStore, err = e.openCommand(ctx, e.Config.DB, leaseOnly); err != nil {
			return err
		}
		if beside {
			closeStore()
			*dry = true
			fmt.Fprintln(e.Stderr, "nothing was stored or queued (as with --dry-run): the running bot scans the corpus itself")
		}
	}
	if *dry {
		dsn, remove, err := backend.TempDSN()
		if err != nil {
			return err
		}
		defer remove()
		if w, _, closeStore, err = e.openCommand(ctx, dsn, noLease); err != nil {
			return err
		}
	}
	defer closeStore()
	rs := w.Live.Rules()
	rs.Engine.DryRun = *dry
	_, err = rs.List(ctx, w.Shared, bot.ScanRequest{Paths: paths, All: *asJSON},
		bot.ScanOutput{W: e.Stdout, JSON: *asJSON, DryRun: *dry, Places: rs.Places})
	return err
}

// Latest prints the newest documents about a place or words.
func (e *Env) Latest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("latest", flag.ContinueOnError)
	n := fs.Int("n", bot.DefaultResults, fmt.Sprintf("how many, 1 to %d", bot.MaxResults))
	q, err := e.flags("latest", fs, args)
	switch {
	case err != nil:
		return err
	case *n < 1 || *n > bot.MaxResults:
		return program.UsageError("latest", fs, e.Stderr, "-n %d: want a number from 1 to %d", *n, bot.MaxResults)
	case len(q) == 0:
		return program.UsageError("latest", fs, e.Stderr, "what about? give a place or words, e.g. bot latest badghis")
	}
	w, _, closeStore, err := e.openCommand(ctx, e.Config.DB, scanFirst)
	if err != nil {
		return err
	}
	defer closeStore()
	reply := w.Live.HandleCommand(ctx, chat.Command{Transport: "console", Channel: "console", Name: "latest",
		Args: fmt.Sprintf("%s %d", strings.Join(q, " "), *n)})
	_, err = e.console().Send(ctx, reply)
	return err
}

// Digest builds a digest now and prints it; without --dry-run it is also
// queued for its channels (delivered by `bot run`). Beside a running bot
// it reads the store as the bot keeps it, and still queues the digest: one
// asked for by hand has a key of its own, so the bot never queues it too.
func (e *Env) Digest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "print only; queue nothing")
	names, err := e.flags("digest", fs, args)
	if err != nil {
		return err
	}
	if len(names) > 1 {
		return program.UsageError("digest", fs, e.Stderr, "one digest at a time, not %q", strings.Join(names, " "))
	}
	mode := scanFirst
	if *dry {
		mode = noLease
	}
	w, _, closeStore, err := e.openCommand(ctx, e.Config.DB, mode)
	if err != nil {
		return err
	}
	defer closeStore()
	name := strings.Join(names, "")
	digester := w.Live.Rules().Digester
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
	c.Location = chat.Location(e.Config.Timezone)
	return c
}

// open loads the rules, opens the store at dsn and wires the bot (con,
// when set, is the console chat); close releases them.
func (e *Env) open(ctx context.Context, dsn string, con *console.Console) (w *wiring, close func(), err error) {
	cfg, gaz, err := e.loadRules(e.Config.Rules)
	if err != nil {
		return nil, nil, rulesError(e.Config.Rules, err)
	}
	st, err := backend.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	if w, err = e.wire(ctx, cfg, gaz, st, con); err != nil {
		st.Close()
		return nil, nil, err
	}
	return w, func() { w.close(); st.Close() }, nil
}

// How a one-off command uses the leader lease, which the running bot
// holds (or, with PostgreSQL, one of its replicas).
type openMode int

const (
	// noLease: the command writes nothing a scan would (a dry run).
	noLease openMode = iota
	// leaseOnly: the command scans and enqueues; it holds the lease until
	// it ends.
	leaseOnly
	// scanFirst: the command holds the lease and scans the corpus first,
	// so it answers from what is on disk (the alerts found are queued for
	// `bot run`); beside a running bot it scans nothing and answers from
	// the store as the bot keeps it.
	scanFirst
)

// openCommand opens the bot on the store at dsn for a one-off command,
// taking the leader lease as mode says. beside reports that a running bot
// holds it (the command then must not scan), which the user is told on
// standard error. closeAll closes everything and gives the lease back.
func (e *Env) openCommand(ctx context.Context, dsn string, mode openMode) (w *wiring, beside bool, closeAll func(), err error) {
	if w, closeAll, err = e.open(ctx, dsn, nil); err != nil {
		return nil, false, nil, err
	}
	release := func() {}
	if mode != noLease {
		var held bool
		var holder string
		release, held, holder, err = bot.LeaseForCommand(ctx, w.Shared.Store)
		if beside = err == nil && !held; beside {
			fmt.Fprintf(e.Stderr, "a bot is running on %s (%s): it scans the corpus and delivers; this command reads the store as that bot keeps it\n",
				backend.Redact(e.Config.DB), holder)
		}
	}
	if err == nil && mode == scanFirst && !beside {
		_, err = w.Live.Rules().Scanner.Scan(ctx)
	}
	if err != nil {
		release()
		closeAll()
		return nil, false, nil, err
	}
	closeStore := closeAll
	return w, beside, func() { release(); closeStore() }, nil
}

// Run is the long-running bot: scheduled scans, delivery, digests,
// commands and the HTTP endpoints, until ctx is cancelled.
func (e *Env) Run(ctx context.Context, args []string) error {
	if err := e.noArgs("run", flag.NewFlagSet("run", flag.ContinueOnError), args); err != nil {
		return err
	}
	var con *console.Console
	if e.Config.Console() {
		con = e.console()
	}
	w, closeAll, err := e.open(ctx, e.Config.DB, con)
	if err != nil {
		return err
	}
	defer closeAll()
	w.svc.HTTPAddr, w.svc.ScanSchedule, w.svc.Retention = e.Config.HTTPAddr, e.Config.ScanSchedule, e.Config.Retention
	svc, err := w.Service(w.svc)
	if err != nil {
		return err
	}
	if con != nil {
		svc.Background["console"] = func(ctx context.Context) error { return con.Serve(ctx, e.Stdin, w.Live) }
	}
	e.Log.Info("wirewatch running", "http", svc.Listener.Addr().String(), "store", backend.Redact(e.Config.DB),
		"corpus", e.Config.CorpusDir, "schedule", e.Config.ScanSchedule, "transports", strings.Join(w.TransportNames(), ","))
	return svc.Run(ctx)
}

// Healthcheck asks the running bot's /healthz, for container health checks
// in images without curl: exit status 1 unless it answers.
func (e *Env) Healthcheck(ctx context.Context, args []string) error {
	if err := e.noArgs("healthcheck", flag.NewFlagSet("healthcheck", flag.ContinueOnError), args); err != nil {
		return err
	}
	if err := bot.CheckHealth(ctx, e.Config.HTTPAddr); err != nil {
		return &cli.ExitError{Code: 1, Err: err}
	}
	return nil
}
