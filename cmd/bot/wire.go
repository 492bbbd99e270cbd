package main

import (
	"context"
	"fmt"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/console"
	"github.com/wirewatch/wirewatch/chat/slack"
	"github.com/wirewatch/wirewatch/chat/telegram"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/redact"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
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

// wiring is a bot, the receivers of its chat commands (in svc, for the
// Service) and what to close when it is done.
type wiring struct {
	*bot.Bot
	svc        bot.ServiceOptions
	slackGuard *slack.ReplayGuard
	closers    []func()
}

// wire builds the bot from its parts. con, when set, is the console chat:
// every channel then posts there.
func (e *Env) wire(ctx context.Context, cfg *rules.Config, gaz *geo.Gazetteer, st store.Store, con *console.Console) (*wiring, error) {
	transports, err := e.chatTransports(ctx)
	if err != nil {
		return nil, err
	}
	if con != nil {
		transports["console"] = con
	}
	b, err := bot.New(bot.Parts{Store: st, Transports: transports, Console: e.Config.Console(),
		RulesPath: e.Config.Rules, Rules: cfg, Places: gaz, Load: e.loadRules, CorpusDir: e.Config.CorpusDir,
		MaxFileSize: e.Config.MaxFileSize, Zone: e.Config.Timezone, Log: e.Log})
	if err != nil {
		return nil, err
	}
	w := &wiring{Bot: b, svc: bot.ServiceOptions{Background: map[string]func(context.Context) error{},
		LeaderJobs: map[string]func(context.Context) error{}}}
	return w, e.chatCommands(w)
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
		t, err := telegram.NewOffline(c.TelegramBotToken, c.TelegramAPIURL,
			telegram.WithLogger(e.Log), telegram.WithLinkPreviews(c.TelegramLinkPreviews),
			telegram.WithAdmins(c.TelegramAllowedChats, c.TelegramActionsBy))
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
	c, transports := e.Config, w.Transports
	if st, ok := transports["slack"].(*slack.Transport); ok {
		if c.SlackSigningSecret != "" {
			// One guard for every endpoint Slack signs, its signatures kept
			// in the store so that no replica accepts a request twice.
			w.slackGuard = slack.NewReplayGuard(c.SlackSigningSecret, w.Store, e.Log)
			h, err := slack.NewCommandHandler(c.SlackSigningSecret, w.Live, slack.WithCommandLogger(e.Log),
				slack.WithReplayGuard(w.slackGuard))
			if err != nil {
				return fmt.Errorf("slack commands: %w", err)
			}
			w.svc.SlackCommands = h
			w.closers = append(w.closers, func() { h.Close() })
			ih, err := slack.NewInteractionHandler(c.SlackSigningSecret, st, w.Actions, slack.WithCommandLogger(e.Log),
				slack.WithReplayGuard(w.slackGuard))
			if err != nil {
				return fmt.Errorf("slack interactions: %w", err)
			}
			w.svc.SlackInteractions = ih
			w.closers = append(w.closers, func() { ih.Close() })
		}
		if c.SlackAppToken != "" {
			w.svc.Background["slack socket mode"] = func(ctx context.Context) error {
				return bot.Supervise(ctx, bot.SystemClock{}, e.Log, "slack socket mode", w.Health.Reporter("slack", "commands"),
					func(ctx context.Context) error {
						return st.RunSocketMode(ctx, c.SlackAppToken, w.Live, slack.WithCommandLogger(e.Log),
							slack.WithActions(w.Actions))
					})
			}
		}
	}
	tt, ok := transports["telegram"].(*telegram.Transport)
	if !ok {
		return nil
	}
	d := &telegram.Dispatcher{Transport: tt, Handler: w.Live, Actions: w.Actions, Allowed: c.TelegramAllowedChats,
		Logger: e.Log, Menu: bot.Menu()}
	r, err := telegram.NewReceiver(d, c.TelegramWebhookURL, c.TelegramWebhookSecret, bot.Values{State: w.Store},
		w.Health.Reporter("telegram", "commands"))
	if err != nil {
		return err
	}
	w.svc.TelegramWebhook = r.Webhook
	if r.LeaderOnly {
		w.svc.LeaderJobs["telegram polling"] = r.Run
	} else {
		w.svc.Background["telegram webhook"] = r.Run
	}
	return nil
}

func (w *wiring) close() {
	for _, c := range w.closers {
		c()
	}
}
