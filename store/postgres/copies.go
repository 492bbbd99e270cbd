package postgres

import (
	"context"
	"fmt"
)

// SetCopyOf records that document id is a near-copy of original,
// replacing an earlier record.
func (r *runner) SetCopyOf(ctx context.Context, id, original string) error {
	if err := r.later(ctx, nil, `INSERT INTO copy_of (doc_id, original) VALUES ($1, $2)
		ON CONFLICT (doc_id) DO UPDATE SET original = excluded.original`, clean(id), clean(original)); err != nil {
		return fmt.Errorf("postgres: set copy of %s: %w", id, err)
	}
	return nil
}

// CopyOf returns the original of document id, or "" when it is no copy.
func (r *runner) CopyOf(ctx context.Context, id string) (string, error) {
	var orig string
	err := r.queryRow(ctx, `SELECT original FROM copy_of WHERE doc_id = $1`, clean(id)).Scan(&orig)
	if err != nil && !isNoRows(err) {
		return "", fmt.Errorf("postgres: copy of %s: %w", id, err)
	}
	return orig, nil
}
