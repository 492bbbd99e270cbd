package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/console"
	"github.com/wirewatch/wirewatch/chat/slack"
	"github.com/wirewatch/wirewatch/chat/telegram"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/postgres"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

// loadRules loads and checks rules.yaml against the built-in gazetteer.
func loadRules(path string) (*rules.Config, *geo.Gazetteer, error) {
	gaz := geo.Default()
	cfg, err := rules.Loader{Gazetteer: gaz, LookupEnv: lookupEnv}.Load(path)
	if err != nil {
		return nil, nil, err
	}
	return cfg, gaz, nil
}

// openStore opens SQLite (a file path) or PostgreSQL (a postgres:// URL).
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("opening PostgreSQL %s: %w", redactURL(dsn), err)
		}
		return db, nil
	}
	db, err := sqlite.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("opening SQLite %s: %w", dsn, err)
	}
	return db, nil
}

// redactURL hides a password in a database URL, in the user part or the
// query; a URL it cannot parse is hidden whole but for its scheme.
func redactURL(s string) string {
	if !strings.Contains(s, "://") {
		return s // a file path
	}
	u, err := url.Parse(s)
	if err != nil {
		scheme, _, _ := strings.Cut(s, "://")
		return scheme + "://[redacted]"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// wiring is every concrete part of a running bot. What rules.yaml
// determines lives in a ruleWiring that a reload replaces as a whole.
type wiring struct {
	env        *Env
	store      store.Store
	parser     corpus.Parser
	deliverer  *bot.Deliverer
	metrics    *bot.Metrics
	transports map[string]chat.Transport
	slackCmds  http.Handler
	tgWebhook  http.Handler
	background map[string]func(context.Context) error
	// leaderJobs run only in the replica that holds the leader lease.
	leaderJobs map[string]func(context.Context) error
	// reschedule is signalled when subscriptions or rules change.
	reschedule chan struct{}
	closers    []func()
	ready      atomic.Bool
	started    time.Time
	live       atomic.Pointer[ruleWiring]
}

// ruleWiring is everything built from one rules.yaml.
type ruleWiring struct {
	cfg      *rules.Config
	engine   *bot.Engine
	scanner  *bot.Scanner
	digester *bot.Digester
	router   *bot.Router
	feeds    []bot.Source
	// stamp identifies the rules file it was built from.
	stamp fileStamp
}

// fileStamp identifies a version of a file: its modification time and a
// hash of its content (an edit within one mtime tick still shows).
type fileStamp struct {
	mod  time.Time
	hash [sha256.Size]byte
}

func stampOf(path string) fileStamp {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: info.ModTime(), hash: sha256.Sum256(data)}
}

// wire builds the bot from its parts. con, when set, is the console chat:
// every channel then posts there.
func (e *Env) wire(ctx context.Context, cfg *rules.Config, gaz *geo.Gazetteer, st store.Store, con *console.Console) (*wiring, error) {
	w := &wiring{env: e, store: st, metrics: bot.NewMetrics(), transports: map[string]chat.Transport{},
		background: map[string]func(context.Context) error{}, leaderJobs: map[string]func(context.Context) error{},
		reschedule: make(chan struct{}, 1), started: time.Now()}
	w.parser = corpus.Parser{MaxSize: e.Config.MaxFileSize, Logger: e.Log}
	if con != nil {
		w.transports["console"] = con
	}
	if err := w.chatTransports(ctx, con); err != nil {
		return nil, err
	}
	w.deliverer = &bot.Deliverer{Store: st, Transports: w.transports, Renderer: &bot.Renderer{Store: st},
		Clock: bot.SystemClock{}, Log: e.Log, Metrics: w.metrics}
	if con != nil {
		// A terminal has no rate limit worth waiting for.
		w.deliverer.Every = time.Millisecond
	}
	rw, err := w.build(cfg, gaz)
	if err != nil {
		return nil, err
	}
	rw.stamp = stampOf(e.Config.Rules)
	w.live.Store(rw)
	if err := w.chatCommands(); err != nil {
		return nil, err
	}
	w.metrics.Gauge(func() map[string]float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		out := map[string]float64{}
		stats, err := st.OutboxStats(ctx)
		if err != nil {
			return out
		}
		for s, n := range stats {
			out[fmt.Sprintf(`wirewatch_outbox_rows{state=%q}`, s)] = float64(n)
		}
		return out
	})
	return w, nil
}

// build makes the parts that depend on rules.yaml.
func (w *wiring) build(cfg *rules.Config, gaz *geo.Gazetteer) (*ruleWiring, error) {
	e, st := w.env, w.store
	matcher, err := rules.Compile(cfg, gaz)
	if err != nil {
		return nil, fmt.Errorf("compiling rules: %w", err)
	}
	opts := dedup.Options{Shingle: cfg.Dedup.Shingle, Containment: cfg.Dedup.Containment}
	det, err := dedup.NewDetector(st, func(ctx context.Context, id string) (string, error) {
		d, err := st.Document(ctx, id)
		if err != nil {
			return "", err
		}
		return d.Text(), nil
	}, opts)
	if err != nil {
		return nil, fmt.Errorf("dedup options in %s: %w", e.Config.Rules, err)
	}
	places, err := withAliases(gaz, cfg)
	if err != nil {
		return nil, err
	}
	clock := bot.SystemClock{}
	routes := w.routes(cfg)
	rw := &ruleWiring{cfg: cfg}
	rw.engine = &bot.Engine{Store: st, Analyzer: analyzer{matcher}, Copies: copyDetector{det}, Rules: cfg,
		Routes: routes, Clock: clock, Log: e.Log, Notify: w.deliverer.Wake}
	rw.digester = &bot.Digester{Store: st, Rules: cfg, Routes: routes, Clock: clock, Log: e.Log, Notify: w.deliverer.Wake}
	rw.router = &bot.Router{Store: st, Rules: cfg, Places: places, Digests: rw.digester, Clock: clock, Log: e.Log,
		Metrics: w.metrics, Started: w.started, Status: w.status,
		OnSubscriptionsChanged: w.signalReschedule}
	for _, f := range cfg.Feeds {
		rw.feeds = append(rw.feeds, newFeedSource(f, st))
	}
	rw.scanner = &bot.Scanner{Sources: append([]bot.Source{bot.NewDirSource(e.Config.CorpusDir, st, w.parser)}, rw.feeds...),
		Engine: rw.engine, Log: e.Log, Metrics: w.metrics}
	return rw, nil
}

// rules returns the parts built from the rules in force.
func (w *wiring) rules() *ruleWiring { return w.live.Load() }

func (w *wiring) signalReschedule() {
	select {
	case w.reschedule <- struct{}{}:
	default:
	}
}

// HandleCommand answers a command with the rules in force, so every
// transport keeps answering across reloads.
func (w *wiring) HandleCommand(ctx context.Context, c chat.Command) chat.Message {
	return w.rules().router.HandleCommand(ctx, c)
}

// reloadIfChanged reloads rules.yaml when the file changed since it was
// last read. A file with errors is reported once, every problem as
// FILE:LINE:COL, and the rules in force stay.
func (w *wiring) reloadIfChanged() {
	path := w.env.Config.Rules
	cur := w.rules()
	stamp := stampOf(path)
	if stamp == cur.stamp || stamp == (fileStamp{}) {
		return
	}
	cfg, gaz, err := loadRules(path)
	var rw *ruleWiring
	if err == nil {
		rw, err = w.build(cfg, gaz)
	}
	if err != nil {
		w.env.Log.Error("rules file has errors; the rules in force stay until it is fixed", "file", path, "errors", err.Error())
		bad := *cur
		bad.stamp = stamp // report this version once
		w.live.Store(&bad)
		return
	}
	rw.stamp = stamp
	w.live.Store(rw)
	w.env.Log.Info("rules reloaded", "file", path, "rules", len(cfg.Rules), "channels", len(cfg.Channels))
	w.signalReschedule()
}

// chatTransports creates the Slack and Telegram transports whose tokens
// are set.
func (w *wiring) chatTransports(ctx context.Context, con *console.Console) error {
	c := w.env.Config
	if c.SlackBotToken != "" {
		opts := []slack.Option{slack.WithLogger(w.env.Log)}
		if c.SlackAPIURL != "" {
			opts = append(opts, slack.WithAPIURL(c.SlackAPIURL))
		}
		w.transports["slack"] = slack.New(c.SlackBotToken, opts...)
	}
	if c.TelegramBotToken != "" {
		t, err := telegram.New(ctx, c.TelegramBotToken, c.TelegramAPIURL,
			telegram.WithLogger(w.env.Log), telegram.WithLinkPreviews(c.TelegramLinkPreviews))
		if err != nil {
			return fmt.Errorf("connecting to Telegram (check TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL): %w", err)
		}
		w.transports["telegram"] = t
	}
	return nil
}

// routes maps each channel of rules.yaml to its destinations. In console
// mode every channel prints on the one console (so an alert prints once,
// however many channels its rule has); otherwise a channel whose platform
// has no token is reported once and skipped.
func (w *wiring) routes(cfg *rules.Config) map[string][]bot.Dest {
	out := map[string][]bot.Dest{}
	// Console mode: the console transport, or no chat token at all (the
	// command-line scan queues for the console of a later `bot run`).
	_, console := w.transports["console"]
	console = console || w.env.Config.Console()
	for _, ch := range cfg.Channels {
		add := func(transport, id string) {
			if console {
				out[ch.Name] = []bot.Dest{{Transport: "console", Channel: "console", Name: ch.Name}}
				return
			}
			if _, ok := w.transports[transport]; !ok {
				w.env.Log.Warn("channel not posted to: its platform has no token", "channel", ch.Name, "platform", transport)
				return
			}
			out[ch.Name] = append(out[ch.Name], bot.Dest{Transport: transport, Channel: id, Name: ch.Name})
		}
		if ch.Slack != "" {
			add("slack", ch.Slack)
		}
		if ch.Telegram != "" {
			add("telegram", ch.Telegram)
		}
		if ch.Console {
			add("console", ch.Name)
		}
	}
	return out
}

// chatCommands sets up Slack slash commands (HTTP and Socket Mode) and
// Telegram commands (polling or webhook).
func (w *wiring) chatCommands() error {
	c := w.env.Config
	if st, ok := w.transports["slack"].(*slack.Transport); ok {
		if c.SlackSigningSecret != "" {
			h, err := slack.NewCommandHandler(c.SlackSigningSecret, w, slack.WithCommandLogger(w.env.Log))
			if err != nil {
				return fmt.Errorf("slack commands: %w", err)
			}
			w.slackCmds = h
			w.closers = append(w.closers, func() { h.Close() })
		}
		if c.SlackAppToken != "" {
			w.background["slack socket mode"] = func(ctx context.Context) error {
				return st.RunSocketMode(ctx, c.SlackAppToken, w, slack.WithCommandLogger(w.env.Log))
			}
		}
	}
	if tt, ok := w.transports["telegram"].(*telegram.Transport); ok {
		allowed, err := telegram.ParseAllowedChats(c.TelegramAllowedChats)
		if err != nil {
			return fmt.Errorf("TELEGRAM_ALLOWED_CHATS: %w", err)
		}
		d := &telegram.Dispatcher{Transport: tt, Handler: w, Allowed: allowed, Logger: w.env.Log}
		if c.TelegramWebhookURL != "" {
			wh, err := telegram.NewWebhook(d, c.TelegramWebhookURL, c.TelegramWebhookSecret)
			if err != nil {
				return fmt.Errorf("telegram webhook: %w", err)
			}
			w.tgWebhook = wh
			w.background["telegram webhook"] = wh.Run
		} else {
			// Telegram serves getUpdates to one poller at a time. A new
			// poller each term reads the offset the last leader saved.
			w.leaderJobs["telegram polling"] = func(ctx context.Context) error {
				p := &telegram.Poller{Dispatcher: d, Offsets: w.store, Timeout: telegram.DefaultPollTimeout}
				return p.Run(ctx)
			}
		}
	}
	return nil
}

func (w *wiring) httpHandler() http.Handler {
	return bot.NewHTTPHandler(bot.HTTPOptions{
		Ready: func(ctx context.Context) error {
			if !w.ready.Load() {
				return errors.New("first scan not finished")
			}
			_, err := w.store.OutboxStats(ctx)
			return err
		},
		Metrics:         w.metrics,
		SlackCommands:   w.slackCmds,
		TelegramWebhook: w.tgWebhook,
	})
}

func (w *wiring) markReady() { w.ready.Store(true) }

func (w *wiring) close() {
	for _, c := range w.closers {
		c()
	}
}

func (w *wiring) transportNames() string {
	var n []string
	for k := range w.transports {
		n = append(n, k)
	}
	sort.Strings(n)
	return strings.Join(n, ",")
}

func (w *wiring) status(ctx context.Context) []string {
	last := w.rules().scanner.Last()
	if last.At.IsZero() {
		return []string{"No scan has run yet."}
	}
	line := fmt.Sprintf("Last scan %s UTC: %d new, %d duplicate, %d processed.", last.At.Format("2006-01-02 15:04:05"), last.New, last.Dupes, last.Processed)
	out := []string{line}
	for _, e := range last.Errors {
		out = append(out, "scan error: "+e)
	}
	return out
}

// syncCorpus runs one scan so a command answers from the current corpus;
// the alerts it finds are queued for `bot run` to deliver.
func (w *wiring) syncCorpus(ctx context.Context) error {
	_, err := w.rules().scanner.Scan(ctx)
	return err
}
