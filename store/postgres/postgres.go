// Package postgres implements store.Store on PostgreSQL through pgx, so
// that several replicas of the bot can share one store: any replica claims
// outbox rows (FOR UPDATE SKIP LOCKED), and one at a time holds a lease
// (a session advisory lock) for the work only one should do.
//
// The tables live in the connection's current schema (search_path).
// Times are kept to the microsecond in UTC, except FileState.ModTime, kept
// to the nanosecond so that it compares equal to the file system's. Text
// that PostgreSQL cannot hold (NUL bytes, invalid UTF-8) is cleaned when
// stored.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wirewatch/wirewatch/store"
)

// DB is a store in a PostgreSQL schema. Its methods are safe for
// concurrent use.
type DB struct {
	// Now is the clock the store stamps times with (the time a document
	// was stored, a row enqueued, a story created). Open sets it to
	// time.Now; tests replace it before using the store.
	Now func() time.Time

	pool *pgxpool.Pool
	// runner runs the methods that a transaction (Tx) offers too, each in
	// a transaction of its own where it needs one.
	*runner
	// instance identifies this handle in outbox.claimed_by; life holds
	// the advisory lock that tells other replicas it is alive.
	instance int64
	life     *pgx.Conn

	mu     sync.Mutex
	leases map[*pgx.Conn]string // lease session -> lease name
	closed bool
}

var (
	_ store.Store  = (*DB)(nil)
	_ store.Leaser = (*DB)(nil)
)

// lockSpace names the advisory locks of this schema's replicas: the first
// int4 key of their two-key locks.
const lockSpace = `hashtext(current_schema() || ':wirewatch:replica')`

// Open connects to the PostgreSQL database at url (a postgres:// URL or
// key=value string, as pgx takes them), brings the schema of the
// connection's search_path up to date and registers this handle as a live
// replica.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db := &DB{Now: time.Now, pool: pool, leases: map[*pgx.Conn]string{}}
	db.runner = &runner{db: db}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := db.register(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return db, nil
}

// dedicated takes a connection out of the pool for a session lock.
func (db *DB) dedicated(ctx context.Context) (*pgx.Conn, error) {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return c.Hijack(), nil
}

// register takes a replica id and holds its advisory lock on a connection
// of its own for as long as the handle is open.
func (db *DB) register(ctx context.Context) error {
	conn, err := db.dedicated(ctx)
	if err != nil {
		return fmt.Errorf("registering the replica: %w", err)
	}
	for {
		var id int64
		var ok bool
		err := conn.QueryRow(ctx, `SELECT id, pg_try_advisory_lock(`+lockSpace+`, id::integer)
			FROM nextval('replica_ids') AS id`).Scan(&id, &ok)
		if err != nil {
			conn.Close(context.Background())
			return fmt.Errorf("registering the replica: %w", err)
		}
		if ok { // a live replica may hold an id the sequence wrapped back to
			db.instance, db.life = id, conn
			return nil
		}
	}
}

// Close closes the store: its leases are given back and the rows it had
// claimed and not finished become rows that ResetInflight of another
// replica returns to pending. Closing twice is harmless.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	conns := []*pgx.Conn{db.life}
	for c := range db.leases {
		conns = append(conns, c)
	}
	db.leases = nil
	db.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, c := range conns {
		errs = append(errs, endSession(ctx, c))
	}
	db.pool.Close()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("postgres: close: %w", err)
	}
	return nil
}

// endSession gives back the advisory locks held on a dedicated connection
// and closes it. Unlocking first makes the locks free when it returns;
// closing alone frees them only once the server notices.
func endSession(ctx context.Context, c *pgx.Conn) error {
	_, uerr := c.Exec(ctx, `SELECT pg_advisory_unlock_all()`)
	if err := c.Close(ctx); err != nil {
		return err
	}
	return uerr
}

// now returns the store's clock reading in UTC, to the microsecond.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// ts prepares a time for a timestamptz parameter: UTC, to the microsecond
// (as PostgreSQL keeps it).
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// fromNullTS reads a nullable timestamp: NULL is the zero time.
func fromNullTS(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// clean makes s storable as PostgreSQL text: valid UTF-8 without NUL.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}

// notFound maps pgx.ErrNoRows to store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// Analyze refreshes PostgreSQL's statistics of the store's tables, which
// the planner relies on (Search in particular). The server's autovacuum
// does it in time; call it after storing many documents at once.
func (db *DB) Analyze(ctx context.Context) error {
	if _, err := db.pool.Exec(ctx, `ANALYZE documents, doc_places, doc_sketches, outbox`); err != nil {
		return fmt.Errorf("postgres: analyze: %w", err)
	}
	return nil
}
