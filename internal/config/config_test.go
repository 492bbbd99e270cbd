package config

import (
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	env := map[string]string{"BOT_SCAN_SCHEDULE": "every minute", "BOT_TIMEZONE": "Mars/Olympus", "LOG_FORMAT": "xml",
		"TELEGRAM_WEBHOOK_URL": "https://example.org/telegram/webhook", "TELEGRAM_ACTIONS_BY": "everyone",
		"TELEGRAM_ALLOWED_CHATS": "-100,general"}
	_, err := Load(func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"BOT_SCAN_SCHEDULE", "BOT_TIMEZONE", "LOG_FORMAT", "TELEGRAM_WEBHOOK_SECRET",
		"TELEGRAM_ACTIONS_BY", `TELEGRAM_ALLOWED_CHATS: telegram allowed chats: "general"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
	c, err := Load(func(string) string { return "" })
	if err != nil || c.DB != "./data/wirewatch.db" || c.ScanSchedule != "@every 1m" || !c.Console() {
		t.Fatalf("defaults: %+v %v", c, err)
	}
}
