package postgres

import (
	"context"
	"fmt"
)

// SetCopyOf records that document id is a near-copy of original,
// replacing an earlier record. In a transaction it is written with the
// transaction's next statement or at its commit.
func (r *runner) SetCopyOf(ctx context.Context, id, original string) error {
	return r.hold(ctx, "set copy of "+id, func(h *held) { h.copies = append(h.copies, copyWrite{id, original}) })
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
