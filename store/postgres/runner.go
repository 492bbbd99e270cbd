package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wirewatch/wirewatch/store"
)

// runner runs statements on the pool, or in one transaction. In the
// engine's transaction (Write), writes whose result nobody waits for are
// queued and sent together, in one round trip, before the next read or the
// commit: a batch of documents costs a few round trips, not several per
// document. The per-document writes of a transaction (analyses, sketches,
// copies, processed marks) are held and go as one statement of arrays a
// kind (see held). pgx prepares and caches every statement per connection.
type runner struct {
	db *DB
	tx pgx.Tx
	// queue holds the writes not sent yet (nil outside Write).
	queue *pgx.Batch
	// held holds the per-document writes not made into statements yet
	// (nil outside a transaction).
	held *held
}

// exec runs a statement now.
func (r *runner) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if r.tx == nil {
		return r.db.pool.Exec(ctx, sql, args...)
	}
	if err := r.flush(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return r.tx.Exec(ctx, sql, args...)
}

// later runs a write whose result only check looks at (check may be nil):
// queued in the engine's transaction, now otherwise.
func (r *runner) later(ctx context.Context, check func(pgconn.CommandTag) error, sql string, args ...any) error {
	if r.queue == nil {
		tag, err := r.exec(ctx, sql, args...)
		if err == nil && check != nil {
			err = check(tag)
		}
		return err
	}
	if err := r.release(ctx); err != nil {
		return err
	}
	q := r.queue.Queue(sql, args...)
	if check != nil {
		q.Exec(check)
	}
	return nil
}

// send runs a statement of the transaction whose rows only check reads
// (check may be nil): queued in the engine's transaction, now otherwise.
// Unlike later it does not release the held writes: it is how they are
// written.
func (r *runner) send(ctx context.Context, check func(pgx.Rows) error, sql string, args ...any) error {
	if r.queue != nil {
		q := r.queue.Queue(sql, args...)
		if check != nil {
			q.Query(check)
		}
		return nil
	}
	rows, err := r.tx.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if check != nil {
		if err := check(rows); err != nil {
			return err
		}
	}
	rows.Close()
	return rows.Err()
}

// release makes the held writes into statements: queued in the engine's
// transaction, run now otherwise.
func (r *runner) release(ctx context.Context) error {
	if r.held == nil || r.held.empty() {
		return nil
	}
	h := *r.held
	*r.held = held{}
	return h.write(ctx, r)
}

// flush sends the held and queued writes.
func (r *runner) flush(ctx context.Context) error {
	if err := r.release(ctx); err != nil {
		return err
	}
	if r.queue == nil || r.queue.Len() == 0 {
		return nil
	}
	b := r.queue
	r.queue = &pgx.Batch{}
	return r.tx.SendBatch(ctx, b).Close()
}

func (r *runner) query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if r.tx == nil {
		return r.db.pool.Query(ctx, sql, args...)
	}
	if err := r.flush(ctx); err != nil {
		return nil, err
	}
	return r.tx.Query(ctx, sql, args...)
}

func (r *runner) queryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if r.tx == nil {
		return r.db.pool.QueryRow(ctx, sql, args...)
	}
	if err := r.flush(ctx); err != nil {
		return errRow{err}
	}
	return r.tx.QueryRow(ctx, sql, args...)
}

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

// inTx runs fn in a transaction: r's own when it has one, else a new one
// that writes what fn held and commits when fn returns nil.
func (r *runner) inTx(ctx context.Context, fn func(r *runner) error) error {
	if r.tx != nil {
		return fn(r)
	}
	return pgx.BeginFunc(ctx, r.db.pool, func(tx pgx.Tx) error {
		r := &runner{db: r.db, tx: tx, held: &held{}}
		if err := fn(r); err != nil {
			return err
		}
		return r.flush(ctx)
	})
}

// Write runs fn in one transaction, committing when it returns nil.
func (db *DB) Write(ctx context.Context, fn func(tx store.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		r := &runner{db: db, tx: tx, queue: &pgx.Batch{}, held: &held{}}
		if err := fn(&Tx{r}); err != nil {
			return err
		}
		if err := r.flush(ctx); err != nil {
			return fmt.Errorf("postgres: write: %w", err)
		}
		return nil
	})
}

// Tx is a transaction of the store; see store.Tx.
type Tx struct{ *runner }

var (
	_ store.Tx     = (*Tx)(nil)
	_ store.Writer = (*DB)(nil)
)

// isNoRows reports whether err says a query found no row.
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// tx runs fn in a new transaction, committing when it returns nil.
func (db *DB) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}
