package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Parts are the concrete parts a bot is built from, and its settings.
type Parts struct {
	Store store.Store
	// Transports are the chat platforms whose tokens are set, and
	// "console" when the console is a chat.
	Transports map[string]chat.Transport
	// Console says every channel prints on the console (no chat token is
	// set).
	Console bool
	// Rules and Places were read from the file at RulesPath; Load reads it
	// again when it changes.
	RulesPath string
	Rules     *rules.Config
	Places    *geo.Gazetteer
	Load      LoadFunc
	// CorpusDir is the folder of articles; larger files than MaxFileSize
	// are skipped.
	CorpusDir   string
	MaxFileSize int64
	// Zone is BOT_TIMEZONE.
	Zone  string
	Clock Clock
	Log   *slog.Logger
}

// Bot is a bot put together: the parts a rules reload keeps, the rules in
// force, and the delivery loop.
type Bot struct {
	Shared
	Live      *Live
	Deliverer *Deliverer
}

// New builds a bot from its parts: health and metrics of every transport,
// the delivery loop, and the parts rules.yaml determines. The error is the
// rules' (they do not compile, dedup options out of range).
func New(p Parts) (*Bot, error) {
	if p.Clock == nil {
		p.Clock = SystemClock{}
	}
	health := &Health{}
	for name := range p.Transports {
		health.Add(name)
	}
	b := &Bot{}
	renderer := &Renderer{Store: p.Store, Zone: p.Zone, Clock: p.Clock}
	b.Deliverer = &Deliverer{Store: p.Store, Transports: p.Transports, Renderer: renderer,
		Clock: p.Clock, Log: p.Log, Metrics: NewMetrics(), Health: health}
	if _, ok := p.Transports["console"]; ok {
		b.Deliverer.Every = time.Millisecond // a terminal has no rate limit worth waiting for
	}
	b.Shared = Shared{Store: p.Store, Parser: corpus.Parser{MaxSize: p.MaxFileSize, Logger: p.Log},
		CorpusDir: p.CorpusDir, Transports: p.Transports, Console: p.Console, Wake: b.Deliverer.Wake,
		Metrics: b.Deliverer.Metrics, Health: health, Clock: p.Clock, Log: p.Log, Started: p.Clock.Now(), Zone: p.Zone,
		Actions: newActions(p, renderer, b.Deliverer.Metrics),
		Writes:  &StoreHealth{Log: p.Log}} // /readyz fails while the store takes no writes
	var err error
	if b.Live, err = NewLive(p.RulesPath, p.Rules, p.Places, p.Load, b.Shared); err != nil {
		return nil, err
	}
	names := b.TransportNames()
	b.Metrics.Preset(names, nil, nil, CommandNames())
	b.Metrics.OutboxGauges(p.Store, p.Clock, names)
	b.Metrics.TransportGauge(health)
	return b, nil
}

// newActions is the action model of the alert buttons and the commands
// that mute and follow: transports that can write privately deliver
// follows, and those that know who manages a chat decide who may mute.
func newActions(p Parts, r *Renderer, m *Metrics) *Actions {
	a := &Actions{Store: p.Store, Renderer: r, Clock: p.Clock, Log: p.Log, Zone: p.Zone, Metrics: m,
		Direct: map[string]chat.DirectMessenger{}, Authorizers: map[string]chat.Authorizer{}}
	for name, t := range p.Transports {
		if dm, ok := t.(chat.DirectMessenger); ok {
			a.Direct[name] = dm
		}
		if au, ok := t.(chat.Authorizer); ok {
			a.Authorizers[name] = au
		}
	}
	return a
}

// TransportNames lists the bot's transports, sorted.
func (b *Bot) TransportNames() []string {
	names := make([]string, 0, len(b.Transports))
	for name := range b.Transports {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// ServiceOptions are what the long-running bot needs besides the bot.
type ServiceOptions struct {
	// HTTPAddr is where the HTTP endpoints listen (BOT_HTTP_ADDR).
	HTTPAddr string
	// ScanSchedule is a cron spec (BOT_SCAN_SCHEDULE).
	ScanSchedule string
	// Retention is how long documents are kept (BOT_RETENTION; zero: for
	// ever).
	Retention time.Duration
	// NoWatch leaves new files of the corpus folder to the schedule
	// instead of watching the folder.
	NoWatch bool
	// SlackCommands, SlackInteractions (button presses) and
	// TelegramWebhook receive chat commands over HTTP (nil: not served).
	SlackCommands, SlackInteractions, TelegramWebhook http.Handler
	// Background jobs run in every replica, LeaderJobs only in the one
	// that leads (see Service).
	Background, LeaderJobs map[string]func(context.Context) error
}

// Service returns the long-running bot, listening on o.HTTPAddr. Among
// processes sharing the store, the one holding its leader lease leads.
func (b *Bot) Service(o ServiceOptions) (*Service, error) {
	svc := &Service{Rules: b.Live, Deliverer: b.Deliverer, Background: o.Background, LeaderJobs: o.LeaderJobs,
		ScanSchedule: o.ScanSchedule, Log: b.Log, Leader: &Leader{Clock: b.Clock, Log: b.Log},
		Pruner: &Pruner{Store: b.Store, Window: o.Retention, Copies: func() *Copies { return b.Live.Rules().Engine.Copies },
			Clock: b.Clock, Log: b.Log, Metrics: b.Metrics}}
	if !o.NoWatch && b.CorpusDir != "" {
		svc.Watch = &CorpusWatch{Root: b.CorpusDir, Log: b.Log}
	}
	svc.Leader.Leases, _ = b.Store.(store.Leaser)
	svc.Leader.Checker, _ = b.Store.(store.LeaseChecker)
	ln, err := net.Listen("tcp", o.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("listening on BOT_HTTP_ADDR=%s: %w", o.HTTPAddr, err)
	}
	svc.Listener = ln
	svc.Server = NewHTTPServer(NewHTTPHandler(HTTPOptions{Ready: svc.Ready, Degraded: b.Health.Lines, Metrics: b.Metrics,
		SlackCommands: o.SlackCommands, SlackInteractions: o.SlackInteractions, TelegramWebhook: o.TelegramWebhook}), HTTPLimits{})
	return svc, nil
}
