package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
)

// sent records a delivered row: first the rows of its later parts, then
// the row as sent, so that no part is lost when the process stops between
// the two (the row's outcome is then unknown, and looked up again).
func (d *Deliverer) sent(ctx context.Context, log *slog.Logger, row store.OutboxRow, msg chat.Message, remote string,
	rest []chat.Part, states channelStates) {
	d.recovered(ctx, row, states)
	for i, p := range rest {
		if err := d.enqueuePart(ctx, row, msg, i+2, p); err != nil {
			err = fmt.Errorf("posted as %s, but its later parts were not queued: %w", remote, err)
			log.Error("message posted; its later parts will be queued on the next attempt", "err", err)
			d.keepUnknown(ctx, log, row, d.Clock.Now(), err)
			return
		}
	}
	if len(rest) > 0 {
		d.Metrics.Use().MessageParts.Add(float64(len(rest)), row.Transport, string(row.Kind))
	}
	if err := d.Store.MarkSent(ctx, row.ID, remote, d.Clock.Now()); err != nil {
		log.Error("message sent but not recorded as sent; it will be looked up, or sent again, after a restart", "err", err)
		return
	}
	d.Metrics.Use().delivered(row, d.Clock.Now())
	log.Debug("delivered", "remote_id", remote, "attempt", row.Attempts, "parts", 1+len(rest))
}

// enqueuePart queues part number n of the message of row, as a child of
// row, in a queue of its own (the negated id of row) that falls due with
// row: it goes right behind the first part.
func (d *Deliverer) enqueuePart(ctx context.Context, row store.OutboxRow, msg chat.Message, n int, p chat.Part) error {
	payload, err := json.Marshal(chat.Message{Kind: msg.Kind, Channel: row.Channel, Part: p})
	if err != nil {
		return fmt.Errorf("encoding part %d: %w", n, err)
	}
	_, err = d.Store.Enqueue(ctx, store.OutboxRow{
		Key: fmt.Sprintf("%s/part/%d", row.Key, n), Transport: row.Transport, Channel: row.Channel,
		Kind: store.OutboxPart, StoryID: -row.ID, ParentKey: row.Key, Payload: payload, Due: row.Due,
	})
	if err != nil {
		return fmt.Errorf("queueing part %d: %w", n, err)
	}
	return nil
}

// verdict is what reconcile decided about a row.
type verdict int

const (
	sendIt     verdict = iota // not posted, or no way to know: send
	postedIt                  // posted: record it
	checkLater                // the question stays open: the row waits
)

// reconcile resolves an earlier send of row whose outcome was unknown. A
// transport that can look the post up (chat.Reconciler) is asked; a post
// that exists is recorded rather than sent again. Without a way to know
// (no Reconciler, or a lookup the platform refuses), the send that
// follows is counted as a possible duplicate. Edits are never looked up:
// sending one again changes nothing.
func (d *Deliverer) reconcile(ctx context.Context, log *slog.Logger, t chat.Transport, row store.OutboxRow, msg chat.Message,
	states channelStates) (string, verdict) {
	since, unknown := store.ParseUnknownOutcome(row.LastError)
	if !unknown || msg.Kind == chat.KindEdit {
		return "", sendIt
	}
	rc, ok := t.(chat.Reconciler)
	if !ok {
		d.possibleDuplicate(log, row, since, "the platform offers no way to check")
		return "", sendIt
	}
	// Clocks differ: look a minute further back than the attempt.
	remote, found, err := rc.Find(ctx, msg, since.Add(-time.Minute))
	switch {
	case err != nil && (chat.IsPermanent(err) || row.Attempts >= d.MaxAttempts):
		// The platform refuses the lookup (a missing scope, say): send;
		// a refused token then shows on the send itself.
		d.Metrics.Use().ReconcileErrors.Inc(row.Transport, string(row.Kind))
		d.possibleDuplicate(log, row, since, "checking failed: "+err.Error())
		return "", sendIt
	case err != nil:
		d.Metrics.Use().ReconcileErrors.Inc(row.Transport, string(row.Kind))
		log.Warn("could not check whether a message was posted; will check again", "err", err)
		d.channelFailed(ctx, row, err, states, false)
		d.keepUnknown(ctx, log, row, since, fmt.Errorf("checking whether it was posted: %w", err))
		return "", checkLater
	case found:
		d.Metrics.Use().Reconciled.Inc(row.Transport, string(row.Kind))
		log.Info("a send whose outcome was unknown had been posted; recorded, not sent again", "remote_id", remote)
		return remote, postedIt
	}
	log.Info("a send whose outcome was unknown was not posted; sending it")
	return "", sendIt
}

// possibleDuplicate counts and logs a send of a message that may have
// been posted already.
func (d *Deliverer) possibleDuplicate(log *slog.Logger, row store.OutboxRow, since time.Time, why string) {
	log.Warn("sending again a message that may have been posted already", "since", since, "why", why)
	d.Metrics.Use().PossibleDuplicates.Inc(row.Transport, string(row.Kind))
}

// stillUnknown is the error to record for row, which failed with err
// before it was sent: when its last send had an unknown outcome, the mark
// stays (with err as the reason), so the next attempt still looks the
// message up before posting it.
func stillUnknown(row store.OutboxRow, err error) string {
	if since, unknown := store.ParseUnknownOutcome(row.LastError); unknown {
		return store.UnknownOutcome(since, err.Error())
	}
	return err.Error()
}

// keepUnknown returns row to pending, its outcome still unknown since
// since, keeping its place in its channel.
func (d *Deliverer) keepUnknown(ctx context.Context, log *slog.Logger, row store.OutboxRow, since time.Time, err error) {
	if err := d.Store.MarkRetry(ctx, row.ID, row.Due, store.UnknownOutcome(since, err.Error())); err != nil {
		log.Error("recording retry", "err", err)
	}
}

// failed deals with a send that returned err: the row's channel (or
// transport) is paused as the error calls for, and the row keeps its
// place, or it is dead-lettered.
func (d *Deliverer) failed(ctx context.Context, log *slog.Logger, row store.OutboxRow, attemptAt time.Time, err error,
	states channelStates) {
	ra, rateLimited := chat.RetryAfterOf(err)
	switch {
	case chat.IsAuthFailure(err):
		d.authFailed(ctx, log, row, err, states)
		return
	case rateLimited:
		d.rateLimited(ctx, log, row, err, ra, states)
		return
	case chat.IsPermanent(err):
		d.dead(ctx, log, row, err)
		return
	}
	unknown := chat.IsOutcomeUnknown(err)
	if row.Attempts >= d.MaxAttempts {
		d.dead(ctx, log, row, fmt.Errorf("gave up after %d attempts: %w", row.Attempts, err))
		return
	}
	wait := d.channelFailed(ctx, row, err, states, unknown)
	d.Metrics.Use().DeliveryRetries.Inc(row.Transport, string(row.Kind))
	lastErr := err.Error()
	if unknown {
		lastErr = store.UnknownOutcome(attemptAt, lastErr)
		log.Warn("the platform did not say whether the message was posted; it will be checked before it is sent again",
			"attempt", row.Attempts, "retry_in", wait, "err", err)
	} else {
		log.Warn("delivery failed; the channel waits, the message keeps its place", "attempt", row.Attempts, "retry_in", wait, "err", err)
	}
	if err := d.Store.MarkRetry(ctx, row.ID, row.Due, lastErr); err != nil {
		log.Error("recording retry", "err", err)
	}
}
