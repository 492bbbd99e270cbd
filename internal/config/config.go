// Package config reads wirewatch's settings from the environment, once, at
// start: every variable with its default and its check. docs/configuration.md
// documents them and a test keeps the two in step.
package config

import (
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat/telegram"
	"github.com/wirewatch/wirewatch/internal/logging"
)

// Config is everything the environment sets. cmd/bot reads it once and
// passes it down as values.
type Config struct {
	Rules        string
	CorpusDir    string
	DB           string
	HTTPAddr     string
	ScanSchedule string
	Timezone     string
	LogLevel     string
	LogFormat    string
	MaxFileSize  int64
	// Retention is how long documents are kept (BOT_RETENTION); zero
	// keeps everything.
	Retention time.Duration

	SlackBotToken      string
	SlackSigningSecret string
	SlackAppToken      string
	SlackAPIURL        string

	TelegramBotToken      string
	TelegramAPIURL        string
	TelegramWebhookURL    string
	TelegramWebhookSecret string
	// TelegramAllowedChats are the chats whose commands are answered.
	TelegramAllowedChats telegram.AllowedChats
	TelegramLinkPreviews bool
	// TelegramActionsBy says who may mute and unmute in a group:
	// telegram.ByAdmins or telegram.ByMembers.
	TelegramActionsBy string

	// Warnings are problems that do not stop the bot, for the log.
	Warnings []string
}

// Load reads the environment through getenv, applying defaults. The error
// names every variable that cannot be right and what it takes.
func Load(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Rules:        get("BOT_RULES", "rules.yaml"),
		CorpusDir:    get("BOT_CORPUS_DIR", "./examples/corpus"),
		DB:           get("BOT_DB", "./data/wirewatch.db"),
		HTTPAddr:     get("BOT_HTTP_ADDR", ":8080"),
		ScanSchedule: get("BOT_SCAN_SCHEDULE", "@every 1m"),
		Timezone:     get("BOT_TIMEZONE", "UTC"),
		LogLevel:     get("LOG_LEVEL", "info"),
		LogFormat:    get("LOG_FORMAT", "text"),

		SlackBotToken:      get("SLACK_BOT_TOKEN", ""),
		SlackSigningSecret: get("SLACK_SIGNING_SECRET", ""),
		SlackAppToken:      get("SLACK_APP_TOKEN", ""),
		SlackAPIURL:        get("SLACK_API_URL", ""),

		TelegramBotToken:      get("TELEGRAM_BOT_TOKEN", ""),
		TelegramAPIURL:        get("TELEGRAM_API_URL", "https://api.telegram.org"),
		TelegramWebhookURL:    get("TELEGRAM_WEBHOOK_URL", ""),
		TelegramWebhookSecret: get("TELEGRAM_WEBHOOK_SECRET", ""),
		TelegramActionsBy:     get("TELEGRAM_ACTIONS_BY", telegram.ByAdmins),
	}
	var errs []string
	size := get("BOT_MAX_FILE_SIZE", "5242880")
	n, err := strconv.ParseInt(size, 10, 64)
	if err != nil || n <= 0 {
		errs = append(errs, fmt.Sprintf("BOT_MAX_FILE_SIZE=%q: want a number of bytes", size))
	}
	c.MaxFileSize = n
	if _, err := bot.CronParser.Parse(c.ScanSchedule); err != nil {
		errs = append(errs, fmt.Sprintf("BOT_SCAN_SCHEDULE=%q: %s (e.g. @every 1m, or a cron spec like */5 * * * *)", c.ScanSchedule, err.Error()))
	}
	if c.Retention, err = ParseRetention(get("BOT_RETENTION", "")); err != nil {
		errs = append(errs, "BOT_RETENTION: "+err.Error())
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		errs = append(errs, fmt.Sprintf("BOT_TIMEZONE=%q: not an IANA time zone (e.g. Asia/Kabul)", c.Timezone))
	}
	if _, err := logging.New(io.Discard, c.LogLevel, c.LogFormat); err != nil {
		errs = append(errs, strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	if v := get("TELEGRAM_LINK_PREVIEWS", "false"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Sprintf("TELEGRAM_LINK_PREVIEWS=%q: want true or false", v))
		}
		c.TelegramLinkPreviews = b
	}
	if by, err := telegram.ParseActionsBy(c.TelegramActionsBy); err != nil {
		errs = append(errs, "TELEGRAM_ACTIONS_BY: "+err.Error())
	} else {
		c.TelegramActionsBy = by
	}
	if c.TelegramAllowedChats, err = telegram.ParseAllowedChats(get("TELEGRAM_ALLOWED_CHATS", "")); err != nil {
		errs = append(errs, "TELEGRAM_ALLOWED_CHATS: "+err.Error())
	}
	if c.TelegramWebhookURL != "" && c.TelegramWebhookSecret == "" {
		errs = append(errs, "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not: set a random secret so forged updates are refused")
	}
	if c.SlackBotToken != "" && c.SlackSigningSecret == "" && c.SlackAppToken == "" {
		c.Warnings = append(c.Warnings, "SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: alerts will post, but slash commands are off")
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration:\n  %s", strings.Join(errs, "\n  "))
	}
	return c, nil
}

// Console reports whether no chat platform is configured, so the console
// is the chat.
func (c Config) Console() bool { return c.SlackBotToken == "" && c.TelegramBotToken == "" }

// Secrets are the configured values no log line or message may show: the
// chat tokens and secrets, and the database password.
func (c Config) Secrets() []string {
	s := []string{c.SlackBotToken, c.SlackSigningSecret, c.SlackAppToken, c.TelegramBotToken, c.TelegramWebhookSecret}
	if u, err := url.Parse(c.DB); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			s = append(s, pw)
		}
	}
	if u, err := url.Parse(c.DB); err == nil {
		if pw := u.Query().Get("password"); pw != "" {
			s = append(s, pw)
		}
	}
	return s
}

// ParseRetention reads BOT_RETENTION: a whole number of hours, days or
// weeks ("12h", "90d", "2w"); empty (or "0") keeps everything. Anything
// else, or less than an hour, is an error that says what it takes.
func ParseRetention(v string) (time.Duration, error) {
	if v == "" || v == "0" {
		return 0, nil
	}
	units := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	unit, ok := units[v[len(v)-1]]
	n, err := strconv.ParseInt(v[:len(v)-1], 10, 64)
	if !ok || err != nil || n < 1 || n > 100*366*24/int64(unit/time.Hour) {
		return 0, fmt.Errorf("%q: want a whole number of hours, days or weeks, such as 12h, 90d or 2w (empty keeps everything)", v)
	}
	return time.Duration(n) * unit, nil
}
