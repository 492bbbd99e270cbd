package config

import (
	"strings"
	"testing"
	"time"
)

func TestLoadErrors(t *testing.T) {
	env := map[string]string{"BOT_SCAN_SCHEDULE": "every minute", "BOT_TIMEZONE": "Mars/Olympus", "LOG_FORMAT": "xml",
		"TELEGRAM_WEBHOOK_URL": "https://example.org/telegram/webhook", "TELEGRAM_ACTIONS_BY": "everyone",
		"TELEGRAM_ALLOWED_CHATS": "-100,general", "BOT_RETENTION": "3 months"}
	_, err := Load(func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"BOT_SCAN_SCHEDULE", "BOT_TIMEZONE", "LOG_FORMAT", "TELEGRAM_WEBHOOK_SECRET",
		"TELEGRAM_ACTIONS_BY", `TELEGRAM_ALLOWED_CHATS: telegram allowed chats: "general"`, `BOT_RETENTION: "3 months"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
	c, err := Load(func(string) string { return "" })
	if err != nil || c.DB != "./data/wirewatch.db" || c.ScanSchedule != "@every 1m" || !c.Console() {
		t.Fatalf("defaults: %+v %v", c, err)
	}
}

func TestParseRetention(t *testing.T) {
	day := 24 * time.Hour
	for in, want := range map[string]time.Duration{"": 0, "0": 0, "12h": 12 * time.Hour, "90d": 90 * day, "2w": 14 * day, "1h": time.Hour} {
		if got, err := ParseRetention(in); err != nil || got != want {
			t.Errorf("ParseRetention(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"90", "d", "-3d", "0d", "1.5d", "90m", "3 months", "1y", "99999999999w"} {
		if got, err := ParseRetention(in); err == nil || !strings.Contains(err.Error(), "hours, days or weeks") {
			t.Errorf("ParseRetention(%q) = %v, %v; want an error", in, got, err)
		}
	}
	c, err := Load(func(k string) string { return map[string]string{"BOT_RETENTION": " 30d "}[k] })
	if err != nil || c.Retention != 30*day {
		t.Errorf("Load with BOT_RETENTION=30d: %v, %v", c.Retention, err)
	}
}
