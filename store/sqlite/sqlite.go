// Package sqlite implements store.Store on one SQLite file, through the pure
// Go driver modernc.org/sqlite: WAL journal, FTS5 full-text search, no
// server to run.
//
// Several processes may open one file (a standby `bot run`, a command
// beside it); the leader lease (TryLease, an OS file lock) lets one of them
// write what the schedule produces. Times are kept to the microsecond in UTC,
// except FileState.ModTime, kept to the nanosecond so that it compares equal
// to the file system's.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/wirewatch/wirewatch/store"
)

// DB is a store on one SQLite file. Its methods are safe for concurrent
// use. Writes go through one connection, so they queue in the process
// rather than spin on SQLite's lock; reads use a pool of their own.
type DB struct {
	// Now is the clock the store stamps times with (the time a document
	// was stored, a row enqueued, a story created). Open sets it to
	// time.Now; tests replace it before using the store.
	Now func() time.Time

	path     string
	write    *sql.DB
	read     *sql.DB
	instance int64
	// unclaim gives back the lock that says this handle is open.
	unclaim func()
	leases  heldLeases
	// wstmts and rstmts are the statements prepared on each pool.
	wstmts, rstmts *stmtCache
	// runner runs the methods that a transaction (Tx) offers too, each in
	// a transaction of its own.
	*runner

	closeOnce sync.Once
	closeErr  error
}

var (
	_ store.Store  = (*DB)(nil)
	_ store.Leaser = (*DB)(nil)
)

// pragmas are set on every connection of both pools.
var pragmas = []string{
	// Pages freed by retention go back to the file system (a new file
	// only: an existing one keeps its mode and reuses its free pages).
	"auto_vacuum(INCREMENTAL)",
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
	// Statement journals (a multi-row INSERT has one) and sorts stay in
	// memory instead of temporary files written and read back.
	"temp_store(MEMORY)",
}

// writeCacheKiB is the page cache of the write connection: a batch of
// documents changes pages all over the tables and indexes, more than
// SQLite's default of 2 MiB holds, and pages evicted during a transaction
// are read back. A larger cache saved little more and cost its size in
// resident memory (docs/benchmarks/ingest.md).
const writeCacheKiB = 8 << 10

// walCheckpointPages is how many pages the write-ahead log holds before
// the writer copies them into the database file (SQLite's default is
// 1,000: 4 MB). A checkpoint costs the committing writer two fsyncs and a
// write of every page in the log, and a batch of documents is larger than
// 4 MB: at the default every batch paid a checkpoint, and pages written by
// several batches in a row (the pending list, the search index's merges)
// were copied each time. At 10,000 pages (40 MB) a scan of the Reuters
// corpus makes a third of the fsyncs (docs/benchmarks/ingest.md); the log
// stays that large on disk between checkpoints.
const walCheckpointPages = 10_000

// dsn returns the data source name that opens the file at the absolute
// path abs with the store's pragmas. Transactions on the write pool begin
// IMMEDIATE, so they take the write lock up front instead of failing to
// upgrade a read lock; the read pool cannot write at all.
func dsn(abs string, readOnly bool) string { return dsnWith(abs, readOnly, pragmas) }

// throwawayPragmas replace pragmas for a store that does not outlive its
// process: nothing is ever synced to disk, temporary tables and indexes
// stay in memory. WAL stays, so reads go on beside the writer.
var throwawayPragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	"synchronous(OFF)",
	"temp_store(MEMORY)",
}

func dsnWith(abs string, readOnly bool, pragmas []string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Set("_txlock", "deferred")
	} else {
		q.Set("_txlock", "immediate")
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -writeCacheKiB))
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walCheckpointPages))
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// Open opens the SQLite store at path, creating the file and its parent
// directory when missing, and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) { return open(ctx, path, pragmas) }

// OpenThrowaway opens a SQLite store at path, as Open does, for work whose
// results are thrown away with the file (a dry run): it never waits for
// the disk, so a crash or a power cut may leave the file unreadable.
func OpenThrowaway(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, throwawayPragmas)
}

func open(ctx context.Context, path string, pragmas []string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db := &DB{Now: time.Now, path: abs, instance: newInstance()}
	db.runner = &runner{db: db}
	if db.write, err = sql.Open("sqlite", dsnWith(abs, false, pragmas)); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	db.wstmts = newStmtCache(db.write)
	if err := db.migrate(ctx); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.fillSearchIndex(ctx); err != nil {
		db.wstmts.close()
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if db.read, err = sql.Open("sqlite", dsnWith(abs, true, pragmas)); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.rstmts = newStmtCache(db.read)
	readers := max(4, runtime.GOMAXPROCS(0))
	db.read.SetMaxOpenConns(readers)
	db.read.SetMaxIdleConns(readers)
	if err := db.read.PingContext(ctx); err != nil {
		db.write.Close()
		db.read.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if db.unclaim, err = holdClaims(ClaimsFile(abs), db.instance); err != nil {
		db.wstmts.close()
		db.rstmts.close()
		db.write.Close()
		db.read.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	live.add(db.instance)
	return db, nil
}

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// Close closes the store and gives back the leases it holds. Rows it had
// claimed and not finished become rows that ResetInflight of another
// handle returns to pending. Closing twice is harmless.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		live.remove(db.instance)
		db.unclaim()
		db.leases.releaseAll()
		db.closeErr = errors.Join(db.wstmts.close(), db.rstmts.close(), db.read.Close(), db.write.Close())
		if db.closeErr != nil {
			db.closeErr = fmt.Errorf("sqlite: close: %w", db.closeErr)
		}
	})
	return db.closeErr
}

// now returns the store's clock reading in UTC.
func (db *DB) now() time.Time { return db.Now().UTC() }

// newInstance returns a random positive id for a handle, an offset of the
// claims file that record locks reach.
func newInstance() int64 { return rand.Int64N(math.MaxInt64/2) + 1 }

// live holds the ids of the handles open in this process: ResetInflight
// leaves alone the rows they claimed (those of other processes' handles it
// learns from the claims file).
var live = instances{ids: map[int64]struct{}{}}

type instances struct {
	mu  sync.Mutex
	ids map[int64]struct{}
}

func (s *instances) add(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids[id] = struct{}{}
}

func (s *instances) remove(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ids, id)
}

// has reports whether the handle id is open in this process.
func (s *instances) has(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.ids[id]
	return ok
}

// micros converts t to the stored form of a time.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts a stored time back.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// fromNullMicros reads nullable microseconds: NULL is the zero time.
func fromNullMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicros(v.Int64)
}

// notFound maps sql.ErrNoRows to store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// fromNanos reads a time stored as Unix nanoseconds.
func fromNanos(ns int64) time.Time { return time.Unix(0, ns).UTC() }
