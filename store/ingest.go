package store

import (
	"context"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
)

// Ingest stores what a scan reads, in batches: one transaction for many
// documents and the files that held them.
type Ingest interface {
	// PutDocuments stores docs, then records files, in one transaction: a
	// file is never recorded as read without its documents. A document
	// whose ID is stored (an exact duplicate, also within docs) adds its
	// paths to the stored one; created[i] says whether docs[i] was new.
	PutDocuments(ctx context.Context, docs []corpus.Document, files []FileState) (created []bool, err error)
	// EachFileState calls fn with every recorded file whose path starts
	// with prefix, in path order, so a scan compares a whole folder with
	// one read. An error from fn stops it and is returned.
	EachFileState(ctx context.Context, prefix string, fn func(FileState) error) error
	// EachFileStamp is EachFileState reading only what a scan compares:
	// each recorded file's path, size and modification time (zero when
	// none was recorded), in the byte order of the paths (the order of Go's
	// string comparison), so a caller may use a record before the last has
	// arrived. An error from fn stops it and is returned.
	EachFileStamp(ctx context.Context, prefix string, fn func(path string, size int64, mod time.Time) error) error
}

// Writer runs the engine's work on a batch of documents as one
// transaction.
type Writer interface {
	// Write runs fn in one write transaction and commits when fn returns
	// nil; when fn returns an error nothing it wrote is kept, and Write
	// returns that error. fn must not keep tx after it returns.
	Write(ctx context.Context, fn func(tx Tx) error) error
}

// Tx is one write transaction: the parts of the store the engine reads and
// writes while it records what it decided for a batch of documents. Reads
// through a Tx see what it wrote.
type Tx interface {
	DocumentWriter
	Copies
	StoryPlacer
	OutboxWriter
	ReplyWriter
	State
	// RecordMuted records that a mute kept a report from a channel, as
	// Mutes.RecordMuted does.
	RecordMuted(ctx context.Context, r MutedReport) error
	// Followers returns the follows of a story, as Follows.Followers does.
	Followers(ctx context.Context, story int64) ([]Follow, error)
}

// DocumentWriter records what the engine found in stored documents.
type DocumentWriter interface {
	// SetAnalysis replaces the regions and rule matches of document id.
	SetAnalysis(ctx context.Context, id string, a corpus.Analysis) error
	// SetSketch records the copy-detection sketch of document id as the
	// newest one: RecentSketches returns sketches in the order they were
	// set. Setting it again replaces it and makes it the newest.
	SetSketch(ctx context.Context, id string, sketch []byte) error
	// MarkProcessed records that the engine finished with document id, or
	// returns ErrNotFound.
	MarkProcessed(ctx context.Context, id string) error
}

// Sketches gives back the copy-detection sketches that the engine
// recorded, so that a starting process rebuilds its index of recent
// documents without reading their texts.
type Sketches interface {
	// RecentSketches calls fn with the n sketches set last, oldest first,
	// each with its document's publication time. An error from fn stops it
	// and is returned.
	RecentSketches(ctx context.Context, n int, fn func(docID string, published time.Time, sketch []byte) error) error
	// UnsketchedDocuments returns up to limit processed documents that
	// have no sketch (stored before sketches were kept), the most recently
	// stored first.
	UnsketchedDocuments(ctx context.Context, limit int) ([]corpus.Document, error)
}

// StoryPlacer puts documents in stories.
type StoryPlacer interface {
	StoryReader
	// Place puts a document in a story of p.Rule, in one transaction:
	//   - a document already in a story of the rule stays there (Member);
	//   - a copy whose original is in a story of the rule joins it (Copy);
	//   - otherwise it joins the story of p.Rule and p.Key whose
	//     [First-Window, Last+Window] holds p.Published, the one whose Last
	//     is nearest when several do (Joined);
	//   - otherwise it opens a new story that it leads (Opened), created at
	//     p.CreatedAt (the store's clock when zero).
	// The story's First and Last widen to p.Published. A story is unique
	// by (rule, key, lead document), and placements of one rule and key
	// are serialised, so no two placements, in any processes, open two
	// stories for one document or for one rule, key and window.
	Place(ctx context.Context, p Placement) (Placed, error)
}

// Placement is a document to put in a story.
type Placement struct {
	Rule string
	// Key groups the documents of a story (a place's admin1 code, or
	// "doc:" and the document's ID); KeyName is its display name.
	Key, KeyName string
	DocID        string
	Published    time.Time
	// CopyOf is the original when the document is a near-copy.
	CopyOf string
	// Window is the rule's group window.
	Window    time.Duration
	CreatedAt time.Time
}

// Placed is where Place put a document, and how.
type Placed struct {
	Story Story
	How   PlacedHow
}

// PlacedHow says how a document came into its story.
type PlacedHow int

// How a document came into its story.
const (
	// Opened: it leads a new story.
	Opened PlacedHow = iota + 1
	// Joined: it is a later report of an open story.
	Joined
	// Copy: it copies a document of the story.
	Copy
	// Member: it was in the story already (processed again).
	Member
)

// Retention prunes what is older than the store needs to keep.
type Retention interface {
	// Prune deletes, in transactions of at most batch documents, the
	// processed documents published before cutoff with what hangs on them
	// (paths, search index rows, analysis, sketches, copy records, story
	// memberships), but not those of a story whose Last is at or after
	// cutoff or that has a row still to deliver; then the stories left
	// empty, and delivered or dead rows enqueued before cutoff whose story
	// is gone. The space they took is reused by later writes or given back
	// to the file system. After each transaction commits, deleted (when
	// not nil) receives the IDs of the documents it deleted, so caches of
	// documents (the copy index) can drop them.
	Prune(ctx context.Context, cutoff time.Time, batch int, deleted func(ids []string)) (Pruned, error)
	// DeleteStates deletes the named values (see State) whose keys start
	// with prefix and returns how many there were.
	DeleteStates(ctx context.Context, prefix string) (int, error)
}

// Pruned is what Prune deleted.
type Pruned struct {
	Documents int
	// Stories are the IDs of the stories deleted.
	Stories []int64
	// Rows is the number of outbox rows deleted.
	Rows int
}

// ReplyWriter adds reports to thread replies waiting to be sent.
type ReplyWriter interface {
	// AddReplyDoc adds doc to the reports of outbox row id while the row
	// is pending and reports whether it did: false when the row was
	// claimed, sent or dead meanwhile. Adding a document the row reports
	// already is a no-op that returns true. It costs the same however many
	// reports the row holds. It returns ErrNotFound when there is no row id.
	AddReplyDoc(ctx context.Context, id int64, doc string) (bool, error)
}

// Replies keeps the documents each thread reply reports, one row each.
type Replies interface {
	ReplyWriter
	// ReplyDocs returns the first limit documents that AddReplyDoc added
	// to row id, in the order they were added, and how many there are.
	ReplyDocs(ctx context.Context, id int64, limit int) (docs []string, total int, err error)
}
