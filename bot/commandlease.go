package bot

import (
	"context"
	"fmt"

	"github.com/wirewatch/wirewatch/store"
)

// LeaseForCommand takes the leader lease on st for a one-off command
// (`bot scan`, `latest`, `digest`), so that a command never runs the
// engine beside a bot that does. When another process holds the lease,
// held is false and holder says who ("another process" when the store
// cannot tell); the command must then leave scanning to that process.
// release gives the lease back and is never nil.
func LeaseForCommand(ctx context.Context, st store.Store) (release func(), held bool, holder string, err error) {
	l, ok := st.(store.Leaser)
	if !ok {
		return func() {}, true, "", nil
	}
	release, held, err = l.TryLease(ctx, LeaderLease)
	if err != nil {
		return func() {}, false, "", fmt.Errorf("taking the leader lease: %w", err)
	}
	if held {
		return release, true, "", nil
	}
	holder = "another process"
	if h, ok := st.(store.LeaseHolders); ok {
		if who := h.LeaseHolder(ctx, LeaderLease); who != "" {
			holder = who
		}
	}
	return func() {}, false, holder, nil
}
