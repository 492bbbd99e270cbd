package bot

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Backoff of Supervise: the first wait after a failure, and the longest.
const (
	superviseBase = 5 * time.Second
	superviseMax  = 30 * time.Minute
	// superviseStable is how long a run must last to count as working:
	// the backoff then starts over and report hears nil.
	superviseStable = time.Minute
)

// Supervise runs f until ctx ends, running it again whenever it returns an
// error, after a wait that doubles while it keeps failing (5 s up to half
// an hour), so that one part of a transport that fails (Slack's Socket
// Mode with a refused app token, say) stops neither the bot nor the other
// platforms. report, when set, hears each error, and nil once a run has
// lasted a minute. Supervise returns nil when ctx ends.
func Supervise(ctx context.Context, clock Clock, log *slog.Logger, name string, report func(error), f func(context.Context) error) error {
	if report == nil {
		report = func(error) {}
	}
	for failures := 0; ; {
		started := clock.Now()
		done := make(chan error, 1)
		go func() { done <- f(ctx) }()
		var err error
		select {
		case err = <-done:
		case <-clock.After(superviseStable):
			report(nil)
			err = <-done
		}
		if ctx.Err() != nil {
			return nil
		}
		if clock.Now().Sub(started) >= superviseStable {
			failures = 0
		}
		failures++
		if err == nil {
			err = errStoppedEarly
		}
		report(err)
		wait := min(superviseBase<<min(failures-1, 20), superviseMax)
		log.Error(name+" stopped; it will be started again, the rest of the bot runs on", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-clock.After(wait):
		}
	}
}

// errStoppedEarly is what Supervise reports of an f that returned nil
// before its context ended.
var errStoppedEarly = errors.New("stopped without an error before the bot did")
