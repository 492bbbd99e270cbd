package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/slack"
)

const testSigningSecret = "8f742231b10e8888abcd99yyyzzz85a5"

func TestRunSlackEndToEnd(t *testing.T) {
	t.Parallel()
	api := chattest.NewSlackServer(t)
	api.BotToken = chattest.SlackBotToken
	getenv := testEnv(t, map[string]string{
		"BOT_RULES":            "testdata/slack.yaml",
		"BOT_SCAN_SCHEDULE":    "@every 1h",
		"LOG_FORMAT":           "json",
		"LOG_LEVEL":            "info",
		"SLACK_BOT_TOKEN":      chattest.SlackBotToken,
		"SLACK_SIGNING_SECRET": testSigningSecret,
		"SLACK_API_URL":        api.URL(),
	})
	bot := startBot(t, getenv)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// Per channel: the alert, one reply, one edit of the reply carrying 000.
	if err := api.WaitCalls(ctx, "chat.update", 2); err != nil {
		t.Fatalf("waiting for the edits: %v\n%s", err, bot.errs.String())
	}
	for _, ch := range []string{"C0OPS", "C0DESK"} {
		msgs := api.Messages(ch)
		if len(msgs) != 2 {
			t.Fatalf("%s: %d messages, want the alert and one reply: %+v", ch, len(msgs), msgs)
		}
		alert, reply := msgs[0], msgs[1]
		if alert.ThreadTS != "" || reply.ThreadTS != alert.TS {
			t.Errorf("%s: reply thread_ts %q, want the alert's ts %q", ch, reply.ThreadTS, alert.TS)
		}
		if !strings.Contains(string(alert.Blocks), "Islam Times") {
			t.Errorf("%s: the alert is not the earliest report (003): %s", ch, alert.Blocks)
		}
		if reply.Updates != 1 || alert.Updates != 0 {
			t.Errorf("%s: %d edits of the reply, %d of the alert; want the reply (carrying 000) edited once", ch, reply.Updates, alert.Updates)
		}
		if !strings.Contains(string(reply.Blocks), "2 sources") {
			t.Errorf("%s: edited reply lacks the raised source count: %s", ch, reply.Blocks)
		}
	}
	// Never more than about one message a second per channel.
	last := map[string]time.Time{}
	for _, c := range api.Calls() {
		if c.Method != "chat.postMessage" && c.Method != "chat.update" {
			continue
		}
		ch := c.Params.Get("channel")
		if prev, ok := last[ch]; ok && c.At.Sub(prev) < 900*time.Millisecond {
			t.Errorf("%s: two calls %s apart", ch, c.At.Sub(prev))
		}
		last[ch] = c.At
	}

	// Slash commands over HTTP.
	addr := bot.httpAddr()
	form := url.Values{"command": {"/latest"}, "text": {"badghis"}, "channel_id": {"C0OPS"}, "user_id": {"U1"},
		"response_url": {api.ResponseURL("latest")}, "team_id": {"T1"}}
	body := form.Encode()
	post := func(sig, ts string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sig != "" {
			req.Header.Set("X-Slack-Signature", sig)
		}
		if ts != "" {
			req.Header.Set("X-Slack-Request-Timestamp", ts)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
	for name, c := range map[string][2]string{
		"unsigned": {"", ""},
		"forged":   {slack.Sign("not-the-secret", now, []byte(body)), now},
		"stale":    {slack.Sign(testSigningSecret, stale, []byte(body)), stale},
	} {
		if code, resp := post(c[0], c[1]); code != http.StatusUnauthorized || strings.Contains(resp, "Afghan") {
			t.Errorf("%s request: %d %q, want 401 and nothing else", name, code, resp)
		}
	}
	code, resp := post(slack.Sign(testSigningSecret, now, []byte(body)), now)
	if code != http.StatusOK {
		t.Fatalf("signed /latest: %d %s", code, resp)
	}
	text := resp
	if strings.Contains(resp, "Working on it") {
		posts, err := api.WaitHookPosts(ctx, "latest", 1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(posts[0])
		text = string(b)
	}
	var order []int
	for _, title := range []string{"Afghan forces take back", "Smoke covered", "Plumes of smoke", "The Taliban launched a major", "The Taliban launched its first"} {
		order = append(order, strings.Index(text, title))
	}
	for i, at := range order {
		if at < 0 || i > 0 && at < order[i-1] {
			t.Fatalf("signed /latest badghis does not list the seeds newest first (positions %v):\n%s", order, text)
		}
	}
	if !strings.Contains(text, `"response_type":"ephemeral"`) {
		t.Errorf("reply not ephemeral by default: %s", text)
	}
	// The same signed request again is a replay, refused.
	if code, resp := post(slack.Sign(testSigningSecret, now, []byte(body)), now); code != http.StatusUnauthorized {
		t.Errorf("replayed /latest: %d %q, want 401", code, resp)
	}
	if strings.Contains(bot.errs.String(), chattest.SlackBotToken) {
		t.Error("the bot token appears in the log")
	}
}
