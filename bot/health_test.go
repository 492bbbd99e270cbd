package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
)

func TestHealthReports(t *testing.T) {
	clock := newFakeClock()
	h := &Health{Now: clock.Now}
	h.Add("slack")
	h.Add("telegram")
	start := clock.Now()
	h.Report("telegram", "delivery", chat.AuthFailure(errors.New("telegram sendMessage: error 401: Unauthorized"), "check TELEGRAM_BOT_TOKEN"))
	clock.Advance(time.Minute)
	h.Report("telegram", "delivery", chat.AuthFailure(errors.New("telegram sendMessage: error 401: Unauthorized"), "check TELEGRAM_BOT_TOKEN"))
	h.Report("telegram", "commands", errors.New("getUpdates: connection refused"))
	if up := h.Up(); !up["slack"] || up["telegram"] {
		t.Errorf("Up = %v", up)
	}
	p := h.Problems()
	if len(p) != 2 || p[0].Part != "commands" || !p[1].Auth || !p[1].Since.Equal(start) {
		t.Fatalf("problems %+v, want commands then delivery, the refusal dated from its first report", p)
	}
	if s := p[1].String(); !strings.Contains(s, "token refused") || !strings.Contains(s, "TELEGRAM_BOT_TOKEN") {
		t.Errorf("problem reads %q", s)
	}
	h.Report("telegram", "delivery", nil)
	h.Report("telegram", "commands", nil)
	if up := h.Up(); !up["telegram"] || len(h.Lines()) != 0 {
		t.Errorf("after recovery: %v %v", up, h.Lines())
	}
	var none *Health
	none.Report("slack", "delivery", errors.New("x")) // a nil Health records nothing
	if len(none.Problems()) != 0 {
		t.Error("a nil Health has problems")
	}
}

func TestReadyzDegraded(t *testing.T) {
	problems := []string{"telegram delivery: token refused"}
	h := NewHTTPHandler(HTTPOptions{Degraded: func() []string { return problems }})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	b, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 || !strings.Contains(string(b), `"degraded"`) || !strings.Contains(string(b), "token refused") {
		t.Errorf("/readyz with a transport down: %d %s, want 200, degraded, the problem", rec.Code, b)
	}
	problems = nil
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if b, _ := io.ReadAll(rec.Body); !strings.Contains(string(b), `"ready"`) {
		t.Errorf("/readyz when all works: %s", b)
	}
}

func TestDeliveryStatus(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	st := openTestStore(t, clock)
	h := &Health{Now: clock.Now}
	h.Report("telegram", "delivery", chat.AuthFailure(errors.New("401 Unauthorized"), "check TELEGRAM_BOT_TOKEN"))
	enqueueText(t, st, "k1", "C1", "one")
	enqueueText(t, st, "k2", "C1", "two")
	enqueueText(t, st, "k3", "C2", "three")
	clock.Advance(90 * time.Second)
	now := clock.Now()
	for _, s := range []store.ChannelState{
		{Transport: "test", Channel: "C1", PausedUntil: now.Add(20 * time.Second), LastError: "429 Too Many Requests", UpdatedAt: now},
		{Transport: "test", Channel: "C9", Failures: 0, LastError: "old trouble", UpdatedAt: now}, // recovered, nothing waits
		{Transport: "telegram", Channel: "", PausedUntil: now.Add(time.Minute), Failures: 1, LastError: "401 Unauthorized", UpdatedAt: now},
	} {
		if err := st.SetChannelState(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	lines, err := DeliveryStatus(ctx, st, h, now)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		"telegram delivery: token refused since 2021-07-08 09:00:00 UTC: 401 Unauthorized (check TELEGRAM_BOT_TOKEN)",
		"telegram (every channel): paused until 09:02:30 UTC; last error at 09:01:30 UTC: 401 Unauthorized.",
		"test/C1: 2 pending, the oldest for 1m30s; paused until 09:01:50 UTC; last error at 09:01:30 UTC: 429 Too Many Requests.",
		"test/C2: 1 pending, the oldest for 1m30s.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "C9") {
		t.Errorf("a recovered channel with nothing waiting is listed:\n%s", got)
	}
}

func TestSuperviseRestartsWithBackoff(t *testing.T) {
	clock := newTimerClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs := make(chan chan error, 10)
	var reports []error
	var mu sync.Mutex
	done := make(chan error)
	go func() {
		done <- Supervise(ctx, clock, slog.New(slog.DiscardHandler), "socket mode", func(err error) {
			mu.Lock()
			reports = append(reports, err)
			mu.Unlock()
		}, func(ctx context.Context) error {
			ch := make(chan error)
			runs <- ch
			select {
			case err := <-ch:
				return err
			case <-ctx.Done():
				return nil
			}
		})
	}()
	refused := chat.AuthFailure(errors.New("invalid_auth"), "check SLACK_APP_TOKEN")
	for i, want := range []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second} {
		run := <-runs
		run <- refused
		// Each run left its one-minute "working" timer; the last timer is
		// the backoff.
		clock.waitTimers(t, i+2)
		if waits := clock.waits(); !slices.Contains(waits, want) {
			t.Fatalf("run %d: pending waits %v, want a backoff of %s", i+1, waits, want)
		}
		clock.Advance(want)
	}
	// A run that lasts is reported working.
	<-runs
	clock.waitTimers(t, 4) // the three earlier runs' timers and this one's
	clock.Advance(superviseStable)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Supervise = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reports) != 4 || !chat.IsAuthFailure(reports[0]) || reports[3] != nil {
		t.Errorf("reports %v, want three refusals then nil", reports)
	}
}
