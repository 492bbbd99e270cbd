package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// TryLease takes the lease called name in this schema when no replica
// (this one included) holds it. The lease is a session advisory lock on a
// connection of its own: it lasts until release, Close, or the end of that
// connection, whichever comes first.
func (db *DB) TryLease(ctx context.Context, name string) (func(), bool, error) {
	noop := func() {}
	db.mu.Lock()
	closed := db.closed
	db.mu.Unlock()
	if closed {
		return noop, false, errors.New("postgres: try lease: the store is closed")
	}
	conn, err := db.dedicated(ctx)
	if err != nil {
		return noop, false, fmt.Errorf("postgres: try lease %s: %w", name, err)
	}
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended(current_schema() || ':wirewatch:lease:' || $1, 0))`,
		clean(name)).Scan(&ok); err != nil || !ok {
		conn.Close(context.Background())
		if err != nil {
			return noop, false, fmt.Errorf("postgres: try lease %s: %w", name, err)
		}
		return noop, false, nil
	}
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		conn.Close(context.Background())
		return noop, false, errors.New("postgres: try lease: the store is closed")
	}
	db.leases[conn] = name
	db.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { db.release(conn) }) }, true, nil
}

// release ends the lease held on conn: it unlocks and closes the session
// (closing frees the lock even when the unlocking fails).
func (db *DB) release(conn *pgx.Conn) {
	db.mu.Lock()
	_, held := db.leases[conn]
	delete(db.leases, conn)
	db.mu.Unlock()
	if !held { // Close took it
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	endSession(ctx, conn)
}

// HoldsLease reports whether this handle still holds the lease called
// name: a lease's session that has ended (a dropped connection, a
// terminated backend, a failover) took its lock with it.
func (db *DB) HoldsLease(ctx context.Context, name string) (bool, error) {
	db.mu.Lock()
	var conn *pgx.Conn
	for c, n := range db.leases {
		if n == name {
			conn = c
		}
	}
	db.mu.Unlock()
	if conn == nil {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := conn.Ping(ctx); err != nil {
		if ctx.Err() != nil && !errors.Is(err, context.DeadlineExceeded) {
			return false, fmt.Errorf("postgres: holds lease %s: %w", name, err)
		}
		return false, nil
	}
	return true, nil
}

// LeaseHolder describes the session holding the lease called name: its
// backend process, client address and application, or "" when none holds
// it or it cannot be read.
func (db *DB) LeaseHolder(ctx context.Context, name string) string {
	var pid int
	var addr, app string
	err := db.pool.QueryRow(ctx, `SELECT a.pid, coalesce(host(a.client_addr), 'a local socket'), a.application_name
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
		  AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(current_schema() || ':wirewatch:lease:' || $1, 0)
		LIMIT 1`, clean(name)).Scan(&pid, &addr, &app)
	if err != nil {
		return ""
	}
	s := fmt.Sprintf("PostgreSQL session %d from %s", pid, addr)
	if app != "" {
		s += " (" + app + ")"
	}
	return s
}
