package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// OutboxBacklog implements store.OutboxReports.
func (db *DB) OutboxBacklog(ctx context.Context, now time.Time) (map[string]store.Backlog, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT transport, count(*),
		min(CASE WHEN state = 'pending' AND due <= ?1 THEN max(due, created_at) END)
		FROM outbox WHERE state IN ('pending', 'sending') GROUP BY transport`, micros(now))
	if err != nil {
		return nil, fmt.Errorf("sqlite: outbox backlog: %w", err)
	}
	defer rows.Close()
	out := map[string]store.Backlog{}
	for rows.Next() {
		var transport string
		var n int
		var oldest *int64
		if err := rows.Scan(&transport, &n, &oldest); err != nil {
			return nil, fmt.Errorf("sqlite: outbox backlog: %w", err)
		}
		b := store.Backlog{Waiting: n}
		if oldest != nil {
			b.OldestDue = fromMicros(*oldest)
		}
		out[transport] = b
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: outbox backlog: %w", err)
	}
	return out, nil
}
