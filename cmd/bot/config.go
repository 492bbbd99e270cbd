package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat/telegram"
	"github.com/wirewatch/wirewatch/internal/redact"
)

// Config is everything the environment sets. It is read once, here, and
// passed down as values.
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

	SlackBotToken      string
	SlackSigningSecret string
	SlackAppToken      string
	SlackAPIURL        string

	TelegramBotToken      string
	TelegramAPIURL        string
	TelegramWebhookURL    string
	TelegramWebhookSecret string
	TelegramAllowedChats  string
	TelegramLinkPreviews  bool
	// TelegramActionsBy says who may mute and unmute in a group:
	// telegram.ByAdmins or telegram.ByMembers.
	TelegramActionsBy string

	// Warnings are problems that do not stop the bot, for the log.
	Warnings []string
}

// LoadConfig reads the environment through getenv, applying defaults.
func LoadConfig(getenv func(string) string) (Config, error) {
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
		TelegramAllowedChats:  get("TELEGRAM_ALLOWED_CHATS", ""),
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
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		errs = append(errs, fmt.Sprintf("BOT_TIMEZONE=%q: not an IANA time zone (e.g. Asia/Kabul)", c.Timezone))
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, err.Error())
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Sprintf("LOG_FORMAT=%q: want text or json", c.LogFormat))
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
	if _, err := telegram.ParseAllowedChats(c.TelegramAllowedChats); err != nil {
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

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", s)
	}
	return l, nil
}

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

// NewLogger returns the logger LOG_LEVEL and LOG_FORMAT ask for, on w,
// every record of which passes through red first (nil: credentials in URLs
// only). Record times are in UTC whatever the machine's zone, so every line
// says its zone the same way (a final Z).
func NewLogger(c Config, w io.Writer, red *redact.Redactor) *slog.Logger {
	lvl, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 && a.Value.Kind() == slog.KindTime {
			a.Value = slog.TimeValue(a.Value.Time().UTC())
		}
		return a
	}}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(red.Handler(h))
}
