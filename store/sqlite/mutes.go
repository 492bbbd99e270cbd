package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

const muteColumns = `id, transport, channel, target, label, until, by_user, by_name, created_at`

// Mute silences m.Target in a channel until m.Until, replacing the time,
// label, author and creation of an earlier mute of the same target there
// (which keeps its id), and returns the mute as stored.
func (db *DB) Mute(ctx context.Context, m store.Mute) (store.Mute, error) {
	row := db.write.QueryRowContext(ctx, `INSERT INTO mutes (transport, channel, target, label, until, by_user, by_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transport, channel, target) DO UPDATE SET
		until = excluded.until, label = excluded.label, by_user = excluded.by_user, by_name = excluded.by_name,
		created_at = excluded.created_at
		RETURNING `+muteColumns,
		m.Transport, m.Channel, m.Target, m.Label, micros(m.Until), m.By, m.ByName, micros(db.now()))
	out, err := scanMute(row)
	if err != nil {
		return store.Mute{}, fmt.Errorf("sqlite: mute %s in %s/%s: %w", m.Target, m.Transport, m.Channel, err)
	}
	return out, nil
}

// Mutes returns the mutes whose Until is after now, ordered by transport,
// channel and target.
func (db *DB) Mutes(ctx context.Context, now time.Time) ([]store.Mute, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+muteColumns+` FROM mutes
		WHERE until > ? ORDER BY transport, channel, target`, micros(now))
	if err != nil {
		return nil, fmt.Errorf("sqlite: mutes: %w", err)
	}
	defer rows.Close()
	var out []store.Mute
	for rows.Next() {
		m, err := scanMute(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: mutes: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: mutes: %w", err)
	}
	return out, nil
}

// Unmute deletes mute id of a channel and returns it, or store.ErrNotFound.
func (db *DB) Unmute(ctx context.Context, transport, channel string, id int64) (store.Mute, error) {
	row := db.write.QueryRowContext(ctx, `DELETE FROM mutes WHERE id = ? AND transport = ? AND channel = ?
		RETURNING `+muteColumns, id, transport, channel)
	m, err := scanMute(row)
	if err != nil {
		return store.Mute{}, fmt.Errorf("sqlite: unmute %d in %s/%s: %w", id, transport, channel, notFound(err))
	}
	return m, nil
}

// RecordMuted records a report kept from a channel, once per document.
func (db *runner) RecordMuted(ctx context.Context, r store.MutedReport) error {
	if _, err := db.exec(ctx, `INSERT INTO muted_reports (transport, channel, story, doc, kind, mute_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		r.Transport, r.Channel, r.Story, r.Doc, string(r.Kind), r.MuteID, micros(r.At)); err != nil {
		return fmt.Errorf("sqlite: record muted report of story %d in %s/%s: %w", r.Story, r.Transport, r.Channel, err)
	}
	return nil
}

// CountMuted counts the muted reports by kind since a time, in one channel
// or (transport "") in all.
func (db *DB) CountMuted(ctx context.Context, transport, channel string, since time.Time) (map[store.OutboxKind]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT kind, count(*) FROM muted_reports
		WHERE at >= ? AND (? = '' OR transport = ? AND channel = ?) GROUP BY kind`,
		micros(since), transport, transport, channel)
	if err != nil {
		return nil, fmt.Errorf("sqlite: count muted reports: %w", err)
	}
	defer rows.Close()
	out := map[store.OutboxKind]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("sqlite: count muted reports: %w", err)
		}
		out[store.OutboxKind(kind)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: count muted reports: %w", err)
	}
	return out, nil
}

func scanMute(r interface{ Scan(...any) error }) (store.Mute, error) {
	var m store.Mute
	var until, created int64
	if err := r.Scan(&m.ID, &m.Transport, &m.Channel, &m.Target, &m.Label, &until, &m.By, &m.ByName, &created); err != nil {
		return m, err
	}
	m.Until, m.CreatedAt = fromMicros(until), fromMicros(created)
	return m, nil
}
