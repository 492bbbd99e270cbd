// Package store defines wirewatch's persistent state and the Store interface
// that the SQLite (store/sqlite) and PostgreSQL (store/postgres) backends
// implement. Both pass the conformance suite in store/storetest.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
)

// ErrNotFound is returned when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// Store is everything wirewatch keeps between runs: every part below. Only
// the code that wires the bot together holds a Store; each consumer asks for
// the parts it uses. All methods are safe for concurrent use. Times are
// stored and returned in UTC.
type Store interface {
	FileStates
	Documents
	Ingest
	Writer
	Sketches
	Queries
	Copies
	Stories
	StoryPlacer
	Outbox
	Replies
	Retention
	State
	Subscriptions
	Mutes
	Follows
	ActionRefs
	Nonces
	// Close releases the store.
	Close() error
}

// FileStates remembers the corpus files read, so an unchanged file is not
// read again, across restarts too.
type FileStates interface {
	// FileState returns what was recorded for a corpus file, or ErrNotFound.
	FileState(ctx context.Context, path string) (FileState, error)
	// SetFileState records that a file was read (or skipped) in this state.
	SetFileState(ctx context.Context, fs FileState) error
}

// DocumentReader reads stored documents and what the rules found in them.
type DocumentReader interface {
	// Document returns the document with this ID, with all its Paths, or
	// ErrNotFound.
	Document(ctx context.Context, id string) (corpus.Document, error)
	// Analysis returns what SetAnalysis stored for document id (empty when
	// nothing was stored).
	Analysis(ctx context.Context, id string) (corpus.Analysis, error)
}

// Documents stores documents and their analyses and tracks which ones the
// engine has processed.
type Documents interface {
	DocumentReader
	// PutDocument stores d, or when a document with d.ID exists, adds
	// d.Path to its paths (exact duplicates are stored once). created is
	// true when d was new.
	PutDocument(ctx context.Context, d corpus.Document) (created bool, err error)
	// SetAnalysis replaces the regions and rule matches of document id.
	SetAnalysis(ctx context.Context, id string, a corpus.Analysis) error
	// Pending returns documents stored but not yet marked processed, in
	// order of publication (then ID), at most limit.
	Pending(ctx context.Context, limit int) ([]corpus.Document, error)
	// PendingAfter returns, like Pending, documents not yet marked
	// processed, those after (published, id) in that order: a cursor that
	// pages through them while earlier pages are being processed.
	PendingAfter(ctx context.Context, published time.Time, id string, limit int) ([]corpus.Document, error)
	// MarkProcessed records that the engine finished with document id.
	MarkProcessed(ctx context.Context, id string) error
}

// Queries finds documents for /latest and /search.
type Queries interface {
	// Latest returns the newest documents (by Published, then ID) tagged with
	// any place the filter names, at most limit.
	Latest(ctx context.Context, f RegionFilter, limit int) ([]Hit, error)
	// Search returns the newest documents whose title or body contain all
	// the words of query (full-text search), at most limit.
	Search(ctx context.Context, query string, limit int) ([]Hit, error)
}

// Copies records which document is a near-copy of which.
type Copies interface {
	// SetCopyOf records that document id is a near-copy of original.
	SetCopyOf(ctx context.Context, id, original string) error
	// CopyOf returns the original of document id, or "" when it is none's copy.
	CopyOf(ctx context.Context, id string) (string, error)
}

// StoryReader reads stories and their members.
type StoryReader interface {
	// Story returns a story by ID, or ErrNotFound.
	Story(ctx context.Context, id int64) (Story, error)
	// StoryMembers returns a story's documents ordered by Published, DocID.
	StoryMembers(ctx context.Context, storyID int64) ([]StoryMember, error)
	// Stories returns the stories of the given rules (all rules when empty)
	// whose Last or CreatedAt falls in [since, until) (new reports, or
	// stories the bot first saw then), newest Last first, at most limit.
	Stories(ctx context.Context, rules []string, since, until time.Time, limit int) ([]Story, error)
	// StoriesOf returns the stories document docID belongs to.
	StoriesOf(ctx context.Context, docID string) ([]Story, error)
}

// Stories groups documents into stories.
type Stories interface {
	StoryReader
	// FindStory returns the story of rule and key whose [First-window,
	// Last+window] contains t, the one with the nearest Last when several do,
	// or ErrNotFound.
	FindStory(ctx context.Context, rule, key string, t time.Time, window time.Duration) (Story, error)
	// CreateStory stores s (ID is assigned) and returns it.
	CreateStory(ctx context.Context, s Story) (Story, error)
	// AddToStory adds a document to a story and widens its First/Last to t.
	// Adding the same document twice is a no-op.
	AddToStory(ctx context.Context, storyID int64, m StoryMember) error
}

// OutboxWriter turns decisions into messages to send: rows enqueued once
// per key, a pending row's payload extended.
type OutboxWriter interface {
	// Enqueue adds r to the outbox unless a row with r.Key exists; inserted
	// reports which. The row starts pending, due at r.Due (now when zero).
	Enqueue(ctx context.Context, r OutboxRow) (inserted bool, err error)
	// UpdatePending replaces the payload of a row that is still pending
	// (not claimed, sent or dead) and reports whether it did. The engine uses
	// it to fold a burst of reports into one thread reply.
	UpdatePending(ctx context.Context, id int64, payload []byte) (bool, error)
	// OutboxRow returns the row with this key, or ErrNotFound.
	OutboxRow(ctx context.Context, key string) (OutboxRow, error)
}

// OutboxQueue is the delivery side of the outbox: due rows are claimed,
// sent and marked.
type OutboxQueue interface {
	// OutboxHeads returns the next row to send to each channel (transport
	// and channel) that has no row being sent: among the oldest open row
	// of each of its stories (rows neither sent nor dead), those pending
	// and due at or before now, the first by due time, then id. Most
	// overdue first, at most limit. Rows of one story in one channel are
	// thus sent strictly in order, a channel's stories in the order they
	// fell due, and a row waiting to be due holds up only its own story.
	OutboxHeads(ctx context.Context, now time.Time, limit int) ([]OutboxRow, error)
	// ClaimOutbox marks a pending row as sending and counts the attempt.
	// It returns false when another worker holds it or it is no longer
	// pending.
	ClaimOutbox(ctx context.Context, id int64, now time.Time) (bool, error)
	// OutboxRow returns the row with this key, or ErrNotFound.
	OutboxRow(ctx context.Context, key string) (OutboxRow, error)
	// MarkSent records a delivered row and the platform's id for it.
	MarkSent(ctx context.Context, id int64, remoteID string, at time.Time) error
	// MarkRetry returns a row to pending, due at next, with the error seen.
	MarkRetry(ctx context.Context, id int64, next time.Time, lastErr string) error
	// MarkDead moves a row to the dead-letter state with the error seen.
	MarkDead(ctx context.Context, id int64, lastErr string) error
	// ResetInflight returns rows left sending (by a process that died) to
	// pending, with UnknownOutcome(claim time, InterruptedSend) as their
	// last error, and returns how many there were.
	ResetInflight(ctx context.Context) (int, error)
}

// OutboxReports sums the outbox up for /status, readiness and metrics.
type OutboxReports interface {
	// OutboxStats counts rows by state.
	OutboxStats(ctx context.Context) (map[OutboxState]int, error)
	// DeadRows returns up to limit dead-lettered rows, newest first.
	DeadRows(ctx context.Context, limit int) ([]OutboxRow, error)
	// OutboxBacklog says, for each transport with rows to send, how many
	// wait and since when the oldest of those due by now has waited.
	OutboxBacklog(ctx context.Context, now time.Time) (map[string]Backlog, error)
}

// Outbox is every message to send, from the decision to the delivery.
type Outbox interface {
	OutboxWriter
	OutboxQueue
	OutboxReports
	OutboxChannels
}

// State keeps named values between runs: cursors, offsets, feed
// validators, which row carries which document.
type State interface {
	// GetState returns a named value (a cursor, an offset) or ErrNotFound.
	GetState(ctx context.Context, key string) (string, error)
	// SetState stores a named value.
	SetState(ctx context.Context, key, value string) error
}

// Subscriptions are the channels' digest subscriptions.
type Subscriptions interface {
	// Subscribe adds or replaces a digest subscription of a channel.
	Subscribe(ctx context.Context, s Subscription) error
	// Unsubscribe removes it; ErrNotFound when there was none.
	Unsubscribe(ctx context.Context, transport, channel, digest string) error
	// Subscriptions lists all subscriptions ordered by digest, transport, channel.
	Subscriptions(ctx context.Context) ([]Subscription, error)
}

// Leaser grants named, exclusive leases, so that among several processes
// sharing one store a single one runs a job such as the digest schedule or
// Telegram polling. The PostgreSQL store implements it with advisory locks;
// the SQLite store with an OS file lock beside the database file, which
// every process opening that file sees.
type Leaser interface {
	// TryLease takes the lease called name when nobody holds it and reports
	// whether it did. It does not wait. release gives the lease back; it is
	// never nil and is safe to call more than once. A lease is also given
	// back when the store that took it is closed or its process ends.
	TryLease(ctx context.Context, name string) (release func(), ok bool, err error)
}

// LeaseChecker is implemented by stores whose leases can be lost without
// being released (a PostgreSQL session that ends takes its lock with it;
// SQLite's file lock lasts as long as its process and it does not
// implement this):
// HoldsLease reports whether this handle still holds the lease called name,
// so a holder can notice and step down.
type LeaseChecker interface {
	HoldsLease(ctx context.Context, name string) (bool, error)
}

// LeaseHolders is implemented by stores that can say who holds a lease,
// for the messages of the processes that wait.
type LeaseHolders interface {
	// LeaseHolder describes the holder of the lease called name, e.g.
	// "process 1234 (lock file /data/wirewatch.db.wirewatch-leader.lock)",
	// or returns "" when it cannot tell.
	LeaseHolder(ctx context.Context, name string) string
}
