package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/store"
)

// GetState returns the value stored under key, or store.ErrNotFound.
func (r *runner) GetState(ctx context.Context, key string) (string, error) {
	var v string
	if err := r.queryRow(ctx, `SELECT value FROM state WHERE key = $1`, clean(key)).Scan(&v); err != nil {
		return "", fmt.Errorf("postgres: get state %s: %w", key, notFound(err))
	}
	return v, nil
}

// SetState stores value under key, replacing the value it had.
func (r *runner) SetState(ctx context.Context, key, value string) error {
	if err := r.later(ctx, nil, `INSERT INTO state (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, clean(key), clean(value)); err != nil {
		return fmt.Errorf("postgres: set state %s: %w", key, err)
	}
	return nil
}

// Subscribe adds the subscription of s.Channel to s.Digest, or replaces
// its time and zone.
func (db *DB) Subscribe(ctx context.Context, s store.Subscription) error {
	if _, err := db.pool.Exec(ctx, `INSERT INTO subscriptions (digest, transport, channel, at, timezone)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (digest, transport, channel)
		DO UPDATE SET at = excluded.at, timezone = excluded.timezone`,
		clean(s.Digest), clean(s.Transport), clean(s.Channel), clean(s.At), clean(s.Timezone)); err != nil {
		return fmt.Errorf("postgres: subscribe %s/%s to %s: %w", s.Transport, s.Channel, s.Digest, err)
	}
	return nil
}

// Unsubscribe removes a channel's subscription to digest, or returns
// store.ErrNotFound when it had none.
func (db *DB) Unsubscribe(ctx context.Context, transport, channel, digest string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM subscriptions WHERE digest = $1 AND transport = $2 AND channel = $3`,
		clean(digest), clean(transport), clean(channel))
	if err != nil {
		return fmt.Errorf("postgres: unsubscribe %s/%s from %s: %w", transport, channel, digest, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: unsubscribe %s/%s from %s: %w", transport, channel, digest, store.ErrNotFound)
	}
	return nil
}

// Subscriptions lists every subscription ordered by digest, transport and
// channel.
func (db *DB) Subscriptions(ctx context.Context) ([]store.Subscription, error) {
	rows, err := db.pool.Query(ctx, `SELECT digest, transport, channel, at, timezone FROM subscriptions
		ORDER BY digest, transport, channel`)
	if err != nil {
		return nil, fmt.Errorf("postgres: subscriptions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Subscription, error) {
		var s store.Subscription
		err := r.Scan(&s.Digest, &s.Transport, &s.Channel, &s.At, &s.Timezone)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: subscriptions: %w", err)
	}
	return out, nil
}
