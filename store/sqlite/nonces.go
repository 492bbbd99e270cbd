package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ClaimNonce records key until expires and reports whether it is new. It
// first forgets the keys expired by the store's clock.
func (db *DB) ClaimNonce(ctx context.Context, key string, expires time.Time) (bool, error) {
	fresh := false
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM request_nonces WHERE expires <= ?`, micros(db.now())); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO request_nonces (key, expires) VALUES (?, ?)
			ON CONFLICT (key) DO NOTHING`, key, micros(expires))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		fresh = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: claim nonce: %w", err)
	}
	return fresh, nil
}
