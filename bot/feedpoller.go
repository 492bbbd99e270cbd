package bot

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/internal/english"
)

// Feed polling defaults.
const (
	// DefaultFeedFetches is how many feeds are fetched at once.
	DefaultFeedFetches = 4
	// DefaultFeedTick is how often the poller looks for feeds due.
	DefaultFeedTick = 5 * time.Second
	// DefaultFeedSlow is how long a fetch may take before /status calls
	// the feed slow.
	DefaultFeedSlow = 10 * time.Second
)

// FeedPoller fetches the feeds of the rules in force apart from the scans:
// each feed on its own interval and with its own deadline, at most Limit
// at a time, so a slow or failing feed holds up neither a scan of the
// corpus folder nor the other feeds. The items it fetches are stored, in
// batches, through the feed's Ingester; the next scan (or OnNew) processes
// them. It keeps each feed's record across rules reloads (by label and
// URL) for /status and the metrics.
type FeedPoller struct {
	// Feeds returns the feeds of the rules in force.
	Feeds func() []*FeedSource
	Clock Clock
	Log   *slog.Logger
	// Limit, Tick and Slow default to DefaultFeedFetches, DefaultFeedTick
	// and DefaultFeedSlow.
	Limit int
	Tick  time.Duration
	Slow  time.Duration
	// OnNew, when set, is called after a fetch stored new documents.
	OnNew func()
	// Metrics counts fetches, errors and successes by feed (nil: not
	// counted); DeclareGauges adds the feeds' state.
	Metrics *Metrics

	once  sync.Once
	slots chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	feeds map[string]*feedRecord // by label and URL
}

// feedRecord is what the poller knows of one feed.
type feedRecord struct {
	label    string
	started  time.Time // of the fetch in flight, or of the last one
	inFlight bool
	took     time.Duration // the last fetch
	ok       time.Time     // end of the last successful fetch
	err      string        // of the last fetch, "" when it succeeded
	failures int           // in a row
	results  map[string]int
	docs     int // new documents stored
}

func (p *FeedPoller) init() {
	p.once.Do(func() {
		if p.Limit <= 0 {
			p.Limit = DefaultFeedFetches
		}
		if p.Tick <= 0 {
			p.Tick = DefaultFeedTick
		}
		if p.Slow <= 0 {
			p.Slow = DefaultFeedSlow
		}
		if p.Log == nil {
			p.Log = slog.Default()
		}
		p.slots = make(chan struct{}, p.Limit)
		p.feeds = map[string]*feedRecord{}
	})
}

// Run fetches each feed whenever its interval has passed since its last
// fetch began (at once for a feed not fetched yet), until ctx ends; it then
// cancels the fetches in flight, waits for them and returns nil.
func (p *FeedPoller) Run(ctx context.Context) error {
	p.init()
	defer p.wg.Wait()
	for {
		p.startDue(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-p.Clock.After(p.Tick):
		}
	}
}

// startDue starts the fetch of every feed due and not in flight, as long
// as a slot is free; the others wait for a later tick.
func (p *FeedPoller) startDue(ctx context.Context) {
	now := p.Clock.Now()
	for _, f := range p.Feeds() {
		r := p.record(f)
		p.mu.Lock()
		due := !r.inFlight && (r.started.IsZero() || now.Sub(r.started) >= f.Interval)
		p.mu.Unlock()
		if !due {
			continue
		}
		select {
		case p.slots <- struct{}{}:
		default:
			return // every slot is taken
		}
		p.begin(r, now)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer func() { <-p.slots }()
			p.fetch(ctx, f, r, nil) //nolint:errcheck // recorded for /status and logged
		}()
	}
}

// FetchAll fetches every feed now, at most Limit at a time, stores their
// items, hands each to observe (when set, one call at a time), and waits
// for them all. It returns how many items were new and how many exact
// duplicates, and the errors of the feeds that failed. `bot scan` reads
// feeds this way.
func (p *FeedPoller) FetchAll(ctx context.Context, observe func(corpus.Document)) (created, dupes int, errs []error) {
	p.init()
	var mu sync.Mutex
	var wg sync.WaitGroup
	serial := func(d corpus.Document) {
		mu.Lock()
		defer mu.Unlock()
		if observe != nil {
			observe(d)
		}
	}
	for _, f := range p.Feeds() {
		select {
		case p.slots <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return created, dupes, append(errs, ctx.Err())
		}
		r := p.record(f)
		p.begin(r, p.Clock.Now())
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-p.slots }()
			c, d, err := p.fetch(ctx, f, r, serial)
			mu.Lock()
			created, dupes = created+c, dupes+d
			if err != nil {
				errs = append(errs, err)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return created, dupes, errs
}

func (p *FeedPoller) record(f *FeedSource) *feedRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := f.Label + "\x00" + f.Feed.URL
	r, ok := p.feeds[key]
	if !ok {
		r = &feedRecord{label: f.Label, results: map[string]int{}}
		p.feeds[key] = r
	}
	return r
}

func (p *FeedPoller) begin(r *feedRecord, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r.inFlight, r.started = true, now
}

// fetch fetches f once, stores its items through the feed's Ingester
// (handing each to observe, when set), and records how it went. It returns
// how many items were new and how many exact duplicates.
func (p *FeedPoller) fetch(ctx context.Context, f *FeedSource, r *feedRecord, observe func(corpus.Document)) (created, dupes int, err error) {
	items := 0
	err = f.Scan(ctx, func(ctx context.Context, d corpus.Document) error {
		items++
		if observe != nil {
			observe(d)
		}
		return f.Ingest.Document(ctx, d)
	})
	created, dupes, ferr := f.Ingest.Flush(ctx)
	if err == nil && ferr != nil {
		err = fmt.Errorf("feed %s: storing its items: %w", f.Label, ferr)
	}
	now := p.Clock.Now()
	m := p.Metrics.Use()
	m.FeedFetches.Inc(f.Label)
	if err != nil {
		m.FeedErrors.Inc(f.Label)
	} else {
		m.FeedLastSuccess.Set(seconds(now), f.Label)
	}
	p.mu.Lock()
	r.inFlight = false
	r.took = now.Sub(r.started)
	switch {
	case err != nil:
		r.err = err.Error()
		r.failures++
		r.results["error"]++
	case items == 0:
		r.err, r.failures, r.ok = "", 0, now
		r.results["unchanged"]++
	default:
		r.err, r.failures, r.ok = "", 0, now
		r.results["ok"]++
		r.docs += created
	}
	failures := r.failures
	p.mu.Unlock()
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopping: not the feed's fault.
	case err != nil && failures == 1:
		p.Log.Warn("feed fetch failed; the feed is tried again at its next interval", "feed", f.Label, "err", err)
	case err != nil:
		p.Log.Debug("feed still failing", "feed", f.Label, "failures", failures, "err", err)
	case failures == 0 && items > 0:
		p.Log.Debug("feed fetched", "feed", f.Label, "items", items, "new", created)
		if p.OnNew != nil && created > 0 {
			p.OnNew()
		}
	}
	return created, dupes, err
}

// FeedStatus is how one feed is doing.
type FeedStatus struct {
	Label string
	// InFlight is set while a fetch runs; Since is when it began (or when
	// the last one began).
	InFlight bool
	Since    time.Time
	// Took is the last fetch's duration (or, in flight, the time so far).
	Took time.Duration
	// Slow is set when the fetch in flight, or the last one, took longer
	// than the poller's Slow.
	Slow bool
	// LastOK is when a fetch last succeeded; Err is the last fetch's error
	// and Failures how many fetches in a row failed.
	LastOK   time.Time
	Err      string
	Failures int
	// Results counts fetches by result: "ok", "unchanged", "error".
	Results map[string]int
}

// Status reports every feed fetched so far, by label.
func (p *FeedPoller) Status() []FeedStatus {
	p.init()
	now := p.Clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []FeedStatus
	for _, r := range p.feeds {
		took := r.took
		if r.inFlight {
			took = now.Sub(r.started)
		}
		out = append(out, FeedStatus{Label: r.label, InFlight: r.inFlight, Since: r.started, Took: took,
			Slow: took > p.Slow, LastOK: r.ok, Err: r.err, Failures: r.failures, Results: maps.Clone(r.results)})
	}
	slices.SortFunc(out, func(a, b FeedStatus) int { return strings.Compare(a.Label, b.Label) })
	return out
}

// DeclareGauges declares the feeds' state as series of m, read at every
// scrape for each feed of the rules in force: the last fetch's duration
// (or the running one's so far), whether one is running, whether it is
// slow, and how many fetches in a row failed.
func (p *FeedPoller) DeclareGauges(m *Metrics) {
	if m == nil {
		return
	}
	each := func(emit func(float64, ...string), value func(FeedStatus) float64) {
		known := map[string]FeedStatus{}
		for _, s := range p.Status() {
			known[s.Label] = s
		}
		for _, f := range p.Feeds() {
			emit(value(known[f.Label]), f.Label)
		}
	}
	feed := []string{"feed"}
	m.GaugeFunc("wirewatch_feed_fetch_seconds", "How long each feed's last fetch took, or its running fetch so far.", feed,
		func(emit func(float64, ...string)) {
			each(emit, func(s FeedStatus) float64 { return s.Took.Seconds() })
		})
	m.GaugeFunc("wirewatch_feed_in_flight", "1 while a fetch of the feed runs.", feed,
		func(emit func(float64, ...string)) {
			each(emit, func(s FeedStatus) float64 { return b2f(s.InFlight) })
		})
	m.GaugeFunc("wirewatch_feed_slow", "1 when the feed's running or last fetch took longer than the slow mark (10 s).", feed,
		func(emit func(float64, ...string)) {
			each(emit, func(s FeedStatus) float64 { return b2f(s.Slow) })
		})
	m.GaugeFunc("wirewatch_feed_failures", "Fetches of the feed that failed in a row (0 once one succeeds).", feed,
		func(emit func(float64, ...string)) {
			each(emit, func(s FeedStatus) float64 { return float64(s.Failures) })
		})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// feedStatusLines sums up the feeds for /status: one line for each feed
// that is slow or failing, one for those that are fine.
func feedStatusLines(feeds []FeedStatus, now time.Time) []string {
	var out, fine []string
	for _, f := range feeds {
		switch {
		case f.InFlight && f.Slow:
			out = append(out, fmt.Sprintf("Feed %s: slow, fetching for %s.", f.Label, roundDuration(f.Took)))
		case f.Failures > 0:
			line := fmt.Sprintf("Feed %s: failing (%s in a row", f.Label, english.Plural(f.Failures, "fetch"))
			if !f.LastOK.IsZero() {
				line += fmt.Sprintf(", last success %s ago", roundDuration(now.Sub(f.LastOK)))
			}
			out = append(out, line+"): "+f.Err)
		case f.Slow:
			out = append(out, fmt.Sprintf("Feed %s: slow, its last fetch took %s.", f.Label, roundDuration(f.Took)))
		case !f.InFlight || !f.LastOK.IsZero():
			fine = append(fine, f.Label)
		}
	}
	if len(fine) > 0 {
		out = append(out, fmt.Sprintf("Feeds fetched fine: %s.", strings.Join(fine, ", ")))
	}
	return out
}

// roundDuration shows d to the second.
func roundDuration(d time.Duration) time.Duration { return d.Round(time.Second) }
