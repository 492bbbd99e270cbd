package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// SetChannelState records the delivery state of a channel, replacing the
// one recorded.
func (db *DB) SetChannelState(ctx context.Context, s store.ChannelState) error {
	if s.Transport == "" {
		return fmt.Errorf("postgres: channel state of %q: a state needs a transport", s.Channel)
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO outbox_channels (transport, channel, paused_until, failures,
		last_error, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (transport, channel) DO UPDATE SET paused_until = excluded.paused_until,
		failures = excluded.failures, last_error = excluded.last_error, updated_at = excluded.updated_at`,
		clean(s.Transport), clean(s.Channel), pausedTS(s.PausedUntil), s.Failures, clean(s.LastError), ts(s.UpdatedAt))
	if err != nil {
		return fmt.Errorf("postgres: channel state of %s: %w", s, err)
	}
	return nil
}

// ChannelStates returns every recorded channel state, by transport and
// channel.
func (db *DB) ChannelStates(ctx context.Context) ([]store.ChannelState, error) {
	rows, err := db.pool.Query(ctx, `SELECT transport, channel, paused_until, failures, last_error, updated_at
		FROM outbox_channels ORDER BY transport, channel`)
	if err != nil {
		return nil, fmt.Errorf("postgres: channel states: %w", err)
	}
	defer rows.Close()
	var out []store.ChannelState
	for rows.Next() {
		var s store.ChannelState
		var paused *time.Time
		if err := rows.Scan(&s.Transport, &s.Channel, &paused, &s.Failures, &s.LastError, &s.UpdatedAt); err != nil {
			return nil, fmt.Errorf("postgres: channel states: %w", err)
		}
		s.PausedUntil, s.UpdatedAt = fromNullTS(paused), s.UpdatedAt.UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: channel states: %w", err)
	}
	return out, nil
}

// ChannelBacklogs returns, for every channel with rows neither sent nor
// dead, their number and when the oldest was enqueued.
func (db *DB) ChannelBacklogs(ctx context.Context) ([]store.ChannelBacklog, error) {
	rows, err := db.pool.Query(ctx, `SELECT transport, channel, count(*), min(created_at)
		FROM outbox WHERE state IN ('pending', 'sending')
		GROUP BY transport, channel ORDER BY transport, channel`)
	if err != nil {
		return nil, fmt.Errorf("postgres: outbox backlog: %w", err)
	}
	defer rows.Close()
	var out []store.ChannelBacklog
	for rows.Next() {
		var b store.ChannelBacklog
		if err := rows.Scan(&b.Transport, &b.Channel, &b.Pending, &b.Oldest); err != nil {
			return nil, fmt.Errorf("postgres: outbox backlog: %w", err)
		}
		b.Oldest = b.Oldest.UTC()
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: outbox backlog: %w", err)
	}
	return out, nil
}

// ReleaseOutbox returns row id from sending to pending, uncounting the
// attempt of its claim and keeping when it is due, with the error seen.
// A row in another state is left as it is; store.ErrNotFound when there
// is no such row.
func (db *DB) ReleaseOutbox(ctx context.Context, id int64, lastErr string) error {
	return db.finish(ctx, "release outbox", id, `UPDATE outbox SET state = 'pending',
		attempts = greatest(attempts - 1, 0), last_error = $2, claimed_by = NULL
		WHERE id = $1 AND state = 'sending'`, id, clean(lastErr))
}

// pausedTS stores a zero pause as NULL.
func pausedTS(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	v := ts(t)
	return &v
}
