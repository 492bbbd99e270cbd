package store

import (
	"context"
	"time"
)

// Nonces remembers one-time keys (the signatures of signed requests) until
// they expire, so a request replayed to any replica, or after a restart, is
// recognised.
type Nonces interface {
	// ClaimNonce records key until expires and reports whether it is new:
	// false when key was claimed before and has not expired. Keys expired
	// by the store's clock are forgotten.
	ClaimNonce(ctx context.Context, key string, expires time.Time) (fresh bool, err error)
}
