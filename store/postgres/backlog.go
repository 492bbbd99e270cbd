package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirewatch/wirewatch/store"
)

// OutboxBacklog implements store.OutboxReports.
func (db *DB) OutboxBacklog(ctx context.Context, now time.Time) (map[string]store.Backlog, error) {
	rows, err := db.pool.Query(ctx, `SELECT transport, count(*),
		min(CASE WHEN state = 'pending' AND due <= $1 THEN greatest(due, created_at) END)
		FROM outbox WHERE state IN ('pending', 'sending') GROUP BY transport`, now)
	if err != nil {
		return nil, fmt.Errorf("postgres: outbox backlog: %w", err)
	}
	out := map[string]store.Backlog{}
	var transport string
	var n int64
	var oldest *time.Time
	if _, err := pgx.ForEachRow(rows, []any{&transport, &n, &oldest}, func() error {
		b := store.Backlog{Waiting: int(n)}
		if oldest != nil {
			b.OldestDue = oldest.UTC()
		}
		out[transport] = b
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: outbox backlog: %w", err)
	}
	return out, nil
}
