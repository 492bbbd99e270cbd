package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/slack"
)

// addSeed copies seed n ("003") of examples/corpus into dir, as a new
// report arriving in the corpus.
func addSeed(t *testing.T, dir, n string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join("..", "..", "examples", "corpus", n+"_*.txt"))
	if len(matches) != 1 {
		t.Fatalf("seed %s not found", n)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(matches[0])), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// slackBot is a bot running against the fake Slack, with helpers to press
// its buttons and type its commands as Slack would send them.
type slackBot struct {
	*running
	t    *testing.T
	api  *chattest.SlackServer
	addr string
	ctx  context.Context
}

func startSlackBot(t *testing.T, api *chattest.SlackServer, vars map[string]string) *slackBot {
	t.Helper()
	env := map[string]string{
		"BOT_RULES": "testdata/slack.yaml", "BOT_SCAN_SCHEDULE": "@every 1s", "LOG_FORMAT": "json", "LOG_LEVEL": "info",
		"SLACK_BOT_TOKEN": chattest.SlackBotToken, "SLACK_SIGNING_SECRET": testSigningSecret, "SLACK_API_URL": api.URL(),
	}
	for k, v := range vars {
		env[k] = v
	}
	r := startBot(t, testEnv(t, env))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second) // a bound on a hang
	t.Cleanup(cancel)
	return &slackBot{running: r, t: t, api: api, addr: r.httpAddr(), ctx: ctx}
}

// press clicks an element of a message as user and posts the signed
// interaction; it returns the HTTP status.
func (b *slackBot) press(channel, ts, actionID, option, user string, at time.Time) int {
	b.t.Helper()
	in, err := b.api.Interaction(chattest.SlackClick{Channel: channel, TS: ts, ActionID: actionID, Option: option,
		User: user, UserName: strings.ToLower(strings.TrimPrefix(user, "U0"))})
	if err != nil {
		b.t.Fatal(err)
	}
	code, _, err := chattest.SignedInteraction(in, testSigningSecret, at).Post(b.ctx, "http://"+b.addr+"/slack/interactions")
	if err != nil {
		b.t.Fatal(err)
	}
	return code
}

// command types a slash command in C0OPS and returns the answer's text.
func (b *slackBot) command(name, text string) string {
	b.t.Helper()
	body := url.Values{"command": {"/" + name}, "text": {text}, "channel_id": {"C0OPS"}, "user_id": {"U0ALICE"},
		"user_name": {"alice"}, "response_url": {b.api.ResponseURL(name)}, "team_id": {"T1"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequestWithContext(b.ctx, http.MethodPost, "http://"+b.addr+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slack.Sign(testSigningSecret, ts, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct{ Text string }
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		b.t.Fatal(err)
	}
	return p.Text
}

// waitMessages waits until channel holds at least n messages.
func (b *slackBot) waitMessages(channel string, n int) []chattest.SlackMessage {
	b.t.Helper()
	for {
		// Count the posts first: one made meanwhile ends the wait at once.
		posts := len(b.api.CallsTo("chat.postMessage"))
		if msgs := b.api.Messages(channel); len(msgs) >= n {
			return msgs
		}
		if err := b.api.WaitCalls(b.ctx, "chat.postMessage", posts+1); err != nil {
			b.t.Fatalf("waiting for %d messages in %s: %v\n%s", n, channel, err, b.errs.String())
		}
	}
}

func TestSlackButtonsMuteUndoAndFollow(t *testing.T) {
	t.Parallel()
	api := chattest.NewSlackServer(t)
	corpus := t.TempDir()
	addSeed(t, corpus, "003")
	b := startSlackBot(t, api, map[string]string{"BOT_CORPUS_DIR": corpus})
	alert := b.waitMessages("C0OPS", 1)[0]
	b.waitMessages("C0DESK", 1)
	if !strings.Contains(string(alert.Blocks), `"action_id":"ww_mute_story"`) || !strings.Contains(string(alert.Blocks), `"Follow"`) {
		t.Fatalf("the alert carries no buttons: %s", alert.Blocks)
	}
	story := regexp.MustCompile(`Story #(\d+)`).FindStringSubmatch(string(alert.Blocks))[1]
	ref := regexp.MustCompile(`"ms:([A-Za-z0-9]+):6h"`).FindStringSubmatch(string(alert.Blocks))[1]

	// Forged and stale presses are refused and change nothing.
	in, err := api.Interaction(chattest.SlackClick{Channel: "C0OPS", TS: alert.TS, ActionID: "ww_mute_story",
		Option: "ms:" + ref + ":1w", User: "U0MALLORY", UserName: "mallory"})
	if err != nil {
		t.Fatal(err)
	}
	for name, req := range map[string]chattest.SlackRequest{
		"forged": chattest.SignedInteraction(in, "not-the-secret", time.Now()),
		"stale":  chattest.SignedInteraction(in, testSigningSecret, time.Now().Add(-10*time.Minute)),
	} {
		if code, _, err := req.Post(b.ctx, "http://"+b.addr+"/slack/interactions"); err != nil || code != http.StatusUnauthorized {
			t.Errorf("%s press: %d %v, want 401", name, code, err)
		}
	}
	if got := b.command("mutes", ""); got != "Nothing is muted here." {
		t.Fatalf("after refused presses /mutes says %q", got)
	}

	// "Mute story… 6 hours": the alert says who muted it, and the next
	// report of the story is not posted here (but is in the other channel).
	in, err = api.Interaction(chattest.SlackClick{Channel: "C0OPS", TS: alert.TS, ActionID: "ww_mute_story",
		Option: "ms:" + ref + ":6h", User: "U0ALICE", UserName: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	signed := chattest.SignedInteraction(in, testSigningSecret, time.Now())
	if code, _, err := signed.Post(b.ctx, "http://"+b.addr+"/slack/interactions"); err != nil || code != http.StatusOK {
		t.Fatalf("signed press: %d %v", code, err)
	}
	if err := api.WaitCalls(b.ctx, "chat.update", 1); err != nil {
		t.Fatal(err)
	}
	// The same request again is a replay: refused.
	if code, _, err := signed.Post(b.ctx, "http://"+b.addr+"/slack/interactions"); err != nil || code != http.StatusUnauthorized {
		t.Errorf("replayed press: %d %v, want 401", code, err)
	}
	if m, _ := api.Message("C0OPS", alert.TS); !strings.Contains(string(m.Blocks), "Muted 6h by @alice") || !strings.Contains(string(m.Blocks), `"Undo"`) {
		t.Fatalf("the alert after the mute: %s", m.Blocks)
	}
	addSeed(t, corpus, "004")
	b.errs.waitFor(t, `"msg":"report muted"`, 1)
	b.waitMessages("C0DESK", 2)
	if n := len(api.Messages("C0OPS")); n != 1 {
		t.Fatalf("%d messages in the muted channel, want the alert alone", n)
	}
	if got := b.command("mutes", ""); !strings.Contains(got, "story #"+story+", until") || !strings.Contains(got, "by @alice") ||
		!strings.Contains(got, "1 report muted here in the last 24 h.") {
		t.Errorf("/mutes:\n%s", got)
	}

	// Undo lifts it: the alert offers the mutes again and the next report posts.
	if code := b.press("C0OPS", alert.TS, "ww_unmute", "", "U0BOB", time.Now()); code != http.StatusOK {
		t.Fatalf("undo: %d", code)
	}
	if err := api.WaitCalls(b.ctx, "chat.update", 2); err != nil {
		t.Fatal(err)
	}
	if m, _ := api.Message("C0OPS", alert.TS); !strings.Contains(string(m.Blocks), "ww_mute_story") {
		t.Errorf("the alert after Undo: %s", m.Blocks)
	}
	// Follow: the later reports come to the follower's direct messages
	// too.
	if code := b.press("C0OPS", alert.TS, "ww_follow", "", "U0CAROL", time.Now()); code != http.StatusOK {
		t.Fatalf("follow: %d", code)
	}
	if err := api.WaitCalls(b.ctx, "conversations.open", 1); err != nil {
		t.Fatal(err)
	}
	dm := api.Direct("U0CAROL")
	if dm == "" {
		t.Fatal("no direct message was opened")
	}
	addSeed(t, corpus, "000")
	if reply := b.waitMessages("C0OPS", 2)[1]; reply.ThreadTS != alert.TS {
		t.Errorf("the report after Undo is not in the alert's thread: %+v", reply)
	}
	msgs := b.waitMessages(dm, 2)
	if !strings.Contains(msgs[0].Text, "You follow story #"+story) || !strings.Contains(string(msgs[1].Blocks), "which you follow") ||
		msgs[1].ThreadTS != "" {
		t.Errorf("direct messages %+v", msgs)
	}

	// The commands do the same: /mute, /mutes, /unmute.
	got := b.command("mute", "story "+story+" 1h")
	id := regexp.MustCompile(`mute #(\d+)`).FindStringSubmatch(got)
	if id == nil {
		t.Fatalf("/mute story: %q", got)
	}
	if got := b.command("unmute", id[1]); !strings.Contains(got, "Unmuted story #"+story) {
		t.Errorf("/unmute: %q", got)
	}
	if strings.Contains(b.errs.String(), chattest.SlackBotToken) {
		t.Error("the bot token appears in the log")
	}
}

func TestConsoleMutesAndFollows(t *testing.T) {
	t.Parallel()
	bot := startBot(t, testEnv(t, map[string]string{"BOT_RULES": "testdata/console.yaml", "BOT_SCAN_SCHEDULE": "@every 1h"}))
	out := bot.out.waitFor(t, "== ALERT", 1)
	actions := regexp.MustCompile(`actions: /mute story (\d+) 6h · /mute \S+ in badghis 6h · /why \d+ · /follow \d+`).FindStringSubmatch(out)
	if actions == nil {
		t.Fatalf("the alert does not show its actions as commands:\n%s", out)
	}
	story := actions[1]
	// The story number the alert shows is the one /why takes; the sample's
	// AFP copy is counted in words that agree with the number.
	bot.send("/why " + story)
	out = bot.out.waitFor(t, "Story #"+story+": rule ", 1)
	if m := regexp.MustCompile(`\d+ reports, (\d+) of them (a copy|copies),`).FindStringSubmatch(out); m == nil ||
		(m[1] == "1") != (m[2] == "a copy") {
		t.Errorf("/why %s:\n%s", story, out)
	}
	bot.send("/mute story " + story + " 6h")
	out = bot.out.waitFor(t, "Muted story #"+story+" here for 6h", 1)
	id := regexp.MustCompile(`\(mute #(\d+)\)`).FindStringSubmatch(out)[1]
	bot.send("/mutes")
	bot.out.waitFor(t, "#"+id+" story #"+story+", until", 1)
	bot.send("/unmute " + id)
	bot.out.waitFor(t, "Unmuted story #"+story+" here", 1)
	bot.send("/mutes")
	bot.out.waitFor(t, "Nothing is muted here.", 1)
	bot.send("/follow " + story)
	bot.out.waitFor(t, "You follow story #"+story, 1)
	if code := bot.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, bot.errs.String())
	}
}
