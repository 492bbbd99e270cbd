package telegram

import (
	"context"
	"log/slog"
	"time"

	"github.com/wirewatch/wirewatch/chat"
)

// Waits after a refused token: it is tried again at growing intervals, so
// that a token restored (or a Telegram outage that refused it) is noticed.
const (
	authBackoff    = time.Minute
	maxAuthBackoff = 30 * time.Minute
)

// retryWait is the wait before try n+1 after err: retry_after when
// Telegram gave one, the auth backoff for a refused token, else the
// backoff of transient errors.
func retryWait(n int, err error) time.Duration {
	if d, ok := chat.RetryAfterOf(err); ok {
		return d
	}
	if chat.IsAuthFailure(err) {
		return min(authBackoff<<min(n-1, 10), maxAuthBackoff)
	}
	return backoff(n, maxBackoff)
}

// connect calls getMe when t has not yet learnt who it is.
func connect(ctx context.Context, t *Transport) error {
	if t.Connected() {
		return nil
	}
	return t.Connect(ctx)
}

// retrySetup runs f, a call made once at start, until it succeeds or ctx
// is done, reporting each failure and the success to report (when set).
// It never gives up: a refused token is tried again at growing intervals.
func retrySetup(ctx context.Context, sleep SleepFunc, log *slog.Logger, report func(error), f func() error) error {
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil || ctx.Err() != nil {
			if err == nil && report != nil {
				report(nil)
			}
			return err
		}
		if report != nil {
			report(err)
		}
		wait := retryWait(attempt, err)
		log.ErrorContext(ctx, "telegram: set-up call failed; will try again", "err", err, "retry_in", wait)
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// setCommands sets the command menu, when there is one; a failure only
// costs the menu, so it is logged.
func setCommands(ctx context.Context, t *Transport, menu []chat.MenuItem, log *slog.Logger) {
	if len(menu) == 0 {
		return
	}
	cmds := make([]BotCommand, len(menu))
	for i, m := range menu {
		cmds[i] = BotCommand{Command: m.Command, Description: m.Description}
	}
	if err := t.SetCommands(ctx, cmds); err != nil {
		log.WarnContext(ctx, "telegram: command menu not set", "err", err)
	}
}
