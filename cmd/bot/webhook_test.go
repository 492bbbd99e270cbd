package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/internal/metrics"
)

// freePort returns a loopback port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRunTelegramWebhookAndEndpoints(t *testing.T) {
	t.Parallel()
	const group = int64(-1001234567890)
	api := chattest.NewTelegramServer(t)
	watch := watchTelegram(api)
	base := "http://127.0.0.1:" + strconv.Itoa(freePort(t))
	getenv := testEnv(t, map[string]string{
		"BOT_RULES":               "testdata/telegram.yaml",
		"BOT_HTTP_ADDR":           strings.TrimPrefix(base, "http://"),
		"BOT_SCAN_SCHEDULE":       "@every 1h",
		"TELEGRAM_BOT_TOKEN":      chattest.TelegramTestToken,
		"TELEGRAM_API_URL":        api.URL,
		"TELEGRAM_WEBHOOK_URL":    base + "/telegram/webhook",
		"TELEGRAM_WEBHOOK_SECRET": "s3cret-for-tests",
		"TELEGRAM_ALLOWED_CHATS":  "-1001234567890",
		"LOG_LEVEL":               "debug",
	})
	bot := startBot(t, getenv)
	watch.until(t, "the webhook to be set", func() bool { return api.Webhook().URL == base+"/telegram/webhook" })
	if api.Webhook().SecretToken != "s3cret-for-tests" {
		t.Fatalf("webhook secret %q", api.Webhook().SecretToken)
	}
	bot.errs.waitFor(t, "scan done", 1)

	// Health, readiness and metrics on the same address.
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Errorf("/readyz after the first scan: %d %s", code, body)
	}
	code, body := get(t, base+"/metrics")
	exp, problems := metrics.Lint(strings.NewReader(body))
	if code != 200 || len(problems) > 0 {
		t.Errorf("/metrics: %d %v\n%s", code, problems, body)
	}
	for name, label := range map[string]string{
		"wirewatch_outbox_oldest_pending_age_seconds": `transport="telegram"`,
		"wirewatch_delivery_latency_seconds":          `transport="telegram"`,
		"wirewatch_rule_matches_total":                `rule="`,
		"wirewatch_commands_total":                    `command="status",outcome="ok"`,
		"wirewatch_scans_total":                       `outcome="ok"`,
		"wirewatch_build_info":                        `version="`,
	} {
		if !exp.Has(name, label) {
			t.Errorf("/metrics lacks %s{%s}", name, label)
		}
	}
	if exp.Samples[`wirewatch_scans_total{outcome="ok"}`] < 1 {
		t.Errorf("the first scan is not counted")
	}

	// A forged update is refused and processed by nothing.
	_, forged := api.NewTelegramMessage(group, 77, "/status")
	req, _ := http.NewRequest(http.MethodPost, base+"/telegram/webhook", strings.NewReader(string(forged)))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged webhook update: %d, want 401", resp.StatusCode)
	}

	// A real one is answered in its chat.
	_, update := api.NewTelegramMessage(group, 77, "/latest badghis 2")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if code, err := api.DeliverWebhook(ctx, update); err != nil || code != 200 {
		t.Fatalf("webhook delivery: %d %v", code, err)
	}
	watch.until(t, "the answer to /latest", func() bool {
		for _, m := range api.BotMessages(group) {
			if strings.Contains(m.Plain, "Latest on Badghis") {
				return true
			}
		}
		return false
	})
	for _, m := range api.BotMessages(group) {
		if strings.Contains(m.Plain, "Outbox:") {
			t.Error("the forged /status was answered")
		}
	}
	if n := len(api.CallsTo("getUpdates")); n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode; polling and webhook must not run together", n)
	}
}
