package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/store"
)

// MessageRenderer builds the message an outbox row carries.
type MessageRenderer interface {
	Render(ctx context.Context, row store.OutboxRow) (chat.Message, error)
}

// DeliveryStore is what the delivery loop reads and writes: the queue,
// each channel's health, and new rows for the later parts of messages.
type DeliveryStore interface {
	store.OutboxQueue
	store.OutboxChannels
	// Enqueue adds r unless a row with r.Key exists; inserted reports which.
	Enqueue(ctx context.Context, r store.OutboxRow) (inserted bool, err error)
}

// Delivery defaults.
const (
	DefaultEvery = time.Second
	// DefaultMaxAttempts with the backoff below keeps retrying a row that
	// fails for about two hours, long enough to ride out a platform
	// outage. Rate limits and refused tokens do not count.
	DefaultMaxAttempts = 20
	DefaultBaseBackoff = 2 * time.Second
	DefaultMaxBackoff  = 10 * time.Minute
	// DefaultAuthBackoff and DefaultMaxAuthBackoff space the tries of a
	// transport whose token was refused.
	DefaultAuthBackoff    = time.Minute
	DefaultMaxAuthBackoff = 30 * time.Minute
	// DefaultSettle is the least wait before a send whose outcome was
	// unknown is looked up, so that a post the platform was still
	// finishing shows.
	DefaultSettle = 30 * time.Second
	// DefaultSendTimeout bounds one Send; transports' own request
	// timeouts are shorter.
	DefaultSendTimeout = 90 * time.Second
	// resetEvery is how often rows left sending by a replica that died
	// are returned to pending.
	resetEvery = 5 * time.Minute
	// headsLimit bounds the channels looked at in one pass.
	headsLimit = 1000
)

// Deliverer sends outbox rows through the transports. Each channel's rows
// go in order (by when they fell due), no faster than the channel's limit.
// Failures are handled per channel, not per row: a rate limit pauses the
// channel for the wait the platform asked (every channel, for a limit on a
// kind of message), a server or network error pauses it with exponential
// backoff and jitter, and a refused token pauses the whole transport,
// while the rows keep their place. Rows that fail permanently, or too
// often, are dead-lettered. A message too long for one post is split by
// its transport (chat.Splitter): the first part is sent, the later ones
// become rows of their own. A send whose outcome is unknown is looked up
// (chat.Reconciler) before it is sent again, or counted as a possible
// duplicate. Retry, pacing and backoff live here only; transports just
// classify their errors.
type Deliverer struct {
	Store      DeliveryStore
	Transports map[string]chat.Transport
	Renderer   MessageRenderer
	Clock      Clock
	Log        *slog.Logger
	// Every is the default least time between messages to one channel.
	Every          time.Duration
	MaxAttempts    int
	BaseBackoff    time.Duration
	MaxBackoff     time.Duration
	AuthBackoff    time.Duration
	MaxAuthBackoff time.Duration
	Settle         time.Duration
	SendTimeout    time.Duration
	// Jitter returns a number in [0, 1); rand.Float64 when nil.
	Jitter func() float64
	// Metrics, when set, counts deliveries.
	Metrics *Metrics
	// Health, when set, learns whether each transport delivers.
	Health *Health

	once      sync.Once
	wake      chan struct{}
	mu        sync.Mutex
	history   map[string][]time.Time // per transport/channel: recent send times
	lastReset time.Time
}

func (d *Deliverer) init() {
	d.once.Do(func() {
		d.wake = make(chan struct{}, 1)
		d.history = map[string][]time.Time{}
		d.Every = cmpOr(d.Every, DefaultEvery)
		d.MaxAttempts = cmpOr(d.MaxAttempts, DefaultMaxAttempts)
		d.BaseBackoff = cmpOr(d.BaseBackoff, DefaultBaseBackoff)
		d.MaxBackoff = cmpOr(d.MaxBackoff, DefaultMaxBackoff)
		d.AuthBackoff = cmpOr(d.AuthBackoff, DefaultAuthBackoff)
		d.MaxAuthBackoff = cmpOr(d.MaxAuthBackoff, DefaultMaxAuthBackoff)
		d.Settle = cmpOr(d.Settle, DefaultSettle)
		d.SendTimeout = cmpOr(d.SendTimeout, DefaultSendTimeout)
		if d.Jitter == nil {
			d.Jitter = rand.Float64
		}
		if d.Log == nil {
			d.Log = slog.Default()
		}
		for name := range d.Transports {
			d.Health.Add(name)
		}
	})
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Wake makes a waiting Run look at the outbox now.
func (d *Deliverer) Wake() {
	d.init()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run resumes rows left in flight by a previous process, then delivers
// until ctx is cancelled. It returns ctx's error.
func (d *Deliverer) Run(ctx context.Context) error {
	d.init()
	if err := d.resetInflight(ctx); err != nil {
		return err
	}
	// A pass that fails the same way again and again (a full disk) is
	// logged once a minute, not every five seconds.
	var resets, passes repeats
	for {
		if d.Clock.Now().Sub(d.lastReset) >= resetEvery {
			if err := d.resetInflight(ctx); err != nil && ctx.Err() == nil {
				resets.failed(ctx, d.Log, d.Clock.Now(), "resuming messages of a stopped replica", err)
			} else if err == nil {
				resets.ok(ctx, d.Log, "resuming messages of a stopped replica works again")
			}
		}
		sent, wait, err := d.DeliverDue(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			passes.failed(ctx, d.Log, d.Clock.Now(), "delivery pass failed", err)
			wait = 5 * time.Second
		case err == nil:
			passes.ok(ctx, d.Log, "delivery passes work again")
		}
		if sent > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.wake:
		case <-d.Clock.After(wait):
		}
	}
}

// resetInflight returns rows left sending by a process (or replica) that
// stopped to pending; their outcome is unknown, so they are looked up or
// counted before they are sent again.
func (d *Deliverer) resetInflight(ctx context.Context) error {
	d.lastReset = d.Clock.Now()
	n, err := d.Store.ResetInflight(ctx)
	if err != nil {
		return fmt.Errorf("resuming outbox: %w", err)
	}
	if n > 0 {
		d.Log.Warn("resuming messages whose sending was interrupted; each is looked up, where the platform allows, before it is sent again", "rows", n)
	}
	return nil
}

// DeliverDue sends the next row of every channel that is due, not paused
// and allowed by its rate limit now. It returns how many rows it
// attempted and how long until the next one may be due.
func (d *Deliverer) DeliverDue(ctx context.Context) (attempted int, wait time.Duration, err error) {
	d.init()
	now := d.Clock.Now()
	states, err := d.loadStates(ctx)
	if err != nil {
		return 0, time.Second, err
	}
	heads, err := d.Store.OutboxHeads(ctx, now, headsLimit)
	if err != nil {
		return 0, time.Second, fmt.Errorf("reading outbox: %w", err)
	}
	wait = time.Second // rows may become due, or be enqueued by another replica
	for _, row := range heads {
		if ctx.Err() != nil {
			return attempted, wait, ctx.Err()
		}
		if w := max(states.pausedFor(row, now), d.readyIn(row, now)); w > 0 {
			wait = min(wait, w)
			continue
		}
		ok, err := d.Store.ClaimOutbox(ctx, row.ID, now)
		if err != nil {
			return attempted, wait, fmt.Errorf("claiming row %d: %w", row.ID, err)
		}
		if !ok {
			continue
		}
		// Render what was claimed: the engine may have extended the row's
		// payload between the listing and the claim; once claimed it is fixed.
		claimed, err := d.Store.OutboxRow(ctx, row.Key)
		attempted++
		if err != nil {
			row.Attempts++
			d.retryRow(ctx, d.Log.With("row", row.ID), row, fmt.Errorf("reading the claimed row: %w", err))
			continue
		}
		d.deliver(ctx, claimed, states)
		now = d.Clock.Now()
	}
	return attempted, wait, nil
}

// readyIn returns how long the channel of row must still wait for its
// rate limit.
func (d *Deliverer) readyIn(row store.OutboxRow, now time.Time) time.Duration {
	lim := chat.Limit{Every: d.Every}
	if rl, ok := d.Transports[row.Transport].(chat.RateLimiter); ok {
		lim = rl.RateLimit(row.Channel)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	h := d.history[row.Transport+"/"+row.Channel]
	var wait time.Duration
	if len(h) > 0 {
		wait = h[len(h)-1].Add(lim.Every).Sub(now)
	}
	if lim.PerWindow > 0 && len(h) >= lim.PerWindow {
		wait = max(wait, h[len(h)-lim.PerWindow].Add(lim.Window).Sub(now))
	}
	return wait
}

func (d *Deliverer) record(row store.OutboxRow, at time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := row.Transport + "/" + row.Channel
	h := append(d.history[k], at)
	if len(h) > 64 {
		h = h[len(h)-64:]
	}
	d.history[k] = h
}

// deliver sends one claimed row and records the result.
func (d *Deliverer) deliver(ctx context.Context, row store.OutboxRow, states channelStates) {
	log := d.Log.With("row", row.ID, "kind", row.Kind, "transport", row.Transport, "channel", row.Channel)
	t, ok := d.Transports[row.Transport]
	if !ok {
		d.dead(ctx, log, row, fmt.Errorf("no %s transport is configured (set its token, or remove the channel from rules.yaml)", row.Transport))
		return
	}
	msg, rest, ok := d.prepare(ctx, log, t, row)
	if !ok {
		return
	}
	// A send under way finishes even when shutdown begins: aborting it
	// could leave a message posted but not recorded, sent again later.
	// What happened is recorded even when shutdown cancelled ctx.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.SendTimeout+10*time.Second)
	defer cancel()
	switch remote, v := d.reconcile(ctx, log, t, row, msg, states); v {
	case postedIt:
		d.sent(ctx, log, row, msg, remote, rest, states)
		return
	case checkLater:
		return
	}
	sendCtx, cancelSend := context.WithTimeout(ctx, d.SendTimeout)
	attemptAt := d.Clock.Now()
	remote, err := t.Send(sendCtx, msg)
	cancelSend()
	d.record(row, d.Clock.Now())
	d.Metrics.Use().attempted(row, err)
	if err != nil {
		d.failed(ctx, log, row, attemptAt, err, states)
		return
	}
	d.sent(ctx, log, row, msg, remote, rest, states)
}

// prepare renders row, threads it under its parent and, when its
// transport splits long messages, renders its parts. It reports false
// when the row was dealt with (retried or dead-lettered) instead.
func (d *Deliverer) prepare(ctx context.Context, log *slog.Logger, t chat.Transport, row store.OutboxRow) (chat.Message, []chat.Part, bool) {
	msg, err := d.Renderer.Render(ctx, row)
	if err != nil {
		d.retryRow(ctx, log, row, fmt.Errorf("rendering: %w", err))
		return msg, nil, false
	}
	msg.Key = row.Key
	if row.ParentKey != "" {
		parent, err := d.Store.OutboxRow(ctx, row.ParentKey)
		switch {
		case err != nil:
			d.retryRow(ctx, log, row, fmt.Errorf("reading parent row: %w", err))
			return msg, nil, false
		case parent.State == store.Dead:
			d.dead(ctx, log, row, fmt.Errorf("the message it belongs to (%s) was never delivered", parent.Key))
			return msg, nil, false
		case parent.State != store.Sent || parent.RemoteID == "":
			d.retryRow(ctx, log, row, errors.New("waiting for the message it belongs to"))
			return msg, nil, false
		}
		msg.ThreadID = parent.RemoteID
	}
	sp, ok := t.(chat.Splitter)
	if !ok || msg.Kind == chat.KindEdit || len(msg.Part) > 0 {
		return msg, nil, true
	}
	parts, err := sp.Split(msg)
	if err == nil && len(parts) == 0 {
		err = errors.New("the message has nothing to post")
	}
	if err != nil {
		d.dead(ctx, log, row, fmt.Errorf("splitting: %w", err))
		return msg, nil, false
	}
	msg.Part = parts[0]
	return msg, parts[1:], true
}

// Backoff returns the wait before attempt number attempts+1 after a failure
// without Retry-After: base·2^(attempts-1), capped at max, with the upper
// half jittered (so waits spread out but never shrink below half).
func Backoff(attempts int, base, maxWait time.Duration, jitter float64) time.Duration {
	w := base
	for i := 1; i < attempts && w < maxWait; i++ {
		w *= 2
	}
	w = min(w, maxWait)
	return w/2 + time.Duration(jitter*float64(w/2))
}

// retryRow retries a row that failed on its own (it could not be read or
// rendered, or waits for its parent) with the row's backoff; its channel
// goes on. A row whose last send had an unknown outcome keeps that mark,
// so the send after this one is looked up first.
func (d *Deliverer) retryRow(ctx context.Context, log *slog.Logger, row store.OutboxRow, err error) {
	if row.Attempts >= d.MaxAttempts {
		d.dead(ctx, log, row, fmt.Errorf("gave up after %s: %w", english.Plural(row.Attempts, "attempt"), err))
		return
	}
	wait := Backoff(row.Attempts, d.BaseBackoff, d.MaxBackoff, d.Jitter())
	log.Warn("message not sent; will retry", "attempt", row.Attempts, "retry_in", wait, "err", err)
	d.Metrics.Use().DeliveryRetries.Inc(row.Transport, string(row.Kind))
	if err := d.Store.MarkRetry(ctx, row.ID, d.Clock.Now().Add(wait), stillUnknown(row, err)); err != nil {
		log.Error("recording retry", "err", err)
	}
}

func (d *Deliverer) dead(ctx context.Context, log *slog.Logger, row store.OutboxRow, err error) {
	log.Error("message dead-lettered: it will not be retried", "key", row.Key, "attempts", row.Attempts, "err", err)
	d.Metrics.Use().DeadLetters.Inc(row.Transport, string(row.Kind))
	if err := d.Store.MarkDead(ctx, row.ID, err.Error()); err != nil {
		log.Error("recording dead letter", "err", err)
	}
}
