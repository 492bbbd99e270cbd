package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CopyOf returns the original of document id, or "" when it is no copy.
func (r *runner) CopyOf(ctx context.Context, id string) (string, error) {
	var orig string
	err := r.queryRow(ctx, `SELECT original FROM copy_of WHERE doc_id = ?`, id).Scan(&orig)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("sqlite: copy of %s: %w", id, err)
	}
	return orig, nil
}
