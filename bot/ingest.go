package bot

import (
	"context"
	"fmt"
	"sync"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// IngestStore is what the Ingester writes to.
type IngestStore interface {
	store.Ingest
	store.State
}

// Ingester stores what sources read in batches: documents, the records of
// the files that held them, and the state of feeds. A batch is written in
// one transaction on a goroutine of its own while the sources read on, so
// parsing and writing use two processors. A file's record goes in the
// transaction of its last document, and a feed's state is written after
// the transaction that stored its items: a crash loses nothing, at most it
// makes a file or feed be read again. Its methods are safe for concurrent
// use; Flush makes everything handed over so far durable.
type Ingester struct {
	Store IngestStore
	// Batch is how many documents go in one transaction
	// (DefaultIngestBatch when zero).
	Batch int

	// flow guards the batch being filled and the writer's channels; it is
	// held while a full batch waits for the writer.
	flow   sync.Mutex
	cur    batch
	writes chan batch
	done   chan struct{}
	// mu guards what the writer reports: the first error and the counts
	// of documents stored new and of exact duplicates since the last Flush.
	mu             sync.Mutex
	err            error
	created, dupes int
}

type batch struct {
	docs   []corpus.Document
	files  []store.FileState
	states [][2]string
}

// DefaultIngestBatch is how many documents the Ingester stores in one
// transaction: larger batches than the engine's, as storing is where most
// of a scan's writing goes (and SQLite's full-text index writes a segment
// per transaction, which later merges cost).
const DefaultIngestBatch = 2048

func (in *Ingester) size() int {
	if in.Batch > 0 {
		return in.Batch
	}
	return DefaultIngestBatch
}

// Document hands over a document; it is stored with the batch it falls
// in. It returns the error of an earlier batch, if one failed.
func (in *Ingester) Document(ctx context.Context, d corpus.Document) error {
	in.flow.Lock()
	defer in.flow.Unlock()
	if err := in.failed(); err != nil {
		return err
	}
	in.cur.docs = append(in.cur.docs, d)
	if len(in.cur.docs) >= in.size() {
		in.sendLocked()
	}
	return nil
}

// File hands over the record of a file whose documents were all handed
// over; it is written with them.
func (in *Ingester) File(ctx context.Context, fs store.FileState) error {
	in.flow.Lock()
	defer in.flow.Unlock()
	if err := in.failed(); err != nil {
		return err
	}
	in.cur.files = append(in.cur.files, fs)
	if len(in.cur.files) >= in.size() {
		in.sendLocked()
	}
	return nil
}

// State hands over a named value (a feed's state) to write once the
// documents handed over before it are stored.
func (in *Ingester) State(ctx context.Context, key, value string) error {
	in.flow.Lock()
	defer in.flow.Unlock()
	if err := in.failed(); err != nil {
		return err
	}
	in.cur.states = append(in.cur.states, [2]string{key, value})
	return nil
}

// sendLocked (flow held) hands the current batch to the writer, starting
// it when needed; it waits while the writer still has a batch it has not
// started.
func (in *Ingester) sendLocked() {
	if len(in.cur.docs)+len(in.cur.files)+len(in.cur.states) == 0 {
		return
	}
	if in.writes == nil {
		in.writes, in.done = make(chan batch, 1), make(chan struct{})
		go in.writer(in.writes, in.done)
	}
	in.writes <- in.cur
	in.cur = batch{}
}

// drainLocked hands over the current batch and waits until the writer
// wrote everything; the write in progress ends on its own, even when the
// caller's context ends.
func (in *Ingester) drainLocked() {
	in.sendLocked()
	if in.writes != nil {
		close(in.writes)
		<-in.done
		in.writes, in.done = nil, nil
	}
}

// failed returns the error of a batch that failed, if one did.
func (in *Ingester) failed() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.err
}

// writer writes batches until writes is closed. After a failure it drops
// the batches that follow (their files and feeds are read again next
// time).
func (in *Ingester) writer(writes <-chan batch, done chan<- struct{}) {
	defer close(done)
	ctx := context.Background()
	for b := range writes {
		in.mu.Lock()
		failed := in.err != nil
		in.mu.Unlock()
		if failed {
			continue
		}
		err := in.write(ctx, b)
		in.mu.Lock()
		if err != nil && in.err == nil {
			in.err = err
		}
		in.mu.Unlock()
	}
}

func (in *Ingester) write(ctx context.Context, b batch) error {
	created, err := in.Store.PutDocuments(ctx, b.docs, b.files)
	if err != nil {
		return fmt.Errorf("storing %d documents: %w", len(b.docs), err)
	}
	n := 0
	for _, c := range created {
		if c {
			n++
		}
	}
	in.mu.Lock()
	in.created += n
	in.dupes += len(created) - n
	in.mu.Unlock()
	for _, kv := range b.states {
		if err := in.Store.SetState(ctx, kv[0], kv[1]); err != nil {
			return fmt.Errorf("recording %s: %w", kv[0], err)
		}
	}
	return nil
}

// Sync writes everything handed over and waits until it is stored; it
// returns the first error since the last Flush.
func (in *Ingester) Sync(ctx context.Context) error {
	in.flow.Lock()
	defer in.flow.Unlock()
	in.drainLocked()
	return in.failed()
}

// Flush is Sync, then it returns how many documents were stored new and
// how many were exact duplicates since the last Flush, and the first error
// since then; the Ingester is then ready for more.
func (in *Ingester) Flush(ctx context.Context) (created, dupes int, err error) {
	in.flow.Lock()
	defer in.flow.Unlock()
	in.drainLocked()
	in.mu.Lock()
	defer in.mu.Unlock()
	created, dupes, err = in.created, in.dupes, in.err
	in.created, in.dupes, in.err = 0, 0, nil
	return created, dupes, err
}
