package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
)

// channelStates is the delivery health of the channels, as read at the
// start of a pass and updated as the pass changes it. The key is
// transport + "/" + channel; channel "" is the whole transport, and
// "kind:KIND" one kind of message in every channel of the transport.
type channelStates map[string]store.ChannelState

func stateKey(transport, channel string) string { return transport + "/" + channel }

// kindScope is the pseudo-channel of a kind of message across channels.
func kindScope(kind store.OutboxKind) string { return "kind:" + string(kind) }

func (d *Deliverer) loadStates(ctx context.Context) (channelStates, error) {
	list, err := d.Store.ChannelStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading channel states: %w", err)
	}
	out := channelStates{}
	for _, s := range list {
		out[stateKey(s.Transport, s.Channel)] = s
	}
	return out, nil
}

// pausedFor returns how long row must wait for its transport, its channel
// or its kind of message to resume.
func (c channelStates) pausedFor(row store.OutboxRow, now time.Time) time.Duration {
	var wait time.Duration
	for _, ch := range []string{"", row.Channel, kindScope(row.Kind)} {
		if s, ok := c[stateKey(row.Transport, ch)]; ok && s.PausedUntil.After(now) {
			wait = max(wait, s.PausedUntil.Sub(now))
		}
	}
	return wait
}

// set records a state in the store and in c. A failure to record is
// logged: the pause then holds in this process only.
func (d *Deliverer) set(ctx context.Context, c channelStates, s store.ChannelState) {
	s.UpdatedAt = d.Clock.Now()
	c[stateKey(s.Transport, s.Channel)] = s
	if err := d.Store.SetChannelState(ctx, s); err != nil {
		d.Log.Error("recording the state of a channel", "channel", s.String(), "err", err)
	}
}

// state returns the recorded state of a channel, or a fresh one.
func (c channelStates) state(transport, channel string) store.ChannelState {
	if s, ok := c[stateKey(transport, channel)]; ok {
		return s
	}
	return store.ChannelState{Transport: transport, Channel: channel}
}

// channelFailed pauses the channel of row after a server or network error
// with a backoff that grows with the channel's failures in a row (at least
// Settle when the outcome is unknown, so a late post shows before it is
// looked up), and returns the pause.
func (d *Deliverer) channelFailed(ctx context.Context, row store.OutboxRow, err error, c channelStates, unknown bool) time.Duration {
	s := c.state(row.Transport, row.Channel)
	s.Failures++
	wait := Backoff(s.Failures, d.BaseBackoff, d.MaxBackoff, d.Jitter())
	if unknown {
		wait = max(wait, d.Settle)
	}
	s.PausedUntil, s.LastError = d.Clock.Now().Add(wait), err.Error()
	d.set(ctx, c, s)
	return wait
}

// rateLimited pauses the channel of row (and, for a limit on a kind of
// message, that kind in every channel) for the wait the platform asked,
// and puts the row back in its place: a rate limit is not the row's
// failure, and its attempt does not count.
func (d *Deliverer) rateLimited(ctx context.Context, log *slog.Logger, row store.OutboxRow, err error, wait time.Duration, c channelStates) {
	until := d.Clock.Now().Add(wait)
	s := c.state(row.Transport, row.Channel)
	s.PausedUntil, s.LastError = until, err.Error()
	d.set(ctx, c, s)
	scope := row.Channel
	var ce *chat.Error
	if errors.As(err, &ce) && ce.AcrossChannels {
		k := c.state(row.Transport, kindScope(row.Kind))
		k.PausedUntil, k.LastError = until, err.Error()
		d.set(ctx, c, k)
		scope = "every channel's " + string(row.Kind) + " messages"
	}
	log.Warn("rate limited: the channel waits as asked; the message keeps its place", "paused", scope, "retry_in", wait, "err", err)
	if err := d.Store.ReleaseOutbox(ctx, row.ID, err.Error()); err != nil {
		log.Error("recording retry", "err", err)
	}
}

// authFailed pauses the whole transport of row after its token was
// refused, with a backoff that grows with the refusals in a row, tells
// Health, and puts the row back in its place: nothing is dead-lettered
// for a token that may work again.
func (d *Deliverer) authFailed(ctx context.Context, log *slog.Logger, row store.OutboxRow, err error, c channelStates) {
	s := c.state(row.Transport, "")
	s.Failures++
	wait := Backoff(s.Failures, d.AuthBackoff, d.MaxAuthBackoff, d.Jitter())
	s.PausedUntil, s.LastError = d.Clock.Now().Add(wait), err.Error()
	d.set(ctx, c, s)
	d.Health.Report(row.Transport, "delivery", err)
	log.Error("the platform refused the token: nothing is sent through this transport until it works; its messages stay queued, the other platforms go on",
		"retry_in", wait, "err", err)
	if err := d.Store.ReleaseOutbox(ctx, row.ID, stillUnknown(row, err)); err != nil {
		log.Error("recording retry", "err", err)
	}
}

// recovered clears the failures of the transport, channel and kind of row
// after a successful send.
func (d *Deliverer) recovered(ctx context.Context, row store.OutboxRow, c channelStates) {
	for _, ch := range []string{"", row.Channel, kindScope(row.Kind)} {
		s, ok := c[stateKey(row.Transport, ch)]
		if !ok || s.Failures == 0 && s.PausedUntil.IsZero() {
			continue
		}
		s.Failures, s.PausedUntil = 0, time.Time{}
		d.set(ctx, c, s)
		if ch == "" {
			d.Log.Info("the platform accepts the token again; delivery resumes", "transport", row.Transport)
		}
	}
	d.Health.Report(row.Transport, "delivery", nil)
}
