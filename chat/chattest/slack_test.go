package chattest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

// slackPost posts a form or JSON body to the fake and decodes its answer.
func slackPost(t *testing.T, srv *chattest.SlackServer, method, ctype, body, bearer string) (int, http.Header, map[string]any, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+method, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, resp.Header, out, string(raw)
}

const form = "application/x-www-form-urlencoded"

func sectionBlocks(n int, text string) string {
	blocks := make([]map[string]any, n)
	for i := range blocks {
		blocks[i] = map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text}}
	}
	b, _ := json.Marshal(blocks)
	return string(b)
}

func TestSlackServerWireFormat(t *testing.T) {
	tok := chattest.SlackBotToken
	post := func(v url.Values) string {
		v.Set("token", tok)
		return v.Encode()
	}
	tests := []struct {
		name      string
		method    string
		ctype     string
		body      string
		bearer    string
		fail      *chattest.SlackFailure
		status    int
		errorCode string
		check     func(t *testing.T, h http.Header, out map[string]any, raw string)
	}{
		{name: "form post", method: "chat.postMessage", ctype: form,
			body: post(url.Values{"channel": {"C1"}, "text": {"hi"}}), status: 200,
			check: func(t *testing.T, _ http.Header, out map[string]any, _ string) {
				if out["ts"] == "" || out["channel"] != "C1" {
					t.Errorf("answer %v", out)
				}
			}},
		{name: "json post with bearer", method: "chat.postMessage", ctype: "application/json; charset=utf-8",
			body: `{"channel":"C1","blocks":` + sectionBlocks(1, "hi") + `}`, bearer: tok, status: 200},
		{name: "no token", method: "chat.postMessage", ctype: form, body: "channel=C1&text=hi", status: 200, errorCode: "not_authed"},
		{name: "wrong token", method: "auth.test", ctype: form, body: "token=xoxb-nope", status: 200, errorCode: "invalid_auth"},
		{name: "no text", method: "chat.postMessage", ctype: form, body: post(url.Values{"channel": {"C1"}}), status: 200, errorCode: "no_text"},
		{name: "51 blocks", method: "chat.postMessage", ctype: form,
			body: post(url.Values{"channel": {"C1"}, "blocks": {sectionBlocks(51, "x")}}), status: 200, errorCode: "invalid_blocks"},
		{name: "3001-character section", method: "chat.postMessage", ctype: form,
			body: post(url.Values{"channel": {"C1"}, "blocks": {sectionBlocks(1, strings.Repeat("é", 3001))}}), status: 200, errorCode: "invalid_blocks"},
		{name: "update of nothing", method: "chat.update", ctype: form,
			body: post(url.Values{"channel": {"C1"}, "ts": {"1.2"}, "text": {"x"}}), status: 200, errorCode: "message_not_found"},
		{name: "rate limited", method: "chat.postMessage", ctype: form, body: post(url.Values{"channel": {"C1"}, "text": {"hi"}}),
			fail: &chattest.SlackFailure{Status: 429, RetryAfter: 2500 * time.Millisecond, Error: "ratelimited"}, status: 429, errorCode: "ratelimited",
			check: func(t *testing.T, h http.Header, _ map[string]any, _ string) {
				if got := h.Get("Retry-After"); got != "3" {
					t.Errorf("Retry-After %q, want 3", got)
				}
			}},
		{name: "server error", method: "chat.postMessage", ctype: form, body: post(url.Values{"channel": {"C1"}, "text": {"hi"}}),
			fail: &chattest.SlackFailure{Status: 500, Error: "boom"}, status: 500,
			check: func(t *testing.T, _ http.Header, out map[string]any, raw string) {
				if out != nil || !strings.Contains(raw, "<html>") {
					t.Errorf("500 body %q, want HTML like Slack's", raw)
				}
			}},
		{name: "error code echoing the token", method: "auth.test", ctype: form, body: post(url.Values{}),
			fail: &chattest.SlackFailure{Error: "invalid_auth", EchoToken: true}, status: 200, errorCode: "invalid_auth: token " + tok},
		{name: "app token opens a socket", method: "apps.connections.open", ctype: "application/json", bearer: chattest.SlackAppToken, status: 200,
			check: func(t *testing.T, _ http.Header, out map[string]any, _ string) {
				if u, _ := out["url"].(string); !strings.HasPrefix(u, "ws://") {
					t.Errorf("url %q", u)
				}
			}},
		{name: "bot token opens no socket", method: "apps.connections.open", ctype: "application/json", bearer: tok, status: 200, errorCode: "invalid_auth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := chattest.NewSlackServer(t)
			if tt.fail != nil {
				srv.FailNext(tt.method, 1, *tt.fail)
			}
			status, h, out, raw := slackPost(t, srv, tt.method, tt.ctype, tt.body, tt.bearer)
			if status != tt.status {
				t.Fatalf("status %d, want %d (%s)", status, tt.status, raw)
			}
			if tt.status == 200 || tt.status == 429 {
				ok, _ := out["ok"].(bool)
				if code, _ := out["error"].(string); ok != (tt.errorCode == "") || code != tt.errorCode {
					t.Errorf("answer %s, want error %q", raw, tt.errorCode)
				}
			}
			if tt.check != nil {
				tt.check(t, h, out, raw)
			}
			calls := srv.Calls()
			if len(calls) != 1 || calls[0].Method != tt.method || calls[0].Status != tt.status {
				t.Errorf("recorded %+v", calls)
			}
		})
	}
}

func TestSlackServerFailNextCounts(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	srv.FailNext("auth.test", 1, chattest.SlackFailure{}) // lets one through
	srv.FailNext("auth.test", 2, chattest.SlackFailure{Error: "fatal_error"})
	body := "token=" + chattest.SlackBotToken
	var got []string
	for range 4 {
		_, _, out, _ := slackPost(t, srv, "auth.test", form, body, "")
		got = append(got, fmt.Sprint(out["error"]))
	}
	if want := "<nil> fatal_error fatal_error <nil>"; strings.Join(got, " ") != want {
		t.Errorf("errors %q, want %q", got, want)
	}
}

func TestSlackServerKeepsMessages(t *testing.T) {
	srv := chattest.NewSlackServer(t)
	tok := "token=" + chattest.SlackBotToken
	_, _, first, _ := slackPost(t, srv, "chat.postMessage", form, tok+"&channel=C1&text=alert", "")
	ts := first["ts"].(string)
	slackPost(t, srv, "chat.postMessage", form, tok+"&channel=C1&text=reply&thread_ts="+ts, "")
	slackPost(t, srv, "chat.update", form, tok+"&channel=C1&text=edited&ts="+ts, "")
	msgs := srv.Messages("C1")
	if len(msgs) != 2 || msgs[0].Text != "edited" || msgs[0].Updates != 1 || msgs[1].ThreadTS != ts {
		t.Errorf("messages %+v", msgs)
	}
}
