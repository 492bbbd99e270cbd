package slack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store/sqlite"
)

// signedHTTP is a signed slash command as Slack sends it, ready to be sent
// (and sent again) to url.
type signedHTTP struct {
	body, ts, sig string
}

func newSignedHTTP(at time.Time) signedHTTP {
	body := commandForm("https://hooks.slack.com/commands/T0CHATTEST/1/x").Encode()
	ts := strconv.FormatInt(at.Unix(), 10)
	return signedHTTP{body: body, ts: ts, sig: Sign(testSecret, ts, []byte(body))}
}

func (s signedHTTP) send(t *testing.T, url string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(s.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", s.ts)
	req.Header.Set("X-Slack-Signature", s.sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck // only the status matters
	resp.Body.Close()
	return resp.StatusCode
}

// movableClock is the handlers' clock, moved by the test.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *movableClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestReplayedCommandRefused sends one signed slash command twice over
// HTTP: the copy is refused with 401 for as long as the signature is
// valid, and the command is answered once.
func TestReplayedCommandRefused(t *testing.T) {
	clock := &movableClock{now: testNow}
	var log commandLog
	h := newCommandHandler(t, replyWith(&log, replyMsg()), WithClock(clock.Now))
	srv := httptest.NewServer(h)
	defer srv.Close()
	req := newSignedHTTP(testNow)
	if got := req.send(t, srv.URL); got != http.StatusOK {
		t.Fatalf("first request: %d, want 200", got)
	}
	if got := req.send(t, srv.URL); got != http.StatusUnauthorized {
		t.Errorf("replayed at once: %d, want 401", got)
	}
	clock.add(4*time.Minute + 59*time.Second)
	if got := req.send(t, srv.URL); got != http.StatusUnauthorized {
		t.Errorf("replayed 4m59s later: %d, want 401", got)
	}
	clock.add(2 * time.Second) // now stale: refused for its timestamp
	if got := req.send(t, srv.URL); got != http.StatusUnauthorized {
		t.Errorf("replayed 5m01s later: %d, want 401", got)
	}
	if n := len(log.all()); n != 1 {
		t.Errorf("%d commands handled, want 1", n)
	}
	// A new request (a new timestamp) is accepted.
	if got := newSignedHTTP(clock.Now()).send(t, srv.URL); got != http.StatusOK {
		t.Errorf("new request: %d, want 200", got)
	}
}

// TestReplayToAnotherReplicaRefused runs two replicas' handlers, each with
// a guard of its own, on one SQLite store: a request accepted by one is
// refused by the other. Handlers sharing one guard (slash commands and
// interactions) refuse it too.
func TestReplayToAnotherReplicaRefused(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return testNow }
	var logA, logB commandLog
	guardA := NewReplayGuard(testSecret, db, nil)
	a := newCommandHandler(t, replyWith(&logA, replyMsg()), WithReplayGuard(guardA))
	b := newCommandHandler(t, replyWith(&logB, replyMsg()), WithReplayGuard(NewReplayGuard(testSecret, db, nil)))
	alsoA := newCommandHandler(t, replyWith(&logA, replyMsg()), WithReplayGuard(guardA))
	srvA, srvB, srvA2 := httptest.NewServer(a), httptest.NewServer(b), httptest.NewServer(alsoA)
	defer srvA.Close()
	defer srvB.Close()
	defer srvA2.Close()

	req := newSignedHTTP(testNow)
	if got := req.send(t, srvA.URL); got != http.StatusOK {
		t.Fatalf("first request to replica A: %d", got)
	}
	if got := req.send(t, srvB.URL); got != http.StatusUnauthorized {
		t.Errorf("replayed to replica B: %d, want 401", got)
	}
	if got := req.send(t, srvA2.URL); got != http.StatusUnauthorized {
		t.Errorf("replayed to another endpoint sharing A's guard: %d, want 401", got)
	}
	if n := len(logA.all()) + len(logB.all()); n != 1 {
		t.Errorf("%d commands handled, want 1", n)
	}
}

// failingNonces is a store that cannot write.
type failingNonces struct{}

func (failingNonces) ClaimNonce(context.Context, string, time.Time) (bool, error) {
	return false, errors.New("database or disk is full")
}

// TestReplayGuardStoreDown checks that a store that cannot record
// signatures does not stop commands, and that replays to the same process
// are still refused.
func TestReplayGuardStoreDown(t *testing.T) {
	var logs bytes.Buffer
	g := NewReplayGuard(testSecret, failingNonces{}, slog.New(slog.NewTextHandler(&logs, nil)))
	req := signedRequest(testSecret, testNow, "command=%2Flatest")
	if err := g.Verify(context.Background(), req.Header, []byte("command=%2Flatest"), testNow); err != nil {
		t.Fatalf("Verify with the store down: %v", err)
	}
	if !bytes.Contains(logs.Bytes(), []byte("disk is full")) {
		t.Errorf("the store's failure is not logged: %s", logs.String())
	}
	if err := g.Verify(context.Background(), req.Header, []byte("command=%2Flatest"), testNow); !errors.Is(err, ErrReplayed) {
		t.Errorf("replay with the store down: %v, want ErrReplayed", err)
	}
}

// TestReplayGuardForgetsStale checks that memory stays bounded: signatures
// past their validity are dropped as new ones come.
func TestReplayGuardForgetsStale(t *testing.T) {
	g := NewReplayGuard(testSecret, nil, nil)
	now := testNow
	for i := range 5000 {
		now = now.Add(time.Second)
		body := []byte("command=%2Flatest&n=" + strconv.Itoa(i))
		ts := strconv.FormatInt(now.Unix(), 10)
		h := http.Header{}
		h.Set("X-Slack-Request-Timestamp", ts)
		h.Set("X-Slack-Signature", Sign(testSecret, ts, body))
		if err := g.Verify(context.Background(), h, body, now); err != nil {
			t.Fatal(err)
		}
	}
	// At most five minutes of requests (300) are live; the map is swept
	// when it doubles.
	if n := len(g.seen); n > 2*1024 {
		t.Errorf("%d signatures remembered after 5000 requests over 83 minutes", n)
	}
}
