package bot

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/slack"
)

func TestHTTPEndpoints(t *testing.T) {
	m := NewMetrics()
	m.Sent.Inc("slack", "alert")
	m.Sent.Inc("slack", "alert")
	ready := errors.New("first scan not finished")
	h := NewHTTPHandler(HTTPOptions{Metrics: m, Ready: func(context.Context) error { return ready }})
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "first scan") {
		t.Errorf("/readyz before ready: %d %s", code, body)
	}
	ready = nil
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz when ready: %d", code)
	}
	code, body := get("/metrics")
	for _, want := range []string{
		"# TYPE wirewatch_messages_sent_total counter",
		`wirewatch_messages_sent_total{transport="slack",kind="alert"} 2`,
		"# TYPE wirewatch_scan_duration_seconds histogram",
	} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/slack/commands", nil))
	if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("/slack/commands without Slack configured: %d", rec.Code)
	}
}

// TestSlowBodiesAreCutOff opens 500 connections to /slack/commands, each
// sending its headers and the start of a body and then nothing: the server
// cuts every one of them off at the read deadline (short here) and closes
// it, so slow clients cannot hold connections open. The test waits for the
// server, it does not time it: a server that never closes them fails.
func TestSlowBodiesAreCutOff(t *testing.T) {
	var handled atomic.Int64
	cmds, err := slack.NewCommandHandler("8f742231b10e8888abcd99yyyzzz85a5", chat.HandlerFunc(
		func(context.Context, chat.Command) chat.Message {
			handled.Add(1)
			return chat.Message{Kind: chat.KindReply, Text: "ok"}
		}))
	if err != nil {
		t.Fatal(err)
	}
	defer cmds.Close()
	srv := NewHTTPServer(NewHTTPHandler(HTTPOptions{SlackCommands: cmds}),
		HTTPLimits{ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: 300 * time.Millisecond})
	var opened, closed atomic.Int64
	srv.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			opened.Add(1)
		case http.StateClosed, http.StateHijacked:
			closed.Add(1)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	defer srv.Close()

	const n = 500
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatalf("connection %d: %v", len(conns), err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, "POST /slack/commands HTTP/1.1\r\nHost: bot\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4096\r\n"+
			"X-Slack-Request-Timestamp: 1625734800\r\nX-Slack-Signature: v0=00\r\n\r\ncommand=%2Flatest&text="); err != nil {
			t.Fatal(err)
		}
	}
	statuses := map[string]int{}
	for i, c := range conns {
		// A guard, not a measure: a server that never closes the
		// connection leaves the test waiting here.
		c.SetReadDeadline(time.Now().Add(time.Minute)) //nolint:errcheck // a net.Conn
		b, err := io.ReadAll(c)
		if err != nil {
			t.Fatalf("connection %d still open after a minute: %v", i, err)
		}
		status, _, _ := strings.Cut(string(b), "\r\n")
		statuses[status]++
	}
	for status := range statuses {
		if status != "" && !strings.Contains(status, " 400 ") && !strings.Contains(status, " 503 ") {
			t.Errorf("answer %q to a request cut off", status)
		}
	}
	t.Logf("answers: %v", statuses)
	for closed.Load() < n {
		time.Sleep(time.Millisecond) // the server's bookkeeping follows the close
	}
	if opened.Load() != n || handled.Load() != 0 {
		t.Errorf("server saw %d connections, handled %d commands; want %d and 0", opened.Load(), handled.Load(), n)
	}
}

// TestRequestCap holds the chat endpoints' only two slots with requests
// that wait: a third request is refused 503 at once, and counted, while
// health checks still answer; once a slot frees, requests are served.
func TestRequestCap(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 2)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(http.StatusOK)
	})
	m := NewMetrics()
	srv := httptest.NewServer(NewHTTPHandler(HTTPOptions{SlackCommands: slow, Metrics: m, MaxRequests: 2}))
	defer srv.Close()
	post := func() (*http.Response, error) {
		return http.Post(srv.URL+"/slack/commands", "text/plain", strings.NewReader("x"))
	}
	done := make(chan int, 2)
	for range 2 {
		go func() {
			resp, err := post()
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
	}
	<-entered
	<-entered
	resp, err := post()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third request: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, err := http.Get(srv.URL + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz while the chat endpoints are busy: %v %v", resp, err)
	}
	metrics, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(metrics.Body)
	metrics.Body.Close()
	if !strings.Contains(string(body), "wirewatch_http_requests_refused_total 1\n") {
		t.Errorf("metrics lack the refused request:\n%s", body)
	}
	close(release)
	for range 2 {
		if code := <-done; code != http.StatusOK {
			t.Errorf("held request: %d", code)
		}
	}
	go func() { <-entered }()
	resp, err = post()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("request after the slots freed: %v %v", resp, err)
	}
}
