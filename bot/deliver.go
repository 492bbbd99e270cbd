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
	"github.com/wirewatch/wirewatch/store"
)

// MessageRenderer builds the message an outbox row carries.
type MessageRenderer interface {
	Render(ctx context.Context, row store.OutboxRow) (chat.Message, error)
}

// Delivery defaults.
const (
	DefaultEvery = time.Second
	// DefaultMaxAttempts with the backoff below keeps retrying for about
	// two hours, long enough to ride out a platform outage.
	DefaultMaxAttempts = 20
	DefaultBaseBackoff = 2 * time.Second
	DefaultMaxBackoff  = 10 * time.Minute
)

// Deliverer sends outbox rows through the transports: strictly in order per
// channel, no faster than each channel's limit, retrying transient errors
// with exponential backoff and jitter (or the platform's Retry-After), and
// dead-lettering rows that fail permanently or too often. Retry and rate
// limiting live here only; transports just classify their errors.
type Deliverer struct {
	Store      store.OutboxQueue
	Transports map[string]chat.Transport
	Renderer   MessageRenderer
	Clock      Clock
	Log        *slog.Logger
	// Every is the default least time between messages to one channel.
	Every       time.Duration
	MaxAttempts int
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// Jitter returns a number in [0, 1); rand.Float64 when nil.
	Jitter func() float64
	// Metrics, when set, counts deliveries.
	Metrics *Metrics

	once    sync.Once
	wake    chan struct{}
	mu      sync.Mutex
	history map[string][]time.Time // per transport/channel: recent send times
}

func (d *Deliverer) init() {
	d.once.Do(func() {
		d.wake = make(chan struct{}, 1)
		d.history = map[string][]time.Time{}
		if d.Every == 0 {
			d.Every = DefaultEvery
		}
		if d.MaxAttempts == 0 {
			d.MaxAttempts = DefaultMaxAttempts
		}
		if d.BaseBackoff == 0 {
			d.BaseBackoff = DefaultBaseBackoff
		}
		if d.MaxBackoff == 0 {
			d.MaxBackoff = DefaultMaxBackoff
		}
		if d.Jitter == nil {
			d.Jitter = rand.Float64
		}
		if d.Log == nil {
			d.Log = slog.Default()
		}
	})
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
	n, err := d.Store.ResetInflight(ctx)
	if err != nil {
		return fmt.Errorf("resuming outbox: %w", err)
	}
	if n > 0 {
		d.Log.Warn("resending messages interrupted by the last shutdown", "rows", n)
	}
	for {
		sent, wait, err := d.DeliverDue(ctx)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("delivery pass failed", "err", err)
			wait = 5 * time.Second
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

// DeliverDue sends the due head row of every channel that its rate limit
// allows now. It returns how many rows it attempted and how long until the
// next one may be due.
func (d *Deliverer) DeliverDue(ctx context.Context) (attempted int, wait time.Duration, err error) {
	d.init()
	now := d.Clock.Now()
	heads, err := d.Store.OutboxHeads(ctx, now, 256)
	if err != nil {
		return 0, time.Second, fmt.Errorf("reading outbox: %w", err)
	}
	wait = time.Second // rows may become due, or be enqueued by another replica
	for _, row := range heads {
		if ctx.Err() != nil {
			return attempted, wait, ctx.Err()
		}
		if w := d.readyIn(row, now); w > 0 {
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
			d.retry(ctx, d.Log.With("row", row.ID), row, fmt.Errorf("reading the claimed row: %w", err))
			continue
		}
		d.deliver(ctx, claimed)
		now = d.Clock.Now()
	}
	return attempted, wait, nil
}

// readyIn returns how long the channel of row must still wait.
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
func (d *Deliverer) deliver(ctx context.Context, row store.OutboxRow) {
	log := d.Log.With("row", row.ID, "kind", row.Kind, "transport", row.Transport, "channel", row.Channel)
	t, ok := d.Transports[row.Transport]
	if !ok {
		d.dead(ctx, log, row, fmt.Errorf("no %s transport is configured (set its token, or remove the channel from rules.yaml)", row.Transport))
		return
	}
	msg, err := d.Renderer.Render(ctx, row)
	if err != nil {
		d.retry(ctx, log, row, fmt.Errorf("rendering: %w", err))
		return
	}
	if row.ParentKey != "" {
		parent, err := d.Store.OutboxRow(ctx, row.ParentKey)
		switch {
		case err != nil:
			d.retry(ctx, log, row, fmt.Errorf("reading parent row: %w", err))
			return
		case parent.State == store.Dead:
			d.dead(ctx, log, row, fmt.Errorf("the message it belongs to (%s) was never delivered", parent.Key))
			return
		case parent.State != store.Sent || parent.RemoteID == "":
			d.retry(ctx, log, row, errors.New("waiting for the message it belongs to"))
			return
		}
		msg.ThreadID = parent.RemoteID
	}
	// A send under way finishes even when shutdown begins: aborting it
	// could leave a message posted but not recorded, sent again later.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	remote, err := t.Send(sendCtx, msg)
	cancel()
	d.record(row, d.Clock.Now())
	d.Metrics.Use().attempted(row, err, d.Clock.Now())
	// What happened must be recorded even when shutdown cancelled ctx
	// during the send: a sent message not marked sent goes out twice.
	ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err != nil {
		if chat.IsPermanent(err) {
			d.dead(ctx, log, row, err)
			return
		}
		d.retry(ctx, log, row, err)
		return
	}
	if err := d.Store.MarkSent(ctx, row.ID, remote, d.Clock.Now()); err != nil {
		log.Error("message sent but not recorded as sent; it may be sent again after a restart", "err", err)
		return
	}
	log.Debug("delivered", "remote_id", remote, "attempt", row.Attempts)
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

func (d *Deliverer) retry(ctx context.Context, log *slog.Logger, row store.OutboxRow, err error) {
	if row.Attempts >= d.MaxAttempts {
		d.dead(ctx, log, row, fmt.Errorf("gave up after %d attempts: %w", row.Attempts, err))
		return
	}
	wait := Backoff(row.Attempts, d.BaseBackoff, d.MaxBackoff, d.Jitter())
	if ra, ok := chat.RetryAfterOf(err); ok {
		wait = ra
	}
	next := d.Clock.Now().Add(wait)
	log.Warn("delivery failed; will retry", "attempt", row.Attempts, "retry_in", wait, "err", err)
	d.Metrics.Use().DeliveryRetries.Inc(row.Transport, string(row.Kind))
	if err := d.Store.MarkRetry(ctx, row.ID, next, err.Error()); err != nil {
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
