package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// DefaultAPIURL is the Bot API's base URL; the bot calls
// DefaultAPIURL + "/bot<token>/<method>".
const DefaultAPIURL = "https://api.telegram.org"

// DefaultRequestTimeout bounds every Bot API request except long polls
// and sends.
const DefaultRequestTimeout = 30 * time.Second

// DefaultSendTimeout bounds sendMessage and editMessageText. It is
// generous: Telegram offers no way to ask whether a message was posted,
// so a send that times out may be posted twice when it is retried.
const DefaultSendTimeout = 60 * time.Second

// Transport posts messages to Telegram chats through the Bot API in HTML
// parse mode. It is safe for concurrent use.
type Transport struct {
	bot         *tgbotapi.BotAPI
	client      *http.Client
	secrets     []string
	log         *slog.Logger
	preview     bool
	timeout     time.Duration
	sendTimeout time.Duration

	mu   sync.Mutex
	self tgbotapi.User // as getMe reported it; zero before Connect
	// admins decides who may act in a chat; nil lets anyone.
	admins *Admins
}

var (
	_ chat.Transport   = (*Transport)(nil)
	_ chat.RateLimiter = (*Transport)(nil)
	_ chat.Splitter    = (*Transport)(nil)
)

// Option configures a Transport.
type Option func(*Transport)

// WithLinkPreviews turns Telegram's link previews on or off (off by
// default: an alert with a preview card takes a screen of its own).
func WithLinkPreviews(on bool) Option { return func(t *Transport) { t.preview = on } }

// WithLogger sets the logger (slog.Default by default).
func WithLogger(l *slog.Logger) Option { return func(t *Transport) { t.log = l } }

// WithSendTimeout bounds each sendMessage and editMessageText
// (DefaultSendTimeout by default).
func WithSendTimeout(d time.Duration) Option { return func(t *Transport) { t.sendTimeout = d } }

// New returns a Transport for the bot with this token, connected: it calls
// getMe (see Connect), so a wrong token or URL fails here, with a
// permanent error saying what to check. apiURL is the API's base,
// DefaultAPIURL when empty. The token never appears in an error.
func New(ctx context.Context, token, apiURL string, opts ...Option) (*Transport, error) {
	t, err := NewOffline(token, apiURL, opts...)
	if err != nil {
		return nil, err
	}
	if err := t.Connect(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// NewOffline returns a Transport for the bot with this token without
// calling Telegram: it can send at once, and learns its username when
// Connect succeeds. It fails only on an empty token or a malformed apiURL.
func NewOffline(token, apiURL string, opts ...Option) (*Transport, error) {
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("telegram: the bot token is empty: create a bot with @BotFather and set its token")
	}
	base, err := apiBase(apiURL)
	if err != nil {
		return nil, err
	}
	t := &Transport{
		client:      &http.Client{},
		secrets:     secretsOf(token),
		log:         slog.Default(),
		timeout:     DefaultRequestTimeout,
		sendTimeout: DefaultSendTimeout,
	}
	for _, o := range opts {
		o(t)
	}
	// The endpoint is a format: "%s" twice, for the token and the method.
	t.bot = &tgbotapi.BotAPI{Token: token, Client: ctxDoer{ctx: context.Background(), client: t.client}, Buffer: 100}
	t.bot.SetAPIEndpoint(strings.ReplaceAll(base, "%", "%%") + "/bot%s/%s")
	return t, nil
}

// Connect calls getMe once to check the token and learn the bot's
// username. Errors are classified like Send's: chat.AuthFailure when the
// token is refused (or the URL is not the Bot API), a plain error when
// Telegram could not be reached.
//
// Specs: https://core.telegram.org/bots/api#getme
func (t *Transport) Connect(ctx context.Context) error {
	var me tgbotapi.User
	err := t.call(ctx, "getMe", t.timeout, func(b *tgbotapi.BotAPI) error {
		var err error
		me, err = b.GetMe()
		return err
	})
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.self = me
	t.mu.Unlock()
	return nil
}

// Connected reports whether Connect has succeeded.
func (t *Transport) Connected() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.self.ID != 0
}

func apiBase(apiURL string) (string, error) {
	s := strings.TrimRight(strings.TrimSpace(apiURL), "/")
	if s == "" {
		return DefaultAPIURL, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("telegram: API URL %q: want a base URL such as %s", s, DefaultAPIURL)
	}
	return s, nil
}

// Name returns "telegram".
func (t *Transport) Name() string { return "telegram" }

// Username returns the bot's username as getMe reported it, without "@";
// "" before Connect succeeded.
func (t *Transport) Username() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.self.UserName
}

// Per-chat sending limits of the Bot API.
const (
	// ChatInterval is the least time between messages to one chat: about
	// one message per second.
	ChatInterval = time.Second
	// GroupInterval is the least time between messages to one group,
	// supergroup or channel: at most 20 messages per minute.
	GroupInterval = 3 * time.Second
	// GlobalPerSecond is about how many messages a bot may send per
	// second across all chats.
	GlobalPerSecond = 30
)

// RateLimit returns the platform's sending limit for one chat, for the
// delivery loop to pace itself by: one message every ChatInterval to a
// private chat (a positive id), one every GroupInterval to a group,
// supergroup or channel (a negative id or an @channel name), with no
// burst beyond one. It implements chat.RateLimiter.
//
// Specs: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
func (t *Transport) RateLimit(channel string) chat.Limit {
	if strings.HasPrefix(channel, "-") || strings.HasPrefix(channel, "@") {
		return chat.Limit{Every: GroupInterval}
	}
	return chat.Limit{Every: ChatInterval}
}

// chatRef is a chat by id, or a public channel by @username.
type chatRef struct {
	id       int64
	username string
}

func parseChat(channel string) (chatRef, error) {
	c := strings.TrimSpace(channel)
	if strings.HasPrefix(c, "@") && len(c) > 1 {
		return chatRef{username: c}, nil
	}
	id, err := strconv.ParseInt(c, 10, 64)
	if err != nil || id == 0 {
		return chatRef{}, chat.Permanent(fmt.Errorf("telegram: chat %q is not a chat id", channel),
			"use a numeric chat id such as -1001234567890, or @channelname")
	}
	return chatRef{id: id}, nil
}

func parseMessageID(s string) (int, error) {
	id, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || id <= 0 {
		return 0, chat.Permanent(fmt.Errorf("telegram: message id %q is not a Telegram message id", s), "report this as a bug")
	}
	return id, nil
}
