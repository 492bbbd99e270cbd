package chattest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Tokens a SlackServer accepts unless told otherwise.
const (
	SlackBotToken = "xoxb-1111-2222-chattestbottoken"
	SlackAppToken = "xapp-1-A0CHATTEST-3333-chattestapptoken"
)

// SlackCall is one Web API request the fake received, and how it answered.
type SlackCall struct {
	// Method is the API method, e.g. "chat.postMessage".
	Method string
	// Token is the token the request carried, in its form or as a bearer.
	Token string
	// Params are the request's parameters. A JSON body is flattened: string
	// values as they are, other values JSON-encoded.
	Params url.Values
	// Status is the HTTP status answered.
	Status int
	// Error is the Slack error code answered, "" when the call succeeded.
	Error string
	// At is when the fake received the call (by its clock, Now), for
	// checks of pacing.
	At time.Time
	// Late is true for a call answered only after the client gave up.
	Late bool

	ctx context.Context
}

// Blocks decodes the call's "blocks" parameter; nil when there is none.
func (c SlackCall) Blocks() ([]map[string]any, error) {
	raw := c.Params.Get("blocks")
	if raw == "" {
		return nil, nil
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
		return nil, fmt.Errorf("decode blocks: %w", err)
	}
	return blocks, nil
}

// SlackFailure is how the fake answers a call it was told to fail.
type SlackFailure struct {
	// Status is the HTTP status; zero means 200 with an error body.
	Status int
	// RetryAfter is sent as the Retry-After header (whole seconds, rounded up).
	RetryAfter time.Duration
	// Error is the Slack error code of the {"ok":false,"error":...} body.
	Error string
	// EchoToken appends the request's token to Error, as a careless proxy
	// might, so tests can check that no token leaks into errors.
	EchoToken bool
	// Late carries the call out (posts the message) but holds the answer
	// until the client gave up waiting, as a slow Slack would; with Error
	// or Status unset.
	Late bool
	// Channel, when set, makes only a call to that channel take the
	// failure; calls to other channels pass it by.
	Channel string
}

// SlackMessage is a message as the fake holds it after posts and updates.
type SlackMessage struct {
	Channel  string
	TS       string
	ThreadTS string
	Text     string
	// Blocks is the JSON array of the message's blocks.
	Blocks json.RawMessage
	// Metadata is the message's metadata object, nil when it has none.
	Metadata json.RawMessage
	// Updates counts the chat.update calls applied to it.
	Updates int
}

// SlackServer is a fake Slack Web API on an httptest server. It answers
// auth.test, chat.postMessage, chat.update, conversations.history,
// conversations.replies, conversations.open and apps.connections.open in
// Slack's wire format, serves a Socket Mode websocket and response_url
// hooks, makes the block_actions payloads of clicks on a message's buttons,
// records every call, and is safe for concurrent use.
type SlackServer struct {
	// BotToken is the token Web API methods accept ("" accepts any). Set it
	// before the first request.
	BotToken string
	// AppToken is the app-level token apps.connections.open accepts ("" accepts
	// any). Set it before the first request.
	AppToken string
	// Now is the clock of SlackCall.At and of outages; time.Now when nil.
	// Set it before the first request.
	Now func() time.Time

	srv      *httptest.Server
	upgrader websocket.Upgrader
	wg       sync.WaitGroup
	done     chan struct{}
	closing  sync.Once

	mu        sync.Mutex
	changed   chan struct{}
	calls     []SlackCall
	fails     map[string][]SlackFailure
	outages   []slackOutage
	lastTS    int64 // microseconds of the last ts given
	messages  []*SlackMessage
	sockets   map[*slackSocket]bool
	opened    int
	envelopes int
	clicks    int
	acks      map[string]SlackAck
	hooks     map[string][]SlackHookPost
	directs   map[string]string
}

// NewSlackServer starts a fake Slack API and closes it when the test ends.
func NewSlackServer(t testing.TB) *SlackServer {
	t.Helper()
	s := &SlackServer{
		BotToken: SlackBotToken,
		AppToken: SlackAppToken,
		changed:  make(chan struct{}),
		done:     make(chan struct{}),
		fails:    map[string][]SlackFailure{},
		sockets:  map[*slackSocket]bool{},
		acks:     map[string]SlackAck{},
		hooks:    map[string][]SlackHookPost{},
		directs:  map[string]string{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/socket-mode/", s.serveSocket)
	mux.HandleFunc("/commands/", s.serveHook)
	mux.HandleFunc("/", s.serveAPI)
	// slack-go dials with Origin https://api.slack.com, as Slack expects.
	s.upgrader.CheckOrigin = func(*http.Request) bool { return true }
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// URL is the API base to give slack-go (SLACK_API_URL); it ends with "/".
func (s *SlackServer) URL() string { return s.srv.URL + "/" }

// Close closes open websockets, stops the server and waits for its handlers.
// It is safe to call more than once.
func (s *SlackServer) Close() {
	s.closing.Do(func() { close(s.done) })
	s.mu.Lock()
	for sock := range s.sockets {
		_ = sock.conn.Close()
	}
	s.mu.Unlock()
	s.srv.Close()
	s.wg.Wait()
}

// FailNext makes the next n calls to method fail as f says. A zero
// SlackFailure lets a call through, so FailNext(m, 1, SlackFailure{})
// followed by FailNext(m, 1, f) fails the second call.
func (s *SlackServer) FailNext(method string, n int, f SlackFailure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.fails[method] = append(s.fails[method], f)
	}
}

// RateLimit makes the next n calls to method answer 429 with Retry-After.
func (s *SlackServer) RateLimit(method string, n int, after time.Duration) {
	s.FailNext(method, n, SlackFailure{Status: http.StatusTooManyRequests, RetryAfter: after, Error: "ratelimited"})
}

// slackOutage fails every call to a method in a channel until a time.
type slackOutage struct {
	method, channel string
	until           time.Time
	f               SlackFailure
}

// Outage makes every call to method in channel ("" for any) fail as f
// says until until, by the server's clock (Now). Outages come before the
// failures FailNext queued.
func (s *SlackServer) Outage(method, channel string, until time.Time, f SlackFailure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outages = append(s.outages, slackOutage{method: method, channel: channel, until: until, f: f})
}

func (s *SlackServer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Calls returns every call received so far, in order.
func (s *SlackServer) Calls() []SlackCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SlackCall, len(s.calls))
	for i, c := range s.calls {
		c.Params = maps.Clone(c.Params)
		out[i] = c
	}
	return out
}

// CallsTo returns the calls to one method, in order.
func (s *SlackServer) CallsTo(method string) []SlackCall {
	var out []SlackCall
	for _, c := range s.Calls() {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Messages returns the messages posted to channel, oldest first, as they
// are now (after updates).
func (s *SlackServer) Messages(channel string) []SlackMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SlackMessage
	for _, m := range s.messages {
		if m.Channel == channel {
			out = append(out, *m)
		}
	}
	return out
}

// Message returns the message of channel with timestamp ts.
func (s *SlackServer) Message(channel, ts string) (SlackMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.findLocked(channel, ts); m != nil {
		return *m, true
	}
	return SlackMessage{}, false
}

func (s *SlackServer) findLocked(channel, ts string) *SlackMessage {
	for _, m := range s.messages {
		if m.Channel == channel && m.TS == ts {
			return m
		}
	}
	return nil
}

// notifyLocked wakes everything waiting for a change of state.
func (s *SlackServer) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// serveAPI answers Web API methods: POST https://slack.com/api/{method}.
// Specs: https://docs.slack.dev/apis/web-api/
func (s *SlackServer) serveAPI(w http.ResponseWriter, r *http.Request) {
	call := SlackCall{Method: strings.TrimPrefix(r.URL.Path, "/"), ctx: r.Context()}
	params, token, err := readSlackParams(r)
	call.Params, call.Token = params, token
	if err != nil {
		s.answer(w, call, http.StatusOK, slackError("invalid_form_data"))
		return
	}
	f, ok := s.takeFailure(call.Method, call.Params.Get("channel"))
	if ok && (f.Status != 0 || f.Error != "") {
		s.fail(w, call, f)
		return
	}
	call.Late = ok && f.Late
	want := s.BotToken
	if call.Method == "apps.connections.open" {
		want = s.AppToken
	}
	switch {
	case token == "":
		s.answer(w, call, http.StatusOK, slackError("not_authed"))
		return
	case want != "" && token != want:
		s.answer(w, call, http.StatusOK, slackError("invalid_auth"))
		return
	}
	switch call.Method {
	case "auth.test":
		s.answer(w, call, http.StatusOK, map[string]any{
			"ok": true, "url": "https://chattest.slack.com/", "team": "Chattest",
			"user": "wirewatch", "team_id": "T0CHATTEST", "user_id": "U0WIREWATCH", "bot_id": "B0WIREWATCH",
		})
	case "chat.postMessage":
		s.answer(w, call, http.StatusOK, s.postMessage(call.Params))
	case "chat.update":
		s.answer(w, call, http.StatusOK, s.update(call.Params))
	case "conversations.history":
		s.answer(w, call, http.StatusOK, s.history(call.Params))
	case "conversations.replies":
		s.answer(w, call, http.StatusOK, s.replies(call.Params))
	case "conversations.open":
		s.answer(w, call, http.StatusOK, s.openConversation(call.Params))
	case "apps.connections.open":
		s.answer(w, call, http.StatusOK, map[string]any{
			"ok": true, "url": "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/socket-mode/link",
		})
	default:
		s.answer(w, call, http.StatusOK, slackError("unknown_method"))
	}
}

// takeFailure returns how a call to method in channel fails: an outage in
// force, or else the first failure queued for it.
func (s *SlackServer) takeFailure(method, channel string) (SlackFailure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, o := range s.outages {
		if o.method == method && (o.channel == "" || o.channel == channel) && now.Before(o.until) {
			return o.f, true
		}
	}
	q := s.fails[method]
	for i, f := range q {
		if f.Channel == "" || f.Channel == channel {
			s.fails[method] = append(q[:i:i], q[i+1:]...)
			return f, true
		}
	}
	return SlackFailure{}, false
}

func (s *SlackServer) fail(w http.ResponseWriter, call SlackCall, f SlackFailure) {
	code := f.Error
	if f.EchoToken {
		code += ": token " + call.Token
	}
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
	}
	if status >= 500 {
		call.Status, call.Error = status, code
		s.record(call)
		http.Error(w, "<html><body>"+code+"</body></html>", status)
		return
	}
	s.answer(w, call, status, slackError(code))
}

// answer writes body as JSON with status and records the call.
func (s *SlackServer) answer(w http.ResponseWriter, call SlackCall, status int, body map[string]any) {
	call.Status = status
	if ok, _ := body["ok"].(bool); !ok {
		call.Error, _ = body["error"].(string)
	}
	s.record(call)
	if call.Late {
		// The work is done and recorded; the answer comes after the
		// client stopped waiting for it.
		select {
		case <-call.ctx.Done():
		case <-s.done:
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (s *SlackServer) record(call SlackCall) {
	s.mu.Lock()
	defer s.mu.Unlock()
	call.At = s.now()
	s.calls = append(s.calls, call)
	s.notifyLocked()
}

func slackError(code string, details ...string) map[string]any {
	body := map[string]any{"ok": false, "error": code}
	if len(details) > 0 {
		body["errors"] = details
	}
	return body
}

// readSlackParams reads a form or JSON body, and the token from the form or
// the Authorization header.
func readSlackParams(r *http.Request) (url.Values, string, error) {
	params := url.Values{}
	ctype := r.Header.Get("Content-Type")
	if strings.HasPrefix(ctype, "application/json") {
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return params, "", fmt.Errorf("read body: %w", err)
		}
		if len(strings.TrimSpace(string(raw))) > 0 && string(raw) != "null" {
			var body map[string]any
			if err := json.Unmarshal(raw, &body); err != nil {
				return params, "", fmt.Errorf("decode body: %w", err)
			}
			for k, v := range body {
				switch v := v.(type) {
				case nil:
				case string:
					params.Set(k, v)
				default:
					b, _ := json.Marshal(v)
					params.Set(k, string(b))
				}
			}
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return params, "", fmt.Errorf("parse form: %w", err)
		}
		params = r.Form
	}
	token := params.Get("token")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		token = bearer
	}
	return params, token, nil
}
