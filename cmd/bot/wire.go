package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/console"
	"github.com/wirewatch/wirewatch/chat/slack"
	"github.com/wirewatch/wirewatch/chat/telegram"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/redact"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/postgres"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

// loadRules loads and checks rules.yaml against the built-in gazetteer,
// expanding ${VAR} from the environment.
func (e *Env) loadRules(path string) (*rules.Config, *geo.Gazetteer, error) {
	gaz := geo.Default()
	lookup := func(k string) (string, bool) {
		v := e.Getenv(k)
		if redact.IsCredentialName(k) {
			e.Redact.Add(v) // ${WIRE_TOKEN} in a feed URL is a secret too
		}
		return v, v != ""
	}
	cfg, err := rules.Loader{Gazetteer: gaz, LookupEnv: lookup}.Load(path)
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

// wiring is every concrete part of a bot.
type wiring struct {
	shared    bot.Shared
	live      *bot.Live
	deliverer *bot.Deliverer
	// chat is what chat commands need: the HTTP handlers and the jobs that
	// receive them.
	slackCmds  http.Handler
	slackGuard *slack.ReplayGuard
	slackActs  http.Handler
	tgWebhook  http.Handler
	background map[string]func(context.Context) error
	leaderJobs map[string]func(context.Context) error
	closers    []func()
}

// wire builds the bot from its parts. con, when set, is the console chat:
// every channel then posts there.
func (e *Env) wire(ctx context.Context, cfg *rules.Config, gaz *geo.Gazetteer, st store.Store, con *console.Console) (*wiring, error) {
	transports, err := e.chatTransports(ctx)
	if err != nil {
		return nil, err
	}
	w := &wiring{background: map[string]func(context.Context) error{}, leaderJobs: map[string]func(context.Context) error{}}
	if con != nil {
		transports["console"] = con
	}
	health := &bot.Health{}
	for name := range transports {
		health.Add(name)
	}
	renderer := &bot.Renderer{Store: st, Zone: e.Config.Timezone, Clock: bot.SystemClock{}}
	w.deliverer = &bot.Deliverer{Store: st, Transports: transports, Renderer: renderer,
		Clock: bot.SystemClock{}, Log: e.Log, Metrics: bot.NewMetrics(), Health: health}
	if con != nil {
		w.deliverer.Every = time.Millisecond // a terminal has no rate limit worth waiting for
	}
	w.shared = bot.Shared{Store: st, Parser: corpus.Parser{MaxSize: e.Config.MaxFileSize, Logger: e.Log},
		CorpusDir: e.Config.CorpusDir, Transports: transports, Console: e.Config.Console(), Wake: w.deliverer.Wake,
		Metrics: w.deliverer.Metrics, Health: health, Clock: bot.SystemClock{}, Log: e.Log, Started: time.Now(), Zone: e.Config.Timezone,
		Actions: newActions(st, renderer, w.deliverer.Metrics, transports, e)}
	w.shared.Writes = &bot.StoreHealth{Log: e.Log} // /readyz fails while the store takes no writes
	if w.live, err = bot.NewLive(e.Config.Rules, cfg, gaz, e.loadRules, w.shared); err != nil {
		return nil, err
	}
	if err := e.chatCommands(w); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(transports))
	for name := range transports {
		names = append(names, name)
	}
	w.shared.Metrics.Preset(names, nil, nil, bot.CommandNames())
	w.shared.Metrics.OutboxGauges(st, w.shared.Clock, names)
	w.shared.Metrics.TransportGauge(health)
	return w, nil
}

// newActions is the action model of the alert buttons and the commands
// that mute and follow: transports that can write privately deliver
// follows, and those that know who manages a chat decide who may mute.
func newActions(st store.Store, r *bot.Renderer, m *bot.Metrics, transports map[string]chat.Transport, e *Env) *bot.Actions {
	a := &bot.Actions{Store: st, Renderer: r, Clock: bot.SystemClock{}, Log: e.Log, Zone: e.Config.Timezone,
		Metrics: m, Direct: map[string]chat.DirectMessenger{}, Authorizers: map[string]chat.Authorizer{}}
	for name, t := range transports {
		if dm, ok := t.(chat.DirectMessenger); ok {
			a.Direct[name] = dm
		}
		if au, ok := t.(chat.Authorizer); ok {
			a.Authorizers[name] = au
		}
	}
	return a
}

// chatTransports creates the Slack and Telegram transports whose tokens
// are set.
func (e *Env) chatTransports(ctx context.Context) (map[string]chat.Transport, error) {
	c, out := e.Config, map[string]chat.Transport{}
	if c.SlackBotToken != "" {
		opts := []slack.Option{slack.WithLogger(e.Log)}
		if c.SlackAPIURL != "" {
			opts = append(opts, slack.WithAPIURL(c.SlackAPIURL))
		}
		out["slack"] = slack.New(c.SlackBotToken, opts...)
	}
	if c.TelegramBotToken != "" {
		// Offline: an unreachable Telegram, or a refused token, is tried
		// again by polling (or the webhook) and by delivery while the rest
		// of the bot runs.
		allowed, err := telegram.ParseAllowedChats(c.TelegramAllowedChats)
		if err != nil {
			return nil, fmt.Errorf("TELEGRAM_ALLOWED_CHATS: %w", err)
		}
		t, err := telegram.NewOffline(c.TelegramBotToken, c.TelegramAPIURL,
			telegram.WithLogger(e.Log), telegram.WithLinkPreviews(c.TelegramLinkPreviews),
			telegram.WithAdmins(allowed, c.TelegramActionsBy))
		if err != nil {
			return nil, fmt.Errorf("TELEGRAM_BOT_TOKEN or TELEGRAM_API_URL: %w", err)
		}
		out["telegram"] = t
	}
	return out, nil
}

// chatCommands sets up Slack slash commands (HTTP and Socket Mode) and
// Telegram commands (polling or webhook).
func (e *Env) chatCommands(w *wiring) error {
	c, transports := e.Config, w.shared.Transports
	if st, ok := transports["slack"].(*slack.Transport); ok {
		if c.SlackSigningSecret != "" {
			// One guard for every endpoint Slack signs, its signatures kept
			// in the store so that no replica accepts a request twice.
			w.slackGuard = slack.NewReplayGuard(c.SlackSigningSecret, w.shared.Store, e.Log)
			h, err := slack.NewCommandHandler(c.SlackSigningSecret, w.live, slack.WithCommandLogger(e.Log),
				slack.WithReplayGuard(w.slackGuard))
			if err != nil {
				return fmt.Errorf("slack commands: %w", err)
			}
			w.slackCmds = h
			w.closers = append(w.closers, func() { h.Close() })
			ih, err := slack.NewInteractionHandler(c.SlackSigningSecret, st, w.shared.Actions, slack.WithCommandLogger(e.Log),
				slack.WithReplayGuard(w.slackGuard))
			if err != nil {
				return fmt.Errorf("slack interactions: %w", err)
			}
			w.slackActs = ih
			w.closers = append(w.closers, func() { ih.Close() })
		}
		if c.SlackAppToken != "" {
			w.background["slack socket mode"] = func(ctx context.Context) error {
				return bot.Supervise(ctx, bot.SystemClock{}, e.Log, "slack socket mode", w.shared.Health.Reporter("slack", "commands"),
					func(ctx context.Context) error {
						return st.RunSocketMode(ctx, c.SlackAppToken, w.live, slack.WithCommandLogger(e.Log),
							slack.WithActions(w.shared.Actions))
					})
			}
		}
	}
	tt, ok := transports["telegram"].(*telegram.Transport)
	if !ok {
		return nil
	}
	allowed, err := telegram.ParseAllowedChats(c.TelegramAllowedChats)
	if err != nil {
		return fmt.Errorf("TELEGRAM_ALLOWED_CHATS: %w", err)
	}
	d := &telegram.Dispatcher{Transport: tt, Handler: w.live, Actions: w.shared.Actions, Allowed: allowed, Logger: e.Log}
	for _, cmd := range bot.Commands() {
		if !cmd.Hidden {
			d.Menu = append(d.Menu, telegram.BotCommand{Command: cmd.Name, Description: cmd.MenuText()})
		}
	}
	if c.TelegramWebhookURL != "" {
		wh, err := telegram.NewWebhook(d, c.TelegramWebhookURL, c.TelegramWebhookSecret)
		if err != nil {
			return fmt.Errorf("telegram webhook: %w", err)
		}
		wh.Health = w.shared.Health.Reporter("telegram", "commands")
		w.tgWebhook = wh
		w.background["telegram webhook"] = wh.Run
		return nil
	}
	// Telegram serves getUpdates to one poller at a time. A new poller each
	// term reads the offset the last leader saved.
	w.leaderJobs["telegram polling"] = func(ctx context.Context) error {
		p := &telegram.Poller{Dispatcher: d, Offsets: w.shared.Store, Timeout: telegram.DefaultPollTimeout,
			Health: w.shared.Health.Reporter("telegram", "commands")}
		return p.Run(ctx)
	}
	return nil
}

func (w *wiring) close() {
	for _, c := range w.closers {
		c()
	}
}
