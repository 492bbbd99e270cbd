package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

// holdingProxy stands between two bots and the fake Slack: bot "a" calls
// it under /a/, bot "b" under /b/. It holds a's first chat.postMessage
// until release is closed, and tells of every post it forwards.
type holdingProxy struct {
	srv     *httptest.Server
	release chan struct{}
	held    chan string // the channel of a's held post, once
	posts   chan string // "bot channel" of each post forwarded
	gaveUp  chan struct{}
	once    sync.Once
}

func newHoldingProxy(t *testing.T, api *chattest.SlackServer) *holdingProxy {
	target, err := url.Parse(api.URL())
	if err != nil {
		t.Fatal(err)
	}
	p := &holdingProxy{release: make(chan struct{}), held: make(chan string, 1), posts: make(chan string, 100),
		gaveUp: make(chan struct{})}
	rp := httputil.NewSingleHostReverseProxy(target)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		r.URL.Path = "/" + rest
		if rest == "chat.postMessage" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			channel := form.Get("channel")
			first := false
			if who == "a" {
				p.once.Do(func() { first = true })
			}
			if first {
				p.held <- channel
				select {
				case <-p.release:
				case <-r.Context().Done(): // bot a gave up waiting
					close(p.gaveUp)
					return
				}
			}
			p.posts <- who + " " + channel
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// TestStandbyLeavesTheLeadersSendAlone runs a bot that is posting an alert
// (its answer held back) when a second `bot run` starts on the same SQLite
// file: the second stands by and delivers, but leaves the row the first is
// sending alone, so the alert is posted once. The second bot's post of
// another alert shows that it has resumed interrupted rows (it does so
// before it delivers anything); the held row must still be the first
// bot's. Ordering, not timing, decides: nothing here depends on how fast
// either bot is.
func TestStandbyLeavesTheLeadersSendAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two processes")
	}
	t.Parallel()
	api := chattest.NewSlackServer(t)
	proxy := newHoldingProxy(t, api)
	corpus := t.TempDir()
	db := filepath.Join(t.TempDir(), "bot.db")
	rulesPath := filepath.Join(t.TempDir(), "rules.yaml")
	var rulesText strings.Builder
	rulesText.WriteString("channels:\n  one: { slack: C0ONE }\n  two: { slack: C0TWO }\nrules:\n")
	for r, ch := range []string{"one", "two"} {
		fmt.Fprintf(&rulesText, "  - name: r%d\n    keywords: { any: [codeword%d] }\n    channels: [%s]\n    group_by: rule\n", r, r, ch)
	}
	if err := os.WriteFile(rulesPath, []byte(rulesText.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for n := range 2 {
		writeArticle(t, corpus, n)
	}
	env := func(who string) map[string]string {
		return map[string]string{
			"BOT_RULES": rulesPath, "BOT_CORPUS_DIR": corpus, "BOT_DB": db, "BOT_HTTP_ADDR": "127.0.0.1:0",
			"BOT_SCAN_SCHEDULE": "@every 1h", "LOG_LEVEL": "info",
			"SLACK_BOT_TOKEN": chattest.SlackBotToken, "SLACK_API_URL": proxy.srv.URL + "/" + who + "/",
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a hang, not a measure
	defer cancel()
	first := startProcess(t, env("a"), "run")
	var heldChannel string
	select {
	case heldChannel = <-proxy.held:
	case <-ctx.Done():
		t.Fatalf("the first bot posted nothing:\n%s", first.err.String())
	}
	other := map[string]string{"C0ONE": "C0TWO", "C0TWO": "C0ONE"}[heldChannel]

	second := startProcess(t, env("b"), "run")
	for waiting := true; waiting; {
		select {
		case post := <-proxy.posts:
			switch post {
			case "b " + other:
				waiting = false
			case "b " + heldChannel:
				t.Fatalf("the second bot posted the alert to %s that the first is still sending: a duplicate", heldChannel)
			}
		case <-proxy.gaveUp:
			t.Fatalf("the first bot gave up its held post before the second delivered (a machine too loaded for this test)")
		case <-ctx.Done():
			t.Fatalf("the second bot delivered nothing:\nfirst:\n%s\nsecond:\n%s", first.err.String(), second.err.String())
		}
	}
	if state := rowState(t, db, heldChannel); state != "sending" {
		t.Errorf("the row the first bot is sending is %s once the second bot runs; want sending (the second bot took it back)", state)
	}

	close(proxy.release)
	for rowState(t, db, heldChannel) != "sent" {
		select {
		case <-ctx.Done():
			t.Fatalf("the held alert was never recorded sent:\nfirst:\n%s\nsecond:\n%s", first.err.String(), second.err.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	first.stop(t)
	second.stop(t)
	for _, ch := range []string{"C0ONE", "C0TWO"} {
		if posts := alertPosts(t, api, ch); len(posts) != 1 {
			t.Errorf("%s: alerts %v, want one", ch, posts)
		}
	}
}

// rowState returns the state of the alert row for channel in the SQLite
// file at db, read apart from the bots.
func rowState(t *testing.T, db, channel string) string {
	t.Helper()
	st, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var state string
	if err := st.QueryRow(`SELECT state FROM outbox WHERE kind = 'alert' AND channel = ?`, channel).Scan(&state); err != nil {
		t.Fatal(err)
	}
	return state
}
