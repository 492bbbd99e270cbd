package slack

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/wirewatch/wirewatch/chat"
)

// CommandOption configures how slash commands are answered, over HTTP
// (NewCommandHandler) and Socket Mode (Transport.RunSocketMode).
type CommandOption func(*commandConfig)

type commandConfig struct {
	deadline      time.Duration
	answerTimeout time.Duration
	maxPending    int
	maxBody       int64
	now           func() time.Time
	client        *http.Client
	log           *slog.Logger
	guard         *ReplayGuard
	actions       chat.ActionHandler
}

func newCommandConfig(opts []CommandOption) commandConfig {
	c := commandConfig{
		deadline:      2500 * time.Millisecond,
		answerTimeout: 2 * time.Minute,
		maxPending:    32,
		maxBody:       64 << 10,
		now:           time.Now,
		client:        &http.Client{Timeout: 30 * time.Second},
		log:           slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithDeadline sets how long a command's reply may take to go back with the
// acknowledgement, which Slack wants within 3 seconds (default 2.5s). A
// slower reply is acknowledged with "Working on it…" and posted to the
// command's response_url when ready.
func WithDeadline(d time.Duration) CommandOption {
	return func(c *commandConfig) { c.deadline = d }
}

// WithMaxPending sets how many commands may be answered at once (default
// 32); more are turned away with a "busy" reply.
func WithMaxPending(n int) CommandOption {
	return func(c *commandConfig) {
		if n > 0 {
			c.maxPending = n
		}
	}
}

// WithMaxBodyBytes caps the size of a slash command request (default 64 KiB).
func WithMaxBodyBytes(n int64) CommandOption {
	return func(c *commandConfig) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithClock sets the clock that request timestamps are checked against.
func WithClock(now func() time.Time) CommandOption {
	return func(c *commandConfig) {
		if now != nil {
			c.now = now
		}
	}
}

// WithCommandLogger sets the logger; the default discards.
func WithCommandLogger(l *slog.Logger) CommandOption {
	return func(c *commandConfig) {
		if l != nil {
			c.log = l
		}
	}
}

// WithReplayGuard makes a CommandHandler check signatures with g, a guard
// made with the same signing secret and shared with the other endpoints
// Slack signs, so a request is accepted once wherever it is sent. Without
// it a CommandHandler has a guard of its own, in memory.
func WithReplayGuard(g *ReplayGuard) CommandOption {
	return func(c *commandConfig) { c.guard = g }
}

// WithActions makes Socket Mode answer alert button presses ("interactive"
// envelopes) with h, as InteractionHandler does over HTTP. Without it they
// are acknowledged and ignored.
func WithActions(h chat.ActionHandler) CommandOption {
	return func(c *commandConfig) { c.actions = h }
}
