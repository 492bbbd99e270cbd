package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/wirewatch/wirewatch/store"
)

// runner runs statements, each prepared once and then reused: on the
// store's connections (writes on the write pool, reads on the read pool),
// or, when tx is set, in one write transaction whose reads see its writes.
// The same code thus serves a method that commits on its own and the
// engine's batch transaction.
type runner struct {
	db *DB
	tx *sql.Tx
	// stmts are the statements prepared in tx.
	stmts map[string]*sql.Stmt
	// defer_ holds the writes of tx made many rows at a time (see
	// deferred); flushing is set while they are written.
	defer_   *deferred
	flushing bool
}

// stmtCache holds the statements prepared on one pool. A statement first
// run in a transaction is prepared in it, and on the pool before the next
// transaction begins: preparing on the pool needs its connection, which the
// transaction holds.
type stmtCache struct {
	pool   *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// lookup returns the statement of query when it is prepared; otherwise
// it is prepared at the next prepareWanted.
func (c *stmtCache) lookup(query string) (*sql.Stmt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[query]
	if !ok {
		c.wanted[query] = true
	}
	return s, ok
}

// prepareWanted prepares the statements lookup missed. The caller must not
// hold a connection of the pool.
func (c *stmtCache) prepareWanted(ctx context.Context) error {
	c.mu.Lock()
	var queries []string
	for q := range c.wanted {
		queries = append(queries, q)
		delete(c.wanted, q)
	}
	c.mu.Unlock()
	for _, q := range queries {
		if _, err := c.get(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// get returns the statement of query, preparing it the first time. The
// mutex is not held while preparing: that waits for a connection of the
// pool, and the transaction holding it may be looking up a statement.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	s, ok := c.m[query]
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[query]; ok {
		s.Close() //nolint:errcheck // a duplicate prepared meanwhile
		return prev, nil
	}
	if c.m == nil { // closed meanwhile
		s.Close() //nolint:errcheck // the store is closing
		return nil, errors.New("store closed")
	}
	c.m[query] = s
	return s, nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, s := range c.m {
		errs = append(errs, s.Close())
	}
	c.m = nil
	return errors.Join(errs...)
}

// stmt returns the statement of query: prepared on the write pool and bound
// to tx, or on the pool that runs it.
func (r *runner) stmt(ctx context.Context, query string, write bool) (*sql.Stmt, error) {
	if r.tx == nil {
		if write {
			return r.db.wstmts.get(ctx, query)
		}
		return r.db.rstmts.get(ctx, query)
	}
	if s, ok := r.stmts[query]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if p, ok := r.db.wstmts.lookup(query); ok {
		s = r.tx.StmtContext(ctx, p)
	} else {
		var err error
		if s, err = r.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	r.stmts[query] = s
	return s, nil
}

func (r *runner) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := r.flush(ctx); err != nil {
		return nil, err
	}
	s, err := r.stmt(ctx, query, true)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (r *runner) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := r.flush(ctx); err != nil {
		return nil, err
	}
	s, err := r.stmt(ctx, query, false)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// queryRow runs a query of one row; a failure to prepare shows in Scan.
func (r *runner) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	if err := r.flush(ctx); err != nil {
		return errRow{err}
	}
	s, err := r.stmt(ctx, query, false)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

// writeRow runs a statement that writes and returns one row (RETURNING).
func (r *runner) writeRow(ctx context.Context, query string, args ...any) rowScanner {
	if err := r.flush(ctx); err != nil {
		return errRow{err}
	}
	s, err := r.stmt(ctx, query, true)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

type rowScanner interface{ Scan(...any) error }

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

// inTx runs fn in a write transaction: r's own when it has one, else a new
// one that commits when fn returns nil.
func (r *runner) inTx(ctx context.Context, fn func(r *runner) error) error {
	if r.tx != nil {
		return fn(r)
	}
	return r.db.write1(ctx, fn)
}

// write1 runs fn in a new write transaction, committing when it returns
// nil.
func (db *DB) write1(ctx context.Context, fn func(r *runner) error) error {
	if err := db.wstmts.prepareWanted(ctx); err != nil {
		return fmt.Errorf("preparing: %w", err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	r := &runner{db: db, tx: tx, stmts: map[string]*sql.Stmt{}, defer_: &deferred{}}
	err = fn(r)
	if err == nil {
		err = r.flush(ctx)
	}
	if err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Write runs fn in one write transaction, committing when it returns nil.
func (db *DB) Write(ctx context.Context, fn func(tx store.Tx) error) error {
	return db.write1(ctx, func(r *runner) error { return fn(&Tx{r}) })
}

// Tx is a write transaction of the store; see store.Tx.
type Tx struct{ *runner }

var (
	_ store.Tx     = (*Tx)(nil)
	_ store.Writer = (*DB)(nil)
)

// tx runs fn in a new write transaction, committing when it returns nil.
func (db *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.write1(ctx, func(r *runner) error { return fn(r.tx) })
}
