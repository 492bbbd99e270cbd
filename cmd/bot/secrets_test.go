package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/chat/chattest"
)

// TestNoSecretPrinted runs the bot with every secret set through failing
// feeds (an HTTP error, a refused connection), failing Slack and Telegram
// APIs that echo the token back, and a database it cannot reach, and
// checks that nothing it printed, logs or errors, holds a secret.
func TestNoSecretPrinted(t *testing.T) {
	const (
		wireToken = "wire-t0ken-XYZ123"
		feedPass  = "feed-pa55-QWE789"
		dbPass    = "db-pa55-ASD456"
	)
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream failed for "+r.URL.String(), http.StatusBadGateway)
	}))
	defer feed.Close()
	closed := freePort(t)
	slackAPI := chattest.NewSlackServer(t)
	slackAPI.BotToken = chattest.SlackBotToken
	slackAPI.FailNext("chat.postMessage", 20, chattest.SlackFailure{Error: "internal_error", EchoToken: true})
	tgAPI := chattest.NewTelegramServer(t)
	var tgFails []chattest.TelegramFailure
	for range 20 {
		tgFails = append(tgFails, chattest.TelegramFailure{Code: 500, Description: "Internal Server Error at /bot" + chattest.TelegramTestToken + "/sendMessage"})
	}
	tgAPI.FailNext("sendMessage", tgFails...)

	rulesFile := filepath.Join(t.TempDir(), "rules.yaml")
	rules := fmt.Sprintf(`channels:
  ops: { slack: C0OPS }
  field: { telegram: "-1001234567890" }
feeds:
  - name: wire
    url: "%s/atom?token=${WIRE_TOKEN}&lang=en"
    private_network: true
  - name: private
    url: "http://reader:${FEED_PASSWORD}@127.0.0.1:%d/rss"
    private_network: true
rules:
  - name: badghis-assault
    keywords: { any: [assault, offensive, stormed, seized, fighting], all: [taliban] }
    regions: [badghis]
    channels: [ops, field]
`, feed.URL, closed)
	if err := os.WriteFile(rulesFile, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	secrets := []string{chattest.SlackBotToken, testSigningSecret, chattest.TelegramTestToken, "s3cret-webhook-value",
		wireToken, feedPass, dbPass}
	vars := map[string]string{
		"BOT_RULES":               rulesFile,
		"BOT_SCAN_SCHEDULE":       "@every 1h",
		"LOG_LEVEL":               "debug",
		"SLACK_BOT_TOKEN":         chattest.SlackBotToken,
		"SLACK_SIGNING_SECRET":    testSigningSecret,
		"SLACK_API_URL":           slackAPI.URL(),
		"TELEGRAM_BOT_TOKEN":      chattest.TelegramTestToken,
		"TELEGRAM_API_URL":        tgAPI.URL,
		"TELEGRAM_WEBHOOK_SECRET": "s3cret-webhook-value",
		"WIRE_TOKEN":              wireToken,
		"FEED_PASSWORD":           feedPass,
	}
	var printed bytes.Buffer
	for _, format := range []string{"text", "json"} {
		vars["LOG_FORMAT"] = format
		bot := startBot(t, testEnv(t, vars))
		bot.errs.waitFor(t, "feed fetch failed", 2)
		bot.errs.waitFor(t, "delivery failed", 2)
		bot.stop()
		printed.WriteString(bot.out.String() + bot.errs.String())
	}

	// A store it cannot reach, from the command line.
	vars["BOT_DB"] = fmt.Sprintf("postgres://wirewatch:%s@127.0.0.1:%d/wirewatch?sslmode=disable", dbPass, closed)
	code, out, errs := runMain(t, testEnv(t, vars), "latest", "badghis")
	if code == 0 {
		t.Errorf("latest against a closed database port succeeded")
	}
	printed.WriteString(out + errs)

	all := printed.String()
	for _, want := range []string{"502", "connection refused", "internal_error", "Internal Server Error", "[redacted]"} {
		if !strings.Contains(all, want) {
			t.Errorf("the output lacks %q: did the failures happen?", want)
		}
	}
	for _, s := range secrets {
		if strings.Contains(all, s) {
			i := strings.Index(all, s)
			t.Errorf("secret %q printed: …%s…", s, all[max(0, i-200):min(len(all), i+len(s)+50)])
		}
	}
}

// TestStatusShowsFeedErrors: /status names the last scan and each feed,
// a failing one with its error (its token masked) and since when.
func TestStatusShowsFeedErrors(t *testing.T) {
	t.Parallel()
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer feed.Close()
	rulesFile := filepath.Join(t.TempDir(), "rules.yaml")
	good, err := os.ReadFile("testdata/console.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules := string(good) + fmt.Sprintf("feeds:\n  - name: wire\n    url: \"%s/atom?token=${WIRE_TOKEN}\"\n    private_network: true\n", feed.URL)
	if err := os.WriteFile(rulesFile, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	bot := startBot(t, testEnv(t, map[string]string{"BOT_RULES": rulesFile, "BOT_SCAN_SCHEDULE": "@every 1h",
		"WIRE_TOKEN": "wire-t0ken-XYZ123", "BOT_TIMEZONE": "Asia/Kabul", "LOG_LEVEL": "info"}))
	bot.errs.waitFor(t, "scan done", 1)
	bot.errs.waitFor(t, "feed fetch failed", 1)
	bot.send("/status")
	out := bot.out.waitFor(t, "Feed wire", 1)
	for _, want := range []string{"Last scan 20", "+0430: 5 new documents, 0 duplicates, 5 processed.",
		"Feed wire: failing", "502 Bad Gateway", "token=[redacted]"} {
		if !strings.Contains(out, want) {
			t.Errorf("/status lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "wire-t0ken-XYZ123") {
		t.Errorf("/status shows the feed token:\n%s", out)
	}
}
