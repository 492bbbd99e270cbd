package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

func openTestStore(t *testing.T, clock Clock) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Now = clock.Now
	t.Cleanup(func() { db.Close() })
	return db
}

// scriptedTransport answers each Send with the next scripted error (nil
// when the script is exhausted) and records what it was sent and when.
type scriptedTransport struct {
	mu     sync.Mutex
	clock  Clock
	script []error
	sent   []sentMsg
	calls  int
}

type sentMsg struct {
	at  time.Time
	msg chat.Message
}

func (s *scriptedTransport) Name() string { return "test" }

func (s *scriptedTransport) Send(_ context.Context, m chat.Message) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if len(s.script) > 0 {
		err := s.script[0]
		s.script = s.script[1:]
		if err != nil {
			return "", err
		}
	}
	s.sent = append(s.sent, sentMsg{at: s.clock.Now(), msg: m})
	return fmt.Sprintf("remote-%d", len(s.sent)), nil
}

func newTestDeliverer(st store.Store, clock Clock, tr chat.Transport) *Deliverer {
	return &Deliverer{
		Store: st, Transports: map[string]chat.Transport{"test": tr}, Renderer: &Renderer{Store: st},
		Clock: clock, Log: slog.New(slog.DiscardHandler), Jitter: func() float64 { return 0.5 },
		BaseBackoff: 2 * time.Second, MaxBackoff: time.Minute, MaxAttempts: 4,
	}
}

func enqueueText(t *testing.T, st store.Store, key, channel, text string) {
	t.Helper()
	b, _ := json.Marshal(chat.Message{Kind: chat.KindReply, Text: text})
	if _, err := st.Enqueue(context.Background(), store.OutboxRow{Key: key, Transport: "test", Channel: channel, Kind: "reply", Payload: b}); err != nil {
		t.Fatal(err)
	}
}

// channelState returns the recorded state of a channel of the test
// transport, zero when none is recorded.
func channelState(t *testing.T, st store.Store, channel string) store.ChannelState {
	t.Helper()
	states, err := st.ChannelStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if s.Transport == "test" && s.Channel == channel {
			return s
		}
	}
	return store.ChannelState{}
}

func TestDeliverHonoursRetryAfterPerChannel(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	st := openTestStore(t, clock)
	tr := &scriptedTransport{clock: clock, script: []error{chat.RetryAfter(errors.New("429 Too Many Requests"), 30*time.Second)}}
	d := newTestDeliverer(st, clock, tr)
	enqueueText(t, st, "k1", "C1", "first")
	enqueueText(t, st, "k2", "C1", "second")
	enqueueText(t, st, "o1", "C2", "other")
	due := clock.Now()

	if n, _, err := d.DeliverDue(ctx); err != nil || n != 2 {
		t.Fatalf("first pass: attempted %d, err %v; want k1 (429) and o1", n, err)
	}
	row, _ := st.OutboxRow(ctx, "k1")
	if row.State != store.Pending || !row.Due.Equal(due) || row.Attempts != 0 {
		t.Fatalf("after 429: state %s due %s attempts %d, want pending in its place (due %s), attempt not counted", row.State, row.Due, row.Attempts, due)
	}
	if s := channelState(t, st, "C1"); !s.PausedUntil.Equal(due.Add(30*time.Second)) || !strings.Contains(s.LastError, "429") {
		t.Fatalf("channel C1 after 429: %+v, want paused 30s with the error", s)
	}
	for range 29 {
		clock.Advance(time.Second)
		if n, _, _ := d.DeliverDue(ctx); n != 0 {
			t.Fatalf("sent to C1 %s after a 429 asking for 30s", clock.Now().Sub(due))
		}
	}
	clock.Advance(time.Second)
	d.DeliverDue(ctx)
	clock.Advance(time.Second)
	d.DeliverDue(ctx)
	var got []string
	for _, s := range tr.sent {
		got = append(got, s.msg.Text)
	}
	if strings.Join(got, " ") != "other first second" {
		t.Fatalf("sent %v, want other, then first and second in order", got)
	}
	if row, _ := st.OutboxRow(ctx, "k1"); row.State != store.Sent || row.Attempts != 1 {
		t.Fatalf("after the pause: %+v", row)
	}
	if s := channelState(t, st, "C1"); !s.PausedUntil.IsZero() || s.Failures != 0 {
		t.Fatalf("channel C1 after a success: %+v, want no pause", s)
	}
}

func TestDeliverBackoffPerChannelThenDeadLetter(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	st := openTestStore(t, clock)
	boom := errors.New("502 bad gateway")
	tr := &scriptedTransport{clock: clock, script: []error{boom, boom, boom, boom}}
	d := newTestDeliverer(st, clock, tr)
	enqueueText(t, st, "k1", "C1", "hello")
	enqueueText(t, st, "k2", "C1", "next")

	// Jitter 0.5: waits are 3/4 of 2s, 4s, 8s; the channel waits, the row
	// keeps its place ahead of k2.
	for i, want := range []time.Duration{1500 * time.Millisecond, 3 * time.Second, 6 * time.Second} {
		start := clock.Now()
		if n, _, _ := d.DeliverDue(ctx); n != 1 {
			t.Fatalf("attempt %d not made", i+1)
		}
		s := channelState(t, st, "C1")
		if got := s.PausedUntil.Sub(start); got != want || s.Failures != i+1 || !strings.Contains(s.LastError, "502") {
			t.Fatalf("attempt %d: channel %+v paused for %s, want %s", i+1, s, got, want)
		}
		row, _ := st.OutboxRow(ctx, "k1")
		if row.State != store.Pending || row.Attempts != i+1 || !strings.Contains(row.LastError, "502") {
			t.Fatalf("attempt %d: row %+v", i+1, row)
		}
		clock.Advance(want - time.Millisecond)
		if n, _, _ := d.DeliverDue(ctx); n != 0 {
			t.Fatalf("attempt %d: sent before the channel's backoff ended", i+1)
		}
		clock.Advance(time.Millisecond)
	}
	if n, _, _ := d.DeliverDue(ctx); n != 1 {
		t.Fatal("fourth attempt not made")
	}
	row, _ := st.OutboxRow(ctx, "k1")
	if row.State != store.Dead || !strings.Contains(row.LastError, "gave up after 4 attempts") {
		t.Fatalf("after max attempts: %+v", row)
	}
	clock.Advance(time.Second)
	d.DeliverDue(ctx)
	if row, _ := st.OutboxRow(ctx, "k2"); row.State != store.Sent {
		t.Fatalf("the row behind a dead one: %s", row.State)
	}
}

func TestBackoffGrowsAndCaps(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		jitter   float64
		want     time.Duration
	}{
		{1, 0, time.Second}, {1, 0.999999, 2 * time.Second},
		{2, 0, 2 * time.Second}, {3, 0, 4 * time.Second},
		{10, 0, 30 * time.Second}, {10, 0.5, 45 * time.Second},
	} {
		got := Backoff(tc.attempts, 2*time.Second, time.Minute, tc.jitter).Round(time.Millisecond)
		if got != tc.want {
			t.Errorf("Backoff(%d, jitter %g) = %s, want %s", tc.attempts, tc.jitter, got, tc.want)
		}
	}
}

func TestDeliverPermanentErrorDeadLettersAndBlocksNothing(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	st := openTestStore(t, clock)
	tr := &scriptedTransport{clock: clock, script: []error{chat.Permanent(errors.New("channel_not_found"), "invite the bot")}}
	d := newTestDeliverer(st, clock, tr)
	enqueueText(t, st, "k1", "C1", "first")
	enqueueText(t, st, "k2", "C1", "second")
	d.DeliverDue(ctx)
	row, _ := st.OutboxRow(ctx, "k1")
	if row.State != store.Dead || row.Attempts != 1 || !strings.Contains(row.LastError, "invite the bot") {
		t.Fatalf("permanent error: %+v", row)
	}
	clock.Advance(time.Second)
	d.DeliverDue(ctx)
	if row, _ := st.OutboxRow(ctx, "k2"); row.State != store.Sent {
		t.Fatalf("row after a dead one: %s", row.State)
	}
}

func TestDeliverOrderAndPacePerChannel(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	st := openTestStore(t, clock)
	tr := &scriptedTransport{clock: clock}
	d := newTestDeliverer(st, clock, tr)
	for i := range 3 {
		enqueueText(t, st, fmt.Sprintf("a%d", i), "A", fmt.Sprintf("A%d", i))
		enqueueText(t, st, fmt.Sprintf("b%d", i), "B", fmt.Sprintf("B%d", i))
	}
	for range 10 {
		d.DeliverDue(ctx)
		clock.Advance(250 * time.Millisecond)
	}
	var got []string
	last := map[string]time.Time{}
	for _, s := range tr.sent {
		got = append(got, s.msg.Text)
		ch := s.msg.Text[:1]
		if prev, ok := last[ch]; ok && s.at.Sub(prev) < time.Second {
			t.Errorf("channel %s sent twice within %s", ch, s.at.Sub(prev))
		}
		last[ch] = s.at
	}
	if strings.Join(got, " ") != "A0 B0 A1 B1 A2 B2" {
		t.Fatalf("order %v", got)
	}
}

func TestDeliverThreadsUnderParent(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	st := openTestStore(t, clock)
	tr := &scriptedTransport{clock: clock}
	d := newTestDeliverer(st, clock, tr)
	enqueueText(t, st, "parent", "C", "alert")
	b, _ := json.Marshal(chat.Message{Kind: chat.KindReply, Text: "reply"})
	st.Enqueue(ctx, store.OutboxRow{Key: "child", Transport: "test", Channel: "C", Kind: "reply", ParentKey: "parent", Payload: b})
	d.DeliverDue(ctx)
	clock.Advance(time.Second)
	d.DeliverDue(ctx)
	if len(tr.sent) != 2 || tr.sent[1].msg.ThreadID != "remote-1" {
		t.Fatalf("child not threaded under parent: %+v", tr.sent)
	}
}

func TestDeliverResumesInflightOnRestart(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	st := openTestStore(t, clock)
	enqueueText(t, st, "k1", "C", "x")
	heads, _ := st.OutboxHeads(ctx, clock.Now(), 10)
	if ok, err := st.ClaimOutbox(ctx, heads[0].ID, clock.Now()); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	// The process dies here; a new deliverer starts.
	tr := &signalTransport{scriptedTransport: scriptedTransport{clock: clock}, sent: make(chan struct{})}
	d := newTestDeliverer(st, clock, tr)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- d.Run(cctx) }()
	<-tr.sent // Run resets the row and sends it at once
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	if row, _ := st.OutboxRow(ctx, "k1"); row.State != store.Sent {
		t.Fatalf("in-flight row not resent after restart: %s", row.State)
	}
}

// signalTransport closes sent after its first successful send.
type signalTransport struct {
	scriptedTransport
	once sync.Once
	sent chan struct{}
}

func (s *signalTransport) Send(ctx context.Context, m chat.Message) (string, error) {
	id, err := s.scriptedTransport.Send(ctx, m)
	if err == nil {
		s.once.Do(func() { close(s.sent) })
	}
	return id, err
}

// TestEngineStartsNewReplyAfterUnknownOutcome: a reply whose send got no
// answer may be on the platform already, so a later report goes in a new
// reply instead of joining one that may never be sent again.
func TestEngineStartsNewReplyAfterUnknownOutcome(t *testing.T) {
	f := newEngineFixture(t)
	tr := &scriptedTransport{clock: f.clock}
	d := newTestDeliverer(f.store, f.clock, tr)
	d.Transports = map[string]chat.Transport{"slack": tr, "telegram": tr}
	f.putSeed("003", day(7))
	mustProcess(t, f)
	f.putSeed("004", day(7))
	mustProcess(t, f)
	mustDeliver(t, d)
	f.clock.Advance(DefaultUpdateInterval)
	tr.script = []error{chat.OutcomeUnknown(errors.New("timeout")), chat.OutcomeUnknown(errors.New("timeout"))}
	mustDeliver(t, d)
	f.putSeed("000", day(8))
	mustProcess(t, f)
	var updates [][]string
	for _, r := range f.rows() {
		if r.Kind == store.OutboxUpdate {
			rf, _ := decodeRef(r.Payload)
			updates = append(updates, rf.Docs)
		}
	}
	if len(updates) != 4 {
		t.Fatalf("replies %v: want, per channel, the unanswered [004] and a new [000]", updates)
	}
	for _, u := range updates {
		if len(u) != 1 {
			t.Errorf("reply %v: a report joined a reply that may be posted already", u)
		}
	}
}
