package bot

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/rules"
)

func readRSS(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "corpus", "testdata", "feeds", "rss2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// trickle serves a feed one byte at a time, each byte when the test sends
// on step (or all that is left once step is closed).
type trickle struct {
	body    []byte
	step    chan struct{}
	started chan struct{}
}

func (s *trickle) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	close(s.started)
	for _, b := range s.body {
		select {
		case <-s.step:
		case <-r.Context().Done():
			return
		}
		w.Write([]byte{b}) //nolint:errcheck // the client reads what comes
		w.(http.Flusher).Flush()
	}
}

// waitFor polls cond until it holds; a hang, not a measure, fails the test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestTricklingFeedDelaysNoScan polls a feed that sends one byte per step
// of the test while the corpus folder is scanned: the scan returns with
// the folder's article processed while the feed still trickles; the feed
// shows as slow in /status and the metrics once the clock passes the slow
// mark; when the feed ends, its items are processed.
func TestTricklingFeedDelaysNoScan(t *testing.T) {
	f := newEngineFixture(t)
	dir := t.TempDir()
	seed, _ := filepath.Glob(filepath.Join("..", "examples", "corpus", "000_*.txt"))
	data, err := os.ReadFile(seed[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "000.txt"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	in := &Ingester{Store: f.store}
	scanner := &Scanner{Sources: []Source{NewDirSource(dir, f.store, in, corpus.Parser{})}, Engine: f.engine, Ingest: in, Log: log}

	srv := &trickle{body: readRSS(t), step: make(chan struct{}), started: make(chan struct{})}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	clock := newTimerClock()
	feed := NewFeedSource(rules.Feed{Name: "trickle", URL: ts.URL, Interval: rules.Duration(10 * time.Minute),
		Timeout: rules.Duration(time.Minute), PrivateNetwork: true}, f.store, clock)
	fetched := make(chan struct{}, 1)
	m := NewMetrics()
	poller := &FeedPoller{Feeds: func() []*FeedSource { return []*FeedSource{feed} }, Clock: clock,
		Log: log, Metrics: m, OnNew: func() { fetched <- struct{}{} }}
	poller.DeclareGauges(m)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- poller.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()

	<-srv.started
	srv.step <- struct{}{} // the first byte
	rep, err := scanner.Scan(ctx)
	if err != nil || rep.New != 1 || rep.Processed != 1 {
		t.Fatalf("scan while the feed trickles: %+v, %v; want the folder's article stored and processed", rep, err)
	}
	st := poller.Status()
	if len(st) != 1 || !st[0].InFlight || st[0].Slow {
		t.Fatalf("status after the scan: %+v; want the feed in flight, not yet slow", st)
	}

	clock.Advance(40 * time.Second)
	lines := strings.Join(feedStatusLines(poller.Status(), clock.Now()), "\n")
	if lines != "Feed trickle: slow, fetching for 40s." {
		t.Errorf("/status feed lines: %q", lines)
	}
	var buf bytes.Buffer
	m.WriteTo(&buf) //nolint:errcheck // a buffer
	for _, want := range []string{`wirewatch_feed_slow{feed="trickle"} 1`, `wirewatch_feed_in_flight{feed="trickle"} 1`,
		`wirewatch_feed_fetch_seconds{feed="trickle"} 40`} {
		if !strings.Contains(buf.String(), want+"\n") {
			t.Errorf("metrics lack %s:\n%s", want, buf.String())
		}
	}

	close(srv.step) // the rest of the feed at once
	<-fetched
	pending, err := f.store.Pending(ctx, 100)
	if err != nil || len(pending) == 0 {
		t.Fatalf("%d documents pending after the feed ended, %v; want its items", len(pending), err)
	}
	rep, err = scanner.Scan(ctx)
	if err != nil || rep.Processed != len(pending) {
		t.Errorf("scan after the feed ended: %d processed, %v; want the feed's %d items", rep.Processed, err, len(pending))
	}
	st = poller.Status()
	if st[0].InFlight || st[0].Results["ok"] != 1 || st[0].LastOK.IsZero() {
		t.Errorf("status after the feed ended: %+v", st)
	}
}

// countingFeeds serves a feed on every path, counting requests by path;
// paths under /hold/ wait until release is closed.
type countingFeeds struct {
	body    []byte
	release chan struct{}
	mu      sync.Mutex
	hits    map[string]int
}

func (s *countingFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/hold/") {
		select {
		case <-s.release:
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write(s.body) //nolint:errcheck // the client reads what comes
}

func (s *countingFeeds) count() (n int, by map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	by = map[string]int{}
	for k, v := range s.hits {
		by[k] = v
		n += v
	}
	return n, by
}

func testPoller(t *testing.T, clock Clock, feeds []*FeedSource, limit int, m *Metrics) (*FeedPoller, func()) {
	t.Helper()
	f := newEngineFixture(t)
	for _, fd := range feeds {
		if fd.Ingest.Store == nil {
			fd.Ingest.Store = f.store // feedAt keeps no store
		}
	}
	p := &FeedPoller{Feeds: func() []*FeedSource { return feeds }, Clock: clock, Limit: limit,
		Log: slog.New(slog.DiscardHandler), Metrics: m}
	p.DeclareGauges(m)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	return p, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}
}

// feedAt is a feed allowed on 127.0.0.1 whose state is kept in memory.
func feedAt(t *testing.T, url string, interval time.Duration) *FeedSource {
	t.Helper()
	f := NewFeedSource(rules.Feed{URL: url, Interval: rules.Duration(interval), Timeout: rules.Duration(time.Minute),
		PrivateNetwork: true}, nil, newTimerClock())
	f.Feed.State = nil
	return f
}

func idle(p *FeedPoller) bool {
	for _, s := range p.Status() {
		if s.InFlight {
			return false
		}
	}
	return true
}

// TestFeedFetchesAreBounded holds five feeds' answers with a limit of two:
// two are fetched, the others wait for a free slot, and no feed waits on
// another's answer beyond that.
func TestFeedFetchesAreBounded(t *testing.T) {
	srv := &countingFeeds{body: readRSS(t), release: make(chan struct{}), hits: map[string]int{}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var feeds []*FeedSource
	for _, p := range []string{"/hold/a", "/hold/b", "/hold/c", "/hold/d", "/e"} {
		feeds = append(feeds, feedAt(t, ts.URL+p, time.Hour))
	}
	clock := newTimerClock()
	p, stop := testPoller(t, clock, feeds, 2, nil)
	defer stop()
	clock.waitTimers(t, 1)
	waitFor(t, "two requests", func() bool { n, _ := srv.count(); return n == 2 })
	clock.Advance(DefaultFeedTick) // a tick with no free slot starts nothing
	clock.waitTimers(t, 1)
	if n, by := srv.count(); n != 2 {
		t.Fatalf("%d requests with two slots held: %v", n, by)
	}
	close(srv.release)
	waitFor(t, "the held fetches to end", func() bool { return idle(p) })
	for i := 0; i < 3; i++ { // each tick fills the free slots
		clock.Advance(DefaultFeedTick)
		clock.waitTimers(t, 1)
		waitFor(t, "the fetches to end", func() bool { return idle(p) })
	}
	if n, by := srv.count(); n != 5 {
		t.Errorf("%d requests after the slots freed, want each of the 5 feeds once: %v", n, by)
	}
}

// TestFeedsKeepTheirOwnSchedule polls a feed every minute and another
// every three minutes for three minutes of the clock.
func TestFeedsKeepTheirOwnSchedule(t *testing.T) {
	srv := &countingFeeds{body: readRSS(t), release: make(chan struct{}), hits: map[string]int{}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	clock := newTimerClock()
	p, stop := testPoller(t, clock, []*FeedSource{feedAt(t, ts.URL+"/fast", time.Minute), feedAt(t, ts.URL+"/slow", 3*time.Minute)}, 4, nil)
	defer stop()
	for elapsed := time.Duration(0); ; elapsed += DefaultFeedTick {
		clock.waitTimers(t, 1)
		waitFor(t, "the fetches to end", func() bool { return idle(p) })
		if elapsed == 3*time.Minute {
			break
		}
		clock.Advance(DefaultFeedTick)
	}
	if _, by := srv.count(); by["/fast"] != 4 || by["/slow"] != 2 {
		t.Errorf("fetches in three minutes: %v; want /fast 4 (0, 1, 2, 3 min) and /slow 2 (0, 3 min)", by)
	}
}

// TestFailingFeedsReported polls a feed answering 500 and a feed on
// 127.0.0.1 that rules.yaml did not allow on a private network: both are
// reported in /status and the metrics, the second with what to do.
func TestFailingFeedsReported(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	defer ts.Close()
	clock := newTimerClock()
	broken := feedAt(t, ts.URL, time.Minute)
	broken.Label = "broken"
	private := NewFeedSource(rules.Feed{Name: "private", URL: ts.URL, Interval: rules.Duration(time.Minute),
		Timeout: rules.Duration(time.Minute)}, nil, clock)
	private.Feed.State = nil
	m := NewMetrics()
	p, stop := testPoller(t, clock, []*FeedSource{broken, private}, 2, m)
	defer stop()
	clock.waitTimers(t, 1)
	waitFor(t, "the fetches to end", func() bool { return idle(p) && len(p.Status()) == 2 })
	clock.Advance(time.Minute)
	clock.waitTimers(t, 1)
	waitFor(t, "the fetches to end", func() bool { return idle(p) })

	lines := feedStatusLines(p.Status(), clock.Now())
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "Feed broken: failing (2 fetches in a row): ") ||
		!strings.Contains(lines[0], "500") ||
		!strings.Contains(lines[1], "Feed private: failing") || !strings.Contains(lines[1], "private_network: true") {
		t.Errorf("/status feed lines:\n%s", strings.Join(lines, "\n"))
	}
	var buf bytes.Buffer
	m.WriteTo(&buf) //nolint:errcheck // a buffer
	for _, want := range []string{`wirewatch_feed_fetches_total{feed="broken"} 2`, `wirewatch_feed_errors_total{feed="broken"} 2`,
		`wirewatch_feed_failures{feed="private"} 2`, `wirewatch_feed_slow{feed="private"} 0`} {
		if !strings.Contains(buf.String(), want+"\n") {
			t.Errorf("metrics lack %s:\n%s", want, buf.String())
		}
	}
}
