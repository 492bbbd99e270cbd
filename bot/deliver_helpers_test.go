package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
)

// payloadRenderer renders every row from its payload, a chat.Message, so
// that delivery tests choose the messages (edits included) themselves.
type payloadRenderer struct{}

func (payloadRenderer) Render(_ context.Context, row store.OutboxRow) (chat.Message, error) {
	var m chat.Message
	if err := json.Unmarshal(row.Payload, &m); err != nil {
		return m, fmt.Errorf("decoding %s payload: %w", row.Kind, err)
	}
	m.Channel = row.Channel
	return m, nil
}

// enqueueMsg queues m for transport/channel under key, threaded under (or
// editing) parent when set.
func enqueueMsg(t *testing.T, st store.Store, key, transport, channel, parent string, m chat.Message) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	kind := store.OutboxKind(m.Kind)
	ok, err := st.Enqueue(context.Background(), store.OutboxRow{Key: key, Transport: transport, Channel: channel,
		Kind: kind, ParentKey: parent, Payload: b})
	if err != nil || !ok {
		t.Fatalf("enqueue %s: %v %v", key, ok, err)
	}
}

// drain runs delivery passes, moving the clock on by the wait each idle
// pass reports, until nothing is pending or sending, or steps run out.
// It returns the clock time at the end.
func drain(t *testing.T, d *Deliverer, st store.Store, clock *fakeClock, steps int) time.Time {
	t.Helper()
	ctx := context.Background()
	for range steps {
		n, wait, err := d.DeliverDue(ctx)
		if err != nil {
			t.Fatalf("DeliverDue: %v", err)
		}
		stats, err := st.OutboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if stats[store.Pending]+stats[store.Sending] == 0 {
			return clock.Now()
		}
		if n == 0 {
			clock.Advance(max(wait, time.Millisecond))
		}
	}
	stats, _ := st.OutboxStats(ctx)
	t.Fatalf("outbox not drained after %d passes: %v", steps, stats)
	return time.Time{}
}

// row reads an outbox row.
func row(t *testing.T, st store.Store, key string) store.OutboxRow {
	t.Helper()
	r, err := st.OutboxRow(context.Background(), key)
	if err != nil {
		t.Fatalf("row %s: %v", key, err)
	}
	return r
}

// metric returns the value of a series as /metrics shows it, 0 when
// absent.
func metric(m *Metrics, series string) float64 {
	var b strings.Builder
	if _, err := m.WriteTo(&b); err != nil {
		return -1
	}
	for line := range strings.Lines(b.String()) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), series+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// realDeliverer is a Deliverer for the real transports given, with the
// test's clock and a fixed jitter.
func realDeliverer(st store.Store, clock Clock, r MessageRenderer, ts ...chat.Transport) *Deliverer {
	m := map[string]chat.Transport{}
	for _, t := range ts {
		m[t.Name()] = t
	}
	return &Deliverer{
		Store: st, Transports: m, Renderer: r, Clock: clock, Log: slog.New(slog.DiscardHandler),
		Jitter: func() float64 { return 0.5 }, Metrics: NewMetrics(), Health: &Health{Now: clock.Now},
	}
}

// items returns n articles titled with prefix.
func items(prefix string, n int) []chat.Article {
	out := make([]chat.Article, n)
	for i := range out {
		out[i] = chat.Article{
			Title:     fmt.Sprintf("%s %d: fighting <near> Qala-i-Naw & Badghis", prefix, i+1),
			URL:       fmt.Sprintf("https://example.com/%s/%d?a=1&b=2", strings.ToLower(prefix), i+1),
			Source:    "AFP",
			Published: time.Date(2021, 7, 8, 9, 0, 0, 0, time.UTC),
			Place:     "Qala-i-Naw (Badghis, Afghanistan)",
			Lead:      strings.Repeat("Taliban fighters entered the provincial capital on Wednesday. ", 3),
		}
	}
	return out
}
