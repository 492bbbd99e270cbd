package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
)

const testSecret = "e5b3d1c0a9f8e7d6c5b4a3f2e1d0c9b8"

var testNow = time.Date(2021, 7, 8, 9, 0, 0, 0, time.UTC)

// commandForm is what Slack posts for "/Latest  badghis ".
func commandForm(responseURL string) url.Values {
	return url.Values{
		"token": {"legacy-verification-token"}, "team_id": {"T0CHATTEST"}, "team_domain": {"chattest"},
		"channel_id": {"C0OPS"}, "channel_name": {"ops"}, "user_id": {"U0ANALYST"}, "user_name": {"analyst"},
		"command": {"/Latest"}, "text": {"  badghis "}, "response_url": {responseURL},
		"trigger_id": {"13345224609.738474920.8088930838d88f008e0"}, "api_app_id": {"A0CHATTEST"},
	}
}

func signedRequest(secret string, at time.Time, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ts := strconv.FormatInt(at.Unix(), 10)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", Sign(secret, ts, []byte(body)))
	return r
}

// commandLog records the commands a handler got.
type commandLog struct {
	mu   sync.Mutex
	cmds []chat.Command
}

func (l *commandLog) add(c chat.Command) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cmds = append(l.cmds, c)
}

func (l *commandLog) all() []chat.Command {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]chat.Command(nil), l.cmds...)
}

// replyWith answers every command at once with m, and logs it.
func replyWith(log *commandLog, m chat.Message) chat.Handler {
	return chat.HandlerFunc(func(_ context.Context, c chat.Command) chat.Message {
		log.add(c)
		return m
	})
}

func newCommandHandler(t *testing.T, h chat.Handler, opts ...CommandOption) *CommandHandler {
	t.Helper()
	opts = append([]CommandOption{WithClock(func() time.Time { return testNow }), WithDeadline(time.Minute)}, opts...)
	ch, err := NewCommandHandler(testSecret, h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ch.Close() })
	return ch
}

func decodeResponse(t *testing.T, rec *httptest.ResponseRecorder) chattest.SlackHookPost {
	t.Helper()
	var p chattest.SlackHookPost
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("response %q: %v", rec.Body, err)
	}
	return p
}

func TestCommandRequests(t *testing.T) {
	body := commandForm("https://hooks.slack.com/commands/T0CHATTEST/1/x").Encode()
	tests := []struct {
		name     string
		req      func() *http.Request
		opts     []CommandOption
		status   int
		handled  bool
		respType string
	}{
		{"signed", func() *http.Request { return signedRequest(testSecret, testNow, body) }, nil, 200, true, "ephemeral"},
		{"signed 4 minutes ago", func() *http.Request { return signedRequest(testSecret, testNow.Add(-4*time.Minute), body) }, nil, 200, true, "ephemeral"},
		{"forged", func() *http.Request { return signedRequest("not-the-secret", testNow, body) }, nil, 401, false, ""},
		{"body swapped", func() *http.Request {
			r := signedRequest(testSecret, testNow, body)
			r.Body = http.NoBody
			return r
		}, nil, 401, false, ""},
		{"unsigned", func() *http.Request {
			r := signedRequest(testSecret, testNow, body)
			r.Header.Del("X-Slack-Signature")
			return r
		}, nil, 401, false, ""},
		{"stale", func() *http.Request { return signedRequest(testSecret, testNow.Add(-6*time.Minute), body) }, nil, 401, false, ""},
		{"future", func() *http.Request { return signedRequest(testSecret, testNow.Add(6*time.Minute), body) }, nil, 401, false, ""},
		{"GET", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/slack/commands", nil) }, nil, 405, false, ""},
		{"too large", func() *http.Request { return signedRequest(testSecret, testNow, body) }, []CommandOption{WithMaxBodyBytes(64)}, 413, false, ""},
		{"not a command", func() *http.Request { return signedRequest(testSecret, testNow, "text=hello") }, nil, 400, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log commandLog
			h := newCommandHandler(t, replyWith(&log, replyMsg()), tt.opts...)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tt.req())
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tt.status, rec.Body)
			}
			cmds := log.all()
			if handled := len(cmds) > 0; handled != tt.handled {
				t.Fatalf("handled = %v, want %v", handled, tt.handled)
			}
			if !tt.handled {
				return
			}
			want := chat.Command{Transport: "slack", Channel: "C0OPS", User: "U0ANALYST", Name: "latest", Args: "badghis"}
			if cmds[0] != want {
				t.Errorf("command %+v, want %+v", cmds[0], want)
			}
			p := decodeResponse(t, rec)
			if p.ResponseType != tt.respType || !strings.Contains(string(p.Blocks), "Afghan forces take back") || p.Text == "" {
				t.Errorf("response %+v", p)
			}
		})
	}
}

// TestCommandSlackExample sends Slack's documented example request.
func TestCommandSlackExample(t *testing.T) {
	var log commandLog
	h, err := NewCommandHandler(exampleSecret, replyWith(&log, chat.Message{Text: "ok"}), WithClock(func() time.Time { return exampleTime }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(exampleBody))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Slack-Request-Timestamp", exampleTimestamp)
	r.Header.Set("X-Slack-Signature", exampleSignature)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	want := chat.Command{Transport: "slack", Channel: "G8PSS9T3V", User: "U2CERLKJA", Name: "webhook-collect"}
	if cmds := log.all(); rec.Code != 200 || len(cmds) != 1 || cmds[0] != want {
		t.Fatalf("status %d, commands %+v; want 200 and %+v", rec.Code, cmds, want)
	}
}

func TestCommandReplyVisibility(t *testing.T) {
	tests := []struct {
		name string
		msg  chat.Message
		want string
	}{
		{"ephemeral by default", chat.Message{Text: "only you"}, "ephemeral"},
		{"in channel", chat.Message{Text: "everyone", InChannel: true}, "in_channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newCommandHandler(t, replyWith(&commandLog{}, tt.msg))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, signedRequest(testSecret, testNow, commandForm("").Encode()))
			if p := decodeResponse(t, rec); p.ResponseType != tt.want || p.Text != tt.msg.Text {
				t.Errorf("response %+v, want %s %q", p, tt.want, tt.msg.Text)
			}
		})
	}
}

func TestCommandEmptyReplyIsBareAck(t *testing.T) {
	h := newCommandHandler(t, replyWith(&commandLog{}, chat.Message{}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, signedRequest(testSecret, testNow, commandForm("").Encode()))
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("status %d, body %q; want an empty 200", rec.Code, rec.Body)
	}
}

func TestCommandPanicIsAnswered(t *testing.T) {
	h := newCommandHandler(t, chat.HandlerFunc(func(context.Context, chat.Command) chat.Message { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, signedRequest(testSecret, testNow, commandForm("").Encode()))
	if p := decodeResponse(t, rec); !strings.Contains(p.Text, "failed") {
		t.Errorf("response %+v, want an apology", p)
	}
}

// blockedHandler answers only once released (or when its context ends).
type blockedHandler struct {
	release chan struct{}
	started chan struct{}
	log     commandLog
	ctxErr  chan error
}

func newBlockedHandler() *blockedHandler {
	return &blockedHandler{release: make(chan struct{}), started: make(chan struct{}, 10), ctxErr: make(chan error, 10)}
}

func (b *blockedHandler) HandleCommand(ctx context.Context, c chat.Command) chat.Message {
	b.log.add(c)
	b.started <- struct{}{}
	select {
	case <-b.release:
		b.ctxErr <- nil
	case <-ctx.Done():
		b.ctxErr <- ctx.Err()
	}
	m := replyMsg()
	m.InChannel = true
	return m
}

func waitCtx(t *testing.T) context.Context {
	t.Helper()
	// A bound on a hang, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestCommandSlowReplyGoesToResponseURL(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	b := newBlockedHandler()
	h := newCommandHandler(t, b, WithDeadline(time.Millisecond))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, signedRequest(testSecret, testNow, commandForm(srv.ResponseURL("slow")).Encode()))
	if p := decodeResponse(t, rec); rec.Code != 200 || p.ResponseType != "ephemeral" || p.Text != workingText {
		t.Fatalf("ack %d %+v, want an ephemeral %q", rec.Code, p, workingText)
	}
	if n := len(srv.HookPosts("slow")); n != 0 {
		t.Fatalf("%d posts to response_url before the handler answered", n)
	}
	close(b.release)
	posts, err := srv.WaitHookPosts(waitCtx(t), "slow", 1)
	if err != nil {
		t.Fatal(err)
	}
	p := posts[0]
	if p.ResponseType != "in_channel" || !strings.Contains(string(p.Blocks), "Afghan forces take back") || p.ReplaceOriginal {
		t.Errorf("late reply %+v", p)
	}
	if err := h.Shutdown(waitCtx(t)); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if n := len(srv.HookPosts("slow")); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
}

func TestCommandBusy(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	b := newBlockedHandler()
	h := newCommandHandler(t, b, WithDeadline(time.Millisecond), WithMaxPending(1))
	first := httptest.NewRecorder()
	h.ServeHTTP(first, signedRequest(testSecret, testNow, commandForm(srv.ResponseURL("first")).Encode()))
	second := httptest.NewRecorder()
	h.ServeHTTP(second, signedRequest(testSecret, testNow, commandForm(srv.ResponseURL("second")).Encode()))
	if p := decodeResponse(t, second); p.Text != busyText {
		t.Errorf("second command answered %+v, want %q", p, busyText)
	}
	close(b.release)
	if err := h.Shutdown(waitCtx(t)); err != nil {
		t.Fatal(err)
	}
	if n := len(b.log.all()); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
}

func TestShutdownWaitsForLateReplies(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	b := newBlockedHandler()
	h := newCommandHandler(t, b, WithDeadline(time.Millisecond))
	h.ServeHTTP(httptest.NewRecorder(), signedRequest(testSecret, testNow, commandForm(srv.ResponseURL("late")).Encode()))

	<-b.started
	done := make(chan error, 1)
	go func() { done <- h.Shutdown(context.Background()) }()
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned %v while a reply was pending", err)
	default:
	}
	close(b.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(srv.HookPosts("late")); n != 1 {
		t.Errorf("%d late replies posted by the time Shutdown returned, want 1", n)
	}
}

func TestCommandAfterShutdown(t *testing.T) {
	var log commandLog
	h := newCommandHandler(t, replyWith(&log, replyMsg()))
	if err := h.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, signedRequest(testSecret, testNow, commandForm("").Encode()))
	if p := decodeResponse(t, rec); p.Text != closedText || len(log.all()) != 0 {
		t.Errorf("after Shutdown: %+v, %d commands run; want %q and none", p, len(log.all()), closedText)
	}
}

func TestShutdownCancelsAtDeadline(t *testing.T) {
	b := newBlockedHandler()
	h := newCommandHandler(t, b, WithDeadline(time.Millisecond))
	h.ServeHTTP(httptest.NewRecorder(), signedRequest(testSecret, testNow, commandForm("").Encode()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v, want context.Canceled", err)
	}
	if err := <-b.ctxErr; !errors.Is(err, context.Canceled) {
		t.Errorf("handler's context ended with %v, want canceled", err)
	}
}

func TestCommandFrom(t *testing.T) {
	tests := []struct {
		command, text string
		want          chat.Command
	}{
		{"/latest", "badghis 3", chat.Command{Name: "latest", Args: "badghis 3"}},
		{"/LATEST", "  Qala-e-Naw  ", chat.Command{Name: "latest", Args: "Qala-e-Naw"}},
		{"/ww-search", "taliban assault", chat.Command{Name: "search", Args: "taliban assault"}},
		{"/WW-Status", "", chat.Command{Name: "status"}},
		{"/help", "", chat.Command{Name: "help"}},
	}
	for _, tt := range tests {
		got := commandFrom(slackgo.SlashCommand{Command: tt.command, Text: tt.text, ChannelID: "C1", UserID: "U1"})
		tt.want.Transport, tt.want.Channel, tt.want.User = "slack", "C1", "U1"
		if got != tt.want {
			t.Errorf("%s %q: %+v, want %+v", tt.command, tt.text, got, tt.want)
		}
	}
}

func TestNewCommandHandlerNeedsSecret(t *testing.T) {
	if _, err := NewCommandHandler("", replyWith(&commandLog{}, chat.Message{})); err == nil {
		t.Error("no error without a signing secret")
	}
	if _, err := NewCommandHandler(testSecret, nil); err == nil {
		t.Error("no error without a handler")
	}
}
