package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/slack"
)

// TestRunTelegramRefusedTokenLeavesSlackDelivering revokes the Telegram
// token while `bot run` delivers to Slack and Telegram: the bot keeps
// running, Slack keeps getting the story's news, /readyz and /metrics say
// that Telegram is down, /status says why, and the bot stops cleanly.
func TestRunTelegramRefusedTokenLeavesSlackDelivering(t *testing.T) {
	t.Parallel()
	const group = int64(-1001234567890)
	tg := chattest.NewTelegramServer(t)
	watch := watchTelegram(tg)
	sl := chattest.NewSlackServer(t)
	corpus := t.TempDir()
	article := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	article("a.txt", " date 2021-07-07 Taliban fighters launched an assault on Qala-i-Naw, the capital of Badghis province, "+
		"on Wednesday, residents said. Fighting went on through the night around the police headquarters.")
	getenv := testEnv(t, map[string]string{
		"BOT_RULES":            "testdata/both.yaml",
		"BOT_CORPUS_DIR":       corpus,
		"BOT_SCAN_SCHEDULE":    "@every 1s",
		"LOG_FORMAT":           "json",
		"LOG_LEVEL":            "info",
		"SLACK_BOT_TOKEN":      chattest.SlackBotToken,
		"SLACK_API_URL":        sl.URL(),
		"SLACK_SIGNING_SECRET": testSigningSecret,
		"TELEGRAM_BOT_TOKEN":   chattest.TelegramTestToken,
		"TELEGRAM_API_URL":     tg.URL,
	})
	bot := startBot(t, getenv)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := sl.WaitCalls(ctx, "chat.postMessage", 1); err != nil {
		t.Fatalf("no Slack alert: %v\n%s", err, bot.errs.String())
	}
	watch.until(t, "the Telegram alert", func() bool { return len(tg.BotMessages(group)) == 1 })

	tg.SetToken("7312345678:AARevokedRevokedRevokedRevokedRevok")
	article("b.txt", " date 2021-07-08 Taliban fighters seized the governor's compound in Qala-i-Naw, Badghis, on Thursday "+
		"after a second day of fighting, officials said; hundreds of families fled towards Herat.")
	if err := sl.WaitCalls(ctx, "chat.postMessage", 2); err != nil {
		t.Fatalf("Slack stopped when Telegram's token was refused: %v\n%s", err, bot.errs.String())
	}
	addr := bot.httpAddr()
	var ready struct {
		Status   string   `json:"status"`
		Problems []string `json:"problems"`
	}
	for ready.Status != "degraded" {
		code, body := get(t, "http://"+addr+"/readyz")
		if code != http.StatusOK {
			t.Fatalf("/readyz %d while Slack works: %s", code, body)
		}
		_ = json.Unmarshal([]byte(body), &ready)
		if ctx.Err() != nil {
			t.Fatalf("/readyz never said degraded: %s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(ready.Problems) == 0 || !strings.Contains(strings.Join(ready.Problems, " "), "TELEGRAM_BOT_TOKEN") {
		t.Errorf("/readyz problems %q, want the refused token and what to do", ready.Problems)
	}
	if _, body := get(t, "http://"+addr+"/metrics"); !strings.Contains(body, `wirewatch_transport_up{transport="telegram"} 0`) ||
		!strings.Contains(body, `wirewatch_transport_up{transport="slack"} 1`) {
		t.Errorf("/metrics lacks the transports' state:\n%s", body)
	}
	if n := len(tg.BotMessages(group)); n != 1 {
		t.Errorf("%d Telegram messages with a refused token", n)
	}
	status := slashCommand(t, ctx, sl, addr, "/status")
	// Delivery or the command poller meets the refusal first.
	for _, want := range []string{"token refused since", "TELEGRAM_BOT_TOKEN", "telegram/-1001234567890: 1 pending"} {
		if !strings.Contains(status, want) {
			t.Errorf("/status while Telegram refuses the token lacks %q:\n%s", want, status)
		}
	}
	select {
	case code := <-bot.done:
		t.Fatalf("the bot exited (%d) when Telegram refused its token:\n%s", code, bot.errs.String())
	default:
	}
	if code := bot.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, bot.errs.String())
	}
	if strings.Contains(bot.errs.String(), chattest.TelegramTestToken) {
		t.Error("the bot token appears in the log")
	}
}

// TestRunTelegramUnreachableAtStart starts the bot while Telegram cannot be
// reached: the bot runs, Slack delivers, /readyz says what fails.
func TestRunTelegramUnreachableAtStart(t *testing.T) {
	t.Parallel()
	closed := chattest.NewTelegramServer(t)
	closed.Close()
	sl := chattest.NewSlackServer(t)
	corpus := t.TempDir()
	if err := os.WriteFile(filepath.Join(corpus, "a.txt"), []byte(" date 2021-07-07 Taliban fighters launched an assault on "+
		"Qala-i-Naw, the capital of Badghis province, on Wednesday, residents said."), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := testEnv(t, map[string]string{
		"BOT_RULES":          "testdata/both.yaml",
		"BOT_CORPUS_DIR":     corpus,
		"BOT_SCAN_SCHEDULE":  "@every 1h",
		"LOG_FORMAT":         "json",
		"LOG_LEVEL":          "info",
		"SLACK_BOT_TOKEN":    chattest.SlackBotToken,
		"SLACK_API_URL":      sl.URL(),
		"TELEGRAM_BOT_TOKEN": chattest.TelegramTestToken,
		"TELEGRAM_API_URL":   closed.URL,
	})
	bot := startBot(t, getenv)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := sl.WaitCalls(ctx, "chat.postMessage", 1); err != nil {
		t.Fatalf("no Slack alert while Telegram is unreachable: %v\n%s", err, bot.errs.String())
	}
	addr := bot.httpAddr()
	for {
		code, body := get(t, "http://"+addr+"/readyz")
		if code == http.StatusOK && strings.Contains(body, `"degraded"`) && strings.Contains(body, "telegram") {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("/readyz never said Telegram fails: %d %s", code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := bot.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, bot.errs.String())
	}
}

// slashCommand sends a signed Slack slash command to the bot at addr and
// returns its answer, the immediate one or the one posted later to its
// response URL.
func slashCommand(t *testing.T, ctx context.Context, api *chattest.SlackServer, addr, command string) string {
	t.Helper()
	hook := strings.TrimPrefix(command, "/")
	body := url.Values{"command": {command}, "text": {""}, "channel_id": {"C0OPS"}, "user_id": {"U1"},
		"response_url": {api.ResponseURL(hook)}, "team_id": {"T1"}}.Encode()
	now := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", now)
	req.Header.Set("X-Slack-Signature", slack.Sign(testSigningSecret, now, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", command, resp.StatusCode, b)
	}
	if !strings.Contains(string(b), "Working on it") {
		return string(b)
	}
	posts, err := api.WaitHookPosts(ctx, hook, 1)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(posts[0])
	return string(out)
}
