package chattest_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

// postAt posts a message with metadata key to channel (in thread when set)
// and returns its ts.
func postAt(t *testing.T, srv *chattest.SlackServer, channel, thread, key string) string {
	t.Helper()
	v := url.Values{"token": {chattest.SlackBotToken}, "channel": {channel}, "text": {"m " + key}}
	if thread != "" {
		v.Set("thread_ts", thread)
	}
	if key != "" {
		v.Set("metadata", `{"event_type":"wirewatch_outbox","event_payload":{"key":"`+key+`"}}`)
	}
	_, _, body, raw := slackPost(t, srv, "chat.postMessage", form, v.Encode(), "")
	ts, _ := body["ts"].(string)
	if body["ok"] != true || ts == "" {
		t.Fatalf("chat.postMessage: %s", raw)
	}
	return ts
}

type listed struct {
	TS       string
	Key      string
	HasMore  bool
	Next     string
	Metadata bool
}

func list(t *testing.T, srv *chattest.SlackServer, method string, v url.Values) []listed {
	t.Helper()
	v.Set("token", chattest.SlackBotToken)
	_, _, body, raw := slackPost(t, srv, method, form, v.Encode(), "")
	if body["ok"] != true {
		t.Fatalf("%s: %s", method, raw)
	}
	var out []listed
	for _, m := range body["messages"].([]any) {
		msg := m.(map[string]any)
		l := listed{TS: msg["ts"].(string), HasMore: body["has_more"] == true}
		l.Next, _ = body["response_metadata"].(map[string]any)["next_cursor"].(string)
		if md, ok := msg["metadata"].(map[string]any); ok {
			l.Metadata = true
			l.Key, _ = md["event_payload"].(map[string]any)["key"].(string)
		}
		out = append(out, l)
	}
	return out
}

func TestSlackServerHistory(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	now := time.Date(2021, 7, 8, 9, 0, 0, 0, time.UTC)
	srv.Now = func() time.Time { return now }
	a := postAt(t, srv, "C1", "", "a")
	now = now.Add(time.Minute)
	b := postAt(t, srv, "C1", "", "b")
	postAt(t, srv, "C1", a, "a-reply") // a reply: not in the history
	postAt(t, srv, "C2", "", "other")
	if !strings.HasPrefix(a, "1625734800.") {
		t.Fatalf("ts %q does not follow the server's clock", a)
	}

	got := list(t, srv, "conversations.history", url.Values{"channel": {"C1"}, "include_all_metadata": {"true"}})
	if len(got) != 2 || got[0].TS != b || got[1].TS != a || got[0].Key != "b" || got[1].Key != "a" {
		t.Fatalf("history = %+v, want b then a with their keys", got)
	}
	if got := list(t, srv, "conversations.history", url.Values{"channel": {"C1"}}); got[0].Metadata {
		t.Error("metadata without include_all_metadata")
	}
	got = list(t, srv, "conversations.history", url.Values{"channel": {"C1"}, "oldest": {b}})
	if len(got) != 0 {
		t.Errorf("oldest=%s, not inclusive: %+v", b, got)
	}
	got = list(t, srv, "conversations.history", url.Values{"channel": {"C1"}, "oldest": {b}, "inclusive": {"1"}})
	if len(got) != 1 || got[0].TS != b {
		t.Errorf("oldest=%s inclusive: %+v", b, got)
	}
	page := list(t, srv, "conversations.history", url.Values{"channel": {"C1"}, "limit": {"1"}})
	if len(page) != 1 || !page[0].HasMore || page[0].Next == "" {
		t.Fatalf("first page of one: %+v", page)
	}
	page = list(t, srv, "conversations.history", url.Values{"channel": {"C1"}, "limit": {"1"}, "cursor": {page[0].Next}})
	if len(page) != 1 || page[0].TS != a || page[0].HasMore {
		t.Errorf("second page: %+v", page)
	}

	got = list(t, srv, "conversations.replies", url.Values{"channel": {"C1"}, "ts": {a}, "include_all_metadata": {"1"}})
	if len(got) != 2 || got[0].TS != a || got[1].Key != "a-reply" {
		t.Errorf("replies = %+v, want the parent then its reply", got)
	}
	_, _, body, _ := slackPost(t, srv, "conversations.replies", form,
		url.Values{"token": {chattest.SlackBotToken}, "channel": {"C1"}, "ts": {"1.000001"}}.Encode(), "")
	if body["error"] != "thread_not_found" {
		t.Errorf("replies of an unknown ts: %v", body)
	}
	_, _, body, _ = slackPost(t, srv, "chat.postMessage", form, url.Values{"token": {chattest.SlackBotToken},
		"channel": {"C1"}, "text": {"x"}, "metadata": {`{"event_payload":{}}`}}.Encode(), "")
	if body["error"] != "invalid_metadata_format" {
		t.Errorf("metadata without event_type: %v", body)
	}
}

func TestSlackServerLateAndOutage(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	now := time.Date(2021, 7, 8, 9, 0, 0, 0, time.UTC)
	srv.Now = func() time.Time { return now }
	srv.FailNext("chat.postMessage", 1, chattest.SlackFailure{Late: true})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+"chat.postMessage",
		strings.NewReader(url.Values{"token": {chattest.SlackBotToken}, "channel": {"C1"}, "text": {"slow"}}.Encode()))
	req.Header.Set("Content-Type", form)
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a late answer reached the client: %v", err)
	}
	if msgs := srv.Messages("C1"); len(msgs) != 1 || msgs[0].Text != "slow" {
		t.Fatalf("the late call was not carried out: %+v", msgs)
	}
	if calls := srv.CallsTo("chat.postMessage"); len(calls) != 1 || !calls[0].Late {
		t.Errorf("calls = %+v, want one late call", calls)
	}

	srv.Outage("chat.postMessage", "C2", now.Add(time.Minute), chattest.SlackFailure{Status: 429, RetryAfter: 20 * time.Second, Error: "ratelimited"})
	srv.FailNext("chat.postMessage", 1, chattest.SlackFailure{Error: "channel_not_found", Channel: "C3"})
	post := func(channel string) (int, string) {
		code, hdr, body, _ := slackPost(t, srv, "chat.postMessage", form,
			url.Values{"token": {chattest.SlackBotToken}, "channel": {channel}, "text": {"x"}}.Encode(), "")
		if code == 429 {
			return code, hdr.Get("Retry-After")
		}
		e, _ := body["error"].(string)
		return code, e
	}
	if code, ra := post("C2"); code != 429 || ra != "20" {
		t.Errorf("C2 in its outage: %d %q", code, ra)
	}
	if code, e := post("C1"); code != 200 || e != "" {
		t.Errorf("C1 during C2's outage: %d %q; the C3 failure is not C1's", code, e)
	}
	if _, e := post("C3"); e != "channel_not_found" {
		t.Errorf("C3: %q", e)
	}
	now = now.Add(time.Minute)
	if code, _ := post("C2"); code != 200 {
		t.Errorf("C2 after its outage: %d", code)
	}
}
