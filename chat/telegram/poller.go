package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// OffsetStore keeps named values between runs (bot.Values over the
// store). GetState returns "" and no error for a key never set.
type OffsetStore interface {
	GetState(ctx context.Context, key string) (string, error)
	SetState(ctx context.Context, key, value string) error
}

// Polling defaults.
const (
	// DefaultOffsetKey is the OffsetStore key of the polling offset.
	DefaultOffsetKey = "telegram.offset"
	// DefaultPollTimeout is how long one getUpdates waits for updates.
	DefaultPollTimeout = 25 * time.Second
	// DefaultIdle is the wait after an empty short poll (Timeout zero).
	DefaultIdle = time.Second
	// maxBackoff caps the wait after repeated errors.
	maxBackoff = time.Minute
	// offsetMaxAge: Telegram keeps updates for 24 hours, so an offset
	// older than that confirms nothing; and after a week without updates
	// Telegram may number new ones below it. Such an offset is not sent.
	offsetMaxAge = 24 * time.Hour
)

// allowedUpdates are the update types wirewatch asks for.
var allowedUpdates = []string{"message", "channel_post", "callback_query"}

// Poller receives commands by long polling getUpdates and hands them to
// its Dispatcher. After each update is handled, the next offset is saved
// in Offsets, so a restart neither repeats a handled command nor loses one
// (but for a crash between a reply and the save, which repeats that one
// command). Set the fields before Run; a Poller must not be copied after
// first use.
type Poller struct {
	// Dispatcher answers the commands received.
	Dispatcher *Dispatcher
	// Offsets keeps the offset between runs.
	Offsets OffsetStore
	// OffsetKey defaults to DefaultOffsetKey.
	OffsetKey string
	// Timeout is how long each getUpdates waits for an update (the Bot
	// API's timeout, in whole seconds). Zero short-polls, waiting Idle
	// after an empty answer; production wants DefaultPollTimeout.
	Timeout time.Duration
	// Idle defaults to DefaultIdle.
	Idle time.Duration
	// Sleep waits between retries and idle polls; Sleep by default.
	Sleep SleepFunc
	// Now is the clock for the offset's age; time.Now by default.
	Now func() time.Time
	// Health, when set, hears how polling stands: the error of each failed
	// call, and nil once it works (again).
	Health func(error)

	loaded   bool
	offset   int
	offsetAt time.Time
}

// Run connects (getMe, when the Transport has not yet), deletes any
// webhook (Telegram serves getUpdates only without one), sets the command
// menu, then polls until ctx is done, when it returns nil. It never stops
// on an error: it honours retry_after, backs off on other errors (up to a
// minute) and, when the token is refused, tries again at growing intervals
// (one minute to half an hour), so that polling resumes by itself once the
// token works again. Health hears each failure and each recovery.
//
// Specs: https://core.telegram.org/bots/api#getupdates
func (p *Poller) Run(ctx context.Context) error {
	if err := p.setUp(ctx); err != nil {
		return nil // ctx ended
	}
	log := p.Dispatcher.logger()
	for failures := 0; ; {
		n, err := p.PollOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			failures++
			p.report(err)
			wait := retryWait(failures, err)
			log.WarnContext(ctx, "telegram: getUpdates failed", "err", err, "retry_in", wait)
			if p.sleep(ctx, wait) != nil {
				return nil
			}
		default:
			if failures > 0 {
				p.report(nil)
			}
			failures = 0
			if n == 0 && p.Timeout < time.Second && p.sleep(ctx, p.idle()) != nil {
				return nil
			}
		}
	}
}

// setUp makes the calls polling starts with, retrying until they succeed;
// it returns an error only when ctx ends.
func (p *Poller) setUp(ctx context.Context) error {
	t := p.Dispatcher.Transport
	log := p.Dispatcher.logger()
	for attempt := 1; ; attempt++ {
		err := connect(ctx, t)
		if err == nil {
			_, err = t.request(ctx, "deleteWebhook", tgbotapi.Params{})
		}
		if err == nil {
			p.report(nil)
			setCommands(ctx, t, p.Dispatcher.Menu, log)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.report(err)
		wait := retryWait(attempt, err)
		log.ErrorContext(ctx, "telegram: cannot start polling; will try again", "err", err, "retry_in", wait)
		if err := p.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func (p *Poller) report(err error) {
	if p.Health != nil {
		p.Health(err)
	}
}

// PollOnce calls getUpdates once, handles the updates it returns in order
// and saves the offset after each. It returns how many it handled. An
// error saving the offset is returned after the update was handled; the
// offset is then kept in memory.
func (p *Poller) PollOnce(ctx context.Context) (int, error) {
	if err := p.load(ctx); err != nil {
		return 0, err
	}
	offset := p.offset
	if p.offsetAt.IsZero() || p.now().Sub(p.offsetAt) > offsetMaxAge {
		offset = 0
	}
	updates, err := p.Dispatcher.Transport.updates(ctx, offset, p.Timeout)
	if err != nil {
		return 0, err
	}
	n := 0
	var saveErr error
	for _, u := range updates {
		if offset != 0 && u.UpdateID < offset {
			continue
		}
		p.Dispatcher.dispatch(ctx, u)
		n++
		p.offset, p.offsetAt = u.UpdateID+1, p.now()
		if err := p.Offsets.SetState(ctx, p.key(), formatOffset(p.offset, p.offsetAt)); err != nil {
			saveErr = fmt.Errorf("telegram: saving the polling offset: %w", err)
		}
	}
	return n, saveErr
}

// load reads the saved offset, once.
func (p *Poller) load(ctx context.Context) error {
	if p.loaded {
		return nil
	}
	v, err := p.Offsets.GetState(ctx, p.key())
	if err != nil {
		return fmt.Errorf("telegram: reading the polling offset: %w", err)
	}
	if v != "" {
		p.offset, p.offsetAt = parseOffset(v, p.now())
	}
	p.loaded = true
	return nil
}

// formatOffset stores an offset with the time it was saved.
func formatOffset(offset int, at time.Time) string {
	return strconv.Itoa(offset) + " " + at.UTC().Format(time.RFC3339)
}

// parseOffset reads what formatOffset wrote; a bare number counts as saved
// now, anything unreadable as no offset.
func parseOffset(v string, now time.Time) (int, time.Time) {
	num, at, _ := strings.Cut(strings.TrimSpace(v), " ")
	offset, err := strconv.Atoi(num)
	if err != nil || offset <= 0 {
		return 0, time.Time{}
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return offset, now
	}
	return offset, t
}

func (p *Poller) key() string {
	if p.OffsetKey != "" {
		return p.OffsetKey
	}
	return DefaultOffsetKey
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Poller) idle() time.Duration {
	if p.Idle > 0 {
		return p.Idle
	}
	return DefaultIdle
}

func (p *Poller) sleep(ctx context.Context, d time.Duration) error {
	if p.Sleep != nil {
		return p.Sleep(ctx, d)
	}
	return Sleep(ctx, d)
}

// updates calls getUpdates, waiting up to wait for updates; offset zero
// leaves the offset out.
func (t *Transport) updates(ctx context.Context, offset int, wait time.Duration) ([]tgbotapi.Update, error) {
	cfg := tgbotapi.UpdateConfig{
		Offset:         offset,
		Limit:          100,
		Timeout:        int(wait / time.Second),
		AllowedUpdates: allowedUpdates,
	}
	var out []tgbotapi.Update
	err := t.call(ctx, "getUpdates", wait+t.timeout, func(b *tgbotapi.BotAPI) error {
		var err error
		out, err = b.GetUpdates(cfg)
		return err
	})
	return out, err
}

// stopped returns nil when err is only ctx ending.
func stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}
