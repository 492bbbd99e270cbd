package sqlite

import (
	"context"
	"fmt"
)

// LimitSize caps how large the database may grow through this handle, in
// bytes, rounded down to whole pages and never below its current size
// (SQLite's max_page_count): a write that would grow it further fails as
// on a full disk ("database or disk is full"), which is how tests provoke
// one. The cap holds for the handle's write connection, which lives as
// long as the handle.
func (db *DB) LimitSize(ctx context.Context, bytes int64) error {
	var pageSize int64
	if err := db.write.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&pageSize); err != nil {
		return fmt.Errorf("sqlite: limit size: %w", err)
	}
	pages := max(1, bytes/pageSize)
	if _, err := db.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		return fmt.Errorf("sqlite: limit size: %w", err)
	}
	return nil
}
