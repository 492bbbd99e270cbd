package sqlite

import (
	"context"
	"sync"
)

// leases are the leases held in this process, by database file and name.
// The file belongs to one process, so a lock in the process is enough.
var leases = leaseTable{held: map[leaseKey]*lease{}}

type leaseKey struct{ path, name string }

// lease is one taking of a lease; its identity tells a release from the
// release of an earlier taking.
type lease struct{ holder *DB }

type leaseTable struct {
	mu   sync.Mutex
	held map[leaseKey]*lease
}

// TryLease takes the lease called name on this database file when no
// handle in this process holds it.
func (db *DB) TryLease(ctx context.Context, name string) (func(), bool, error) {
	if err := ctx.Err(); err != nil {
		return func() {}, false, err
	}
	k := leaseKey{db.path, name}
	l := &lease{holder: db}
	leases.mu.Lock()
	defer leases.mu.Unlock()
	if _, taken := leases.held[k]; taken {
		return func() {}, false, nil
	}
	leases.held[k] = l
	return func() {
		leases.mu.Lock()
		defer leases.mu.Unlock()
		if leases.held[k] == l {
			delete(leases.held, k)
		}
	}, true, nil
}

// releaseAll gives back the leases db holds.
func (t *leaseTable) releaseAll(db *DB) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, l := range t.held {
		if l.holder == db {
			delete(t.held, k)
		}
	}
}
