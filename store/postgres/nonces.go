package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ClaimNonce records key until expires and reports whether it is new, for
// every replica sharing the schema. It first forgets the keys expired by
// the store's clock.
func (db *DB) ClaimNonce(ctx context.Context, key string, expires time.Time) (bool, error) {
	fresh := false
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM request_nonces WHERE expires <= $1`, db.now()); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO request_nonces (key, expires) VALUES ($1, $2)
			ON CONFLICT (key) DO NOTHING`, clean(key), ts(expires))
		fresh = tag.RowsAffected() == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: claim nonce: %w", err)
	}
	return fresh, nil
}
