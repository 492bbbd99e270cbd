package telegram

import (
	"context"
	"log/slog"

	"github.com/wirewatch/wirewatch/chat"
)

// retrySetup runs f, a call made once at start, until it succeeds, fails
// with a permanent error, or ctx is done.
func retrySetup(ctx context.Context, sleep SleepFunc, log *slog.Logger, f func() error) error {
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil || chat.IsPermanent(err) || ctx.Err() != nil {
			return err
		}
		wait := backoff(attempt, maxBackoff)
		if d, ok := chat.RetryAfterOf(err); ok {
			wait = d
		}
		log.WarnContext(ctx, "telegram: set-up call failed", "err", err, "retry_in", wait)
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// setCommands sets the command menu, when there is one; a failure only
// costs the menu, so it is logged.
func setCommands(ctx context.Context, t *Transport, cmds []BotCommand, log *slog.Logger) {
	if len(cmds) == 0 {
		return
	}
	if err := t.SetCommands(ctx, cmds); err != nil {
		log.WarnContext(ctx, "telegram: command menu not set", "err", err)
	}
}
