package bot

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Shared are the parts of a bot that a rules reload keeps.
type Shared struct {
	Store store.Store
	// Parser reads the files of CorpusDir.
	Parser    corpus.Parser
	CorpusDir string
	// Transports are the chat platforms with a token; Console says every
	// channel prints on the console (see Routes).
	Transports map[string]chat.Transport
	Console    bool
	// Wake, when set, is called after messages were enqueued.
	Wake    func()
	Metrics *Metrics
	// Health, when set, knows which transports work, for /status.
	Health *Health
	// Writes, when set, learns from each scan whether the store takes
	// writes, for /readyz.
	Writes *StoreHealth
	Clock  Clock
	Log    *slog.Logger
	// Started is when the bot started, for /status.
	Started time.Time
	// Zone is the IANA zone answers show times in (BOT_TIMEZONE; UTC when
	// empty).
	Zone string
	// Actions mutes, unmutes and follows, for the commands and the alert
	// buttons alike; nil disables those commands.
	Actions *Actions
}

// RuleSet is every part built from one rules.yaml.
type RuleSet struct {
	Config   *rules.Config
	Engine   *Engine
	Ingest   *Ingester
	Scanner  *Scanner
	Digester *Digester
	Router   *Router
	// Places looks up place names, rules.yaml's aliases included.
	Places *geo.Gazetteer
	// Feeds are the feeds of rules.yaml; Live's FeedPoller fetches them.
	Feeds []*FeedSource
}

// LoadFunc reads and checks a rules file against the gazetteer it
// returns.
type LoadFunc func(path string) (*rules.Config, *geo.Gazetteer, error)

// Live holds the rules in force. It reloads the rules file when it
// changed; a file with errors is reported once and the rules in force
// stay. It answers commands with the rules in force, so every transport
// keeps answering across reloads.
type Live struct {
	path    string
	load    LoadFunc
	shared  Shared
	current atomic.Pointer[liveRules]
	changed chan struct{}
	feeds   *FeedPoller
	fetched chan struct{}
	// copies is kept across reloads that keep the dedup options: its
	// index of recent documents stays.
	copies *Copies
}

type liveRules struct {
	set   *RuleSet
	stamp fileStamp
}

// NewLive builds the parts of cfg, read from the rules file at path and
// checked against gaz; load reads that file again when it changes.
func NewLive(path string, cfg *rules.Config, gaz *geo.Gazetteer, load LoadFunc, shared Shared) (*Live, error) {
	l := &Live{path: path, load: load, shared: shared, changed: make(chan struct{}, 1), fetched: make(chan struct{}, 1)}
	set, err := l.build(cfg, gaz)
	if err != nil {
		return nil, err
	}
	l.feeds = &FeedPoller{Feeds: func() []*FeedSource { return l.Rules().Feeds },
		Clock: shared.Clock, Log: shared.Log, Metrics: shared.Metrics, OnNew: func() {
			select {
			case l.fetched <- struct{}{}:
			default:
			}
		}}
	l.feeds.DeclareGauges(shared.Metrics)
	l.current.Store(&liveRules{set: set, stamp: stampOf(path)})
	return l, nil
}

// Rules returns the parts built from the rules in force.
func (l *Live) Rules() *RuleSet { return l.current.Load().set }

// Feeds is the poller of the feeds of the rules in force.
func (l *Live) Feeds() *FeedPoller { return l.feeds }

// Fetched receives when the poller stored items of a feed, for a scan to
// process them.
func (l *Live) Fetched() <-chan struct{} { return l.fetched }

// Changed receives when the rules or a subscription changed, so the
// digest schedule must be rebuilt.
func (l *Live) Changed() <-chan struct{} { return l.changed }

func (l *Live) signalChanged() {
	select {
	case l.changed <- struct{}{}:
	default:
	}
}

// HandleCommand answers c with the rules in force.
func (l *Live) HandleCommand(ctx context.Context, c chat.Command) chat.Message {
	return l.Rules().Router.HandleCommand(ctx, c)
}

// ReloadIfChanged reloads the rules file when it changed since it was last
// read. A file with errors is reported once, every problem as
// FILE:LINE:COL, and the rules in force stay.
func (l *Live) ReloadIfChanged() {
	cur := l.current.Load()
	stamp := stampOf(l.path)
	if stamp == cur.stamp || stamp == (fileStamp{}) {
		return
	}
	cfg, gaz, err := l.load(l.path)
	var set *RuleSet
	if err == nil {
		set, err = l.build(cfg, gaz)
	}
	if err != nil {
		l.logProblems(err)
		l.current.Store(&liveRules{set: cur.set, stamp: stamp}) // report this version once
		l.shared.Metrics.Use().RulesReloads.Inc("error")
		return
	}
	l.shared.Metrics.Use().RulesReloads.Inc("ok")
	// Only a running bot reloads: its new matcher is built now, not when
	// the next document comes.
	prepare(set.Engine.Analyzer)
	l.current.Store(&liveRules{set: set, stamp: stamp})
	l.shared.Log.Info("rules reloaded", "file", l.path, "rules", len(cfg.Rules), "channels", len(cfg.Channels))
	l.signalChanged()
}

// Status is the last scan, each feed and the delivery, for /status; times
// in BOT_TIMEZONE.
func (l *Live) Status(ctx context.Context) []string {
	when := func(t time.Time) string { return chat.Article{Published: t}.When(l.shared.Zone) }
	out := []string{"No scan has run yet."}
	if last := l.Rules().Scanner.Last(); !last.At.IsZero() {
		out[0] = fmt.Sprintf("Last scan %s: %s, %s, %d processed.", when(last.At),
			english.Plural(last.New, "new document"), english.Plural(last.Dupes, "duplicate"), last.Processed)
		if sum := last.SkipSummary(); sum != "" {
			out[0] += " " + sum + "."
		}
		for _, e := range last.Errors {
			out = append(out, "scan error: "+e)
		}
	}
	out = append(out, feedStatusLines(l.feeds.Status(), l.shared.Clock.Now())...)
	lines, err := DeliveryStatus(ctx, l.shared.Store, l.shared.Health, l.shared.Clock.Now())
	if err != nil {
		l.shared.Log.Error("reading the delivery status", "err", err)
	}
	return append(out, lines...)
}

// build makes the parts that depend on rules.yaml.
func (l *Live) build(cfg *rules.Config, gaz *geo.Gazetteer) (*RuleSet, error) {
	sh, st := l.shared, l.shared.Store
	matcher, err := rules.Compile(cfg, gaz)
	if err != nil {
		return nil, fmt.Errorf("compiling rules: %w", err)
	}
	copies := l.copies
	opts := dedup.Options{Shingle: cfg.Dedup.Shingle, Containment: cfg.Dedup.Containment,
		Span: time.Duration(cfg.Dedup.Window)}
	if copies == nil || copies.Detector.Options() != opts.WithDefaults() {
		if copies, err = NewCopies(st, opts); err != nil {
			return nil, fmt.Errorf("dedup options in %s: %w", l.path, err)
		}
	}
	// Lookups (/latest, /mute) know the aliases too: they use the
	// matcher's gazetteer, which has them.
	places := matcher.Gazetteer()
	routes := Routes(cfg, sh.Transports, sh.Console, sh.Log)
	rs := &RuleSet{Config: cfg, Places: places}
	rs.Engine = &Engine{Store: st, Analyzer: matcherAnalyzer{matcher}, Copies: copies, Rules: cfg,
		Routes: routes, Clock: sh.Clock, Log: sh.Log, Notify: sh.Wake, Metrics: sh.Metrics}
	rs.Digester = &Digester{Store: st, Rules: cfg, Routes: routes, Clock: sh.Clock, Log: sh.Log, Notify: sh.Wake}
	rs.Router = &Router{Store: st, Rules: cfg, Places: places, Digests: rs.Digester, Clock: sh.Clock, Log: sh.Log,
		Metrics: sh.Metrics, Started: sh.Started, Status: l.Status, OnSubscriptionsChanged: l.signalChanged,
		Zone: sh.Zone, MayAct: transportsMayAct(sh.Transports), Actions: sh.Actions}
	var ruleNames, feedNames []string
	for _, r := range cfg.Rules {
		ruleNames = append(ruleNames, r.Name)
	}
	for _, f := range cfg.Feeds {
		src := NewFeedSource(f, st, sh.Clock)
		src.Feed.Logger = sh.Log
		rs.Feeds = append(rs.Feeds, src)
		feedNames = append(feedNames, src.Label)
	}
	sh.Metrics.Preset(nil, ruleNames, feedNames, nil)
	rs.Ingest = &Ingester{Store: st}
	rs.Scanner = &Scanner{Sources: []Source{NewDirSource(sh.CorpusDir, st, rs.Ingest, sh.Parser)},
		Engine: rs.Engine, Ingest: rs.Ingest, Log: sh.Log, Metrics: sh.Metrics, Writes: sh.Writes}
	l.copies = copies
	return rs, nil
}

// transportsMayAct asks the command's transport who may run Moderators
// commands; where it has no say, anyone may.
func transportsMayAct(transports map[string]chat.Transport) func(ctx context.Context, transport, channel, user string) (bool, error) {
	return func(ctx context.Context, transport, channel, user string) (bool, error) {
		if a, ok := transports[transport].(chat.Authorizer); ok {
			return a.MayAct(ctx, channel, user)
		}
		return true, nil
	}
}

// matcherAnalyzer is the compiled rules as the engine's Analyzer.
type matcherAnalyzer struct{ m *rules.Matcher }

func (a matcherAnalyzer) Analyze(text string) corpus.Analysis { return a.m.Analysis(a.m.Match(text)) }

// Prepare starts building the matcher's index (see rules.Matcher.Prepare).
func (a matcherAnalyzer) Prepare() { a.m.Prepare() }

// preparer is an Analyzer that can start its work ahead of the first
// document.
type preparer interface{ Prepare() }

// prepare starts the analyzer a ahead of its first document, when it can.
func prepare(a Analyzer) {
	if p, ok := a.(preparer); ok {
		p.Prepare()
	}
}

// Routes maps each channel of rules.yaml to its destinations. With console
// set every channel prints on the one console (so an alert prints once,
// however many channels its rule has); otherwise a channel whose platform
// has no transport is reported once and skipped.
func Routes(cfg *rules.Config, transports map[string]chat.Transport, console bool, log *slog.Logger) map[string][]Dest {
	out := map[string][]Dest{}
	_, hasConsole := transports["console"]
	console = console || hasConsole
	for _, ch := range cfg.Channels {
		add := func(transport, id string) {
			if console {
				out[ch.Name] = []Dest{{Transport: "console", Channel: "console", Name: ch.Name}}
				return
			}
			if _, ok := transports[transport]; !ok {
				log.Warn("channel not posted to: its platform has no token", "channel", ch.Name, "platform", transport)
				return
			}
			out[ch.Name] = append(out[ch.Name], Dest{Transport: transport, Channel: id, Name: ch.Name})
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

var _ chat.Handler = (*Live)(nil)

// logProblems reports a rules file that failed to reload: one record per
// problem (FILE:LINE:COL: message), then one that says what happens now.
func (l *Live) logProblems(err error) {
	log := l.shared.Log
	var list rules.ErrorList
	if !errors.As(err, &list) {
		log.Error("rules file not reloaded; the rules in force stay until it can be read", "file", l.path, "err", err)
		return
	}
	for _, e := range list {
		log.Error("rules file problem", "problem", e.Error())
	}
	log.Error("rules file has errors; the rules in force stay until it is fixed (bot check lists the problems)",
		"file", l.path, "problems", len(list))
}
