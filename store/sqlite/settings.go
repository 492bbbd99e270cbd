package sqlite

import (
	"context"
	"fmt"

	"github.com/wirewatch/wirewatch/store"
)

// GetState returns the value stored under key, or store.ErrNotFound.
func (r *runner) GetState(ctx context.Context, key string) (string, error) {
	var v string
	if err := r.queryRow(ctx, `SELECT value FROM state WHERE key = ?`, key).Scan(&v); err != nil {
		return "", fmt.Errorf("sqlite: get state %s: %w", key, notFound(err))
	}
	return v, nil
}

// SetState stores value under key, replacing the value it had.
func (r *runner) SetState(ctx context.Context, key, value string) error {
	if _, err := r.exec(ctx, `INSERT INTO state (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("sqlite: set state %s: %w", key, err)
	}
	return nil
}

// Subscribe adds the subscription of s.Channel to s.Digest, or replaces
// its time and zone.
func (db *DB) Subscribe(ctx context.Context, s store.Subscription) error {
	if _, err := db.write.ExecContext(ctx, `INSERT INTO subscriptions (digest, transport, channel, at, timezone)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest, transport, channel)
		DO UPDATE SET at = excluded.at, timezone = excluded.timezone`,
		s.Digest, s.Transport, s.Channel, s.At, s.Timezone); err != nil {
		return fmt.Errorf("sqlite: subscribe %s/%s to %s: %w", s.Transport, s.Channel, s.Digest, err)
	}
	return nil
}

// Unsubscribe removes a channel's subscription to digest, or returns
// store.ErrNotFound when it had none.
func (db *DB) Unsubscribe(ctx context.Context, transport, channel, digest string) error {
	res, err := db.write.ExecContext(ctx, `DELETE FROM subscriptions
		WHERE digest = ? AND transport = ? AND channel = ?`, digest, transport, channel)
	if err != nil {
		return fmt.Errorf("sqlite: unsubscribe %s/%s from %s: %w", transport, channel, digest, err)
	}
	return oneRow(res, fmt.Sprintf("sqlite: unsubscribe %s/%s from %s", transport, channel, digest))
}

// Subscriptions lists every subscription ordered by digest, transport and
// channel.
func (db *DB) Subscriptions(ctx context.Context) ([]store.Subscription, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT digest, transport, channel, at, timezone
		FROM subscriptions ORDER BY digest, transport, channel`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
	}
	defer rows.Close()
	var out []store.Subscription
	for rows.Next() {
		var s store.Subscription
		if err := rows.Scan(&s.Digest, &s.Transport, &s.Channel, &s.At, &s.Timezone); err != nil {
			return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
	}
	return out, nil
}
