package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/store"
)

const muteColumns = `id, transport, channel, target, label, until, by_user, by_name, created_at`

// Mute silences m.Target in a channel until m.Until, replacing the time,
// label, author and creation of an earlier mute of the same target there
// (which keeps its id), and returns the mute as stored.
func (db *DB) Mute(ctx context.Context, m store.Mute) (store.Mute, error) {
	row := db.pool.QueryRow(ctx, `INSERT INTO mutes (transport, channel, target, label, until, by_user, by_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (transport, channel, target) DO UPDATE SET
		until = excluded.until, label = excluded.label, by_user = excluded.by_user, by_name = excluded.by_name,
		created_at = excluded.created_at
		RETURNING `+muteColumns,
		clean(m.Transport), clean(m.Channel), clean(m.Target), clean(m.Label), ts(m.Until), clean(m.By), clean(m.ByName), db.now())
	out, err := scanMute(row)
	if err != nil {
		return store.Mute{}, fmt.Errorf("postgres: mute %s in %s/%s: %w", m.Target, m.Transport, m.Channel, err)
	}
	return out, nil
}

// Mutes returns the mutes whose Until is after now, ordered by transport,
// channel and target.
func (db *DB) Mutes(ctx context.Context, now time.Time) ([]store.Mute, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+muteColumns+` FROM mutes WHERE until > $1
		ORDER BY transport, channel, target`, ts(now))
	if err != nil {
		return nil, fmt.Errorf("postgres: mutes: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Mute, error) { return scanMute(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: mutes: %w", err)
	}
	return out, nil
}

// Unmute deletes mute id of a channel and returns it, or store.ErrNotFound.
func (db *DB) Unmute(ctx context.Context, transport, channel string, id int64) (store.Mute, error) {
	m, err := scanMute(db.pool.QueryRow(ctx, `DELETE FROM mutes WHERE id = $1 AND transport = $2 AND channel = $3
		RETURNING `+muteColumns, id, clean(transport), clean(channel)))
	if err != nil {
		return store.Mute{}, fmt.Errorf("postgres: unmute %d in %s/%s: %w", id, transport, channel, notFound(err))
	}
	return m, nil
}

// RecordMuted records a report kept from a channel, once per document.
func (db *runner) RecordMuted(ctx context.Context, r store.MutedReport) error {
	if err := db.later(ctx, nil, `INSERT INTO muted_reports (transport, channel, story, doc, kind, mute_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		clean(r.Transport), clean(r.Channel), r.Story, clean(r.Doc), string(r.Kind), r.MuteID, ts(r.At)); err != nil {
		return fmt.Errorf("postgres: record muted report of story %d in %s/%s: %w", r.Story, r.Transport, r.Channel, err)
	}
	return nil
}

// CountMuted counts the muted reports by kind since a time, in one channel
// or (transport "") in all.
func (db *DB) CountMuted(ctx context.Context, transport, channel string, since time.Time) (map[store.OutboxKind]int, error) {
	rows, err := db.pool.Query(ctx, `SELECT kind, count(*) FROM muted_reports
		WHERE at >= $1 AND ($2 = '' OR transport = $2 AND channel = $3) GROUP BY kind`,
		ts(since), clean(transport), clean(channel))
	if err != nil {
		return nil, fmt.Errorf("postgres: count muted reports: %w", err)
	}
	out := map[store.OutboxKind]int{}
	var kind string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&kind, &n}, func() error {
		out[store.OutboxKind(kind)] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: count muted reports: %w", err)
	}
	return out, nil
}

func scanMute(r interface{ Scan(...any) error }) (store.Mute, error) {
	var m store.Mute
	if err := r.Scan(&m.ID, &m.Transport, &m.Channel, &m.Target, &m.Label, &m.Until, &m.By, &m.ByName, &m.CreatedAt); err != nil {
		return store.Mute{}, err
	}
	m.Until, m.CreatedAt = m.Until.UTC(), m.CreatedAt.UTC()
	return m, nil
}
