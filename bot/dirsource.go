package bot

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// DirSource adapts corpus.DirSource: files are compared with the records
// of the store, read in one query beside the walk, and recorded through the Ingester with
// their documents. The records stay in memory between passes (a size and a
// time per file), so a pass over a folder where nothing changed reads
// nothing from the store and no file: it lists the folders and compares
// each file's size and modification time. They are read again from the
// store after a pass whose writes failed or were not confirmed (see
// PassDone).
type DirSource struct {
	Root   string
	Parser corpus.Parser
	Files  store.Ingest
	Ingest *Ingester
	// All reads every file again, whatever was recorded.
	All  bool
	last corpus.Stats

	mu sync.Mutex
	// known are the records of the files under Root as stored (nil: not
	// read yet, or no longer to be trusted); marked are those handed to
	// the Ingester in the pass not yet confirmed.
	known  map[string]fileRecord
	marked []store.FileState
	// loading is the read of the records under way beside a pass (nil
	// outside one, or when known was complete).
	loading *recordLoad
}

// fileRecord is what a pass compares of a file.
type fileRecord struct {
	size int64
	mod  time.Time
}

// NewDirSource reads root, recording files in st through in.
func NewDirSource(root string, st store.Ingest, in *Ingester, p corpus.Parser) *DirSource {
	// The walk names files under the cleaned root (a leading "./" or a
	// trailing slash dropped), and the records are looked up by that prefix.
	return &DirSource{Root: filepath.Clean(root), Parser: p, Files: st, Ingest: in}
}

// Name is "dir:" and the root.
func (d *DirSource) Name() string { return "dir:" + d.Root }

// Scan reads new and changed files. When the records must be read from
// the store, they are read beside the walk (see recordLoad).
func (d *DirSource) Scan(ctx context.Context, fn corpus.Handler) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var cancel context.CancelFunc
	d.loading = nil
	if d.All {
		d.known = map[string]fileRecord{}
	} else if d.known == nil || len(d.marked) > 0 {
		d.known = nil
		var lctx context.Context
		lctx, cancel = context.WithCancel(ctx)
		defer cancel()
		d.loading = startLoad(lctx, d.Files, d.Root)
	}
	d.marked = d.marked[:0]
	src := corpus.DirSource{Root: d.Root, Seen: (*dirSeen)(d), Parser: d.Parser}
	st, err := src.Scan(ctx, fn)
	d.last = st
	if d.loading != nil {
		if err != nil {
			cancel() // the pass failed: the records would not be trusted
		}
		known, lerr := d.loading.wait()
		d.loading = nil
		if lerr == nil && err == nil {
			d.known = known
		}
		if err == nil {
			err = lerr
		}
	}
	if d.All {
		d.known, d.marked = nil, nil
	}
	return err
}

// PassDone tells the source whether the pass that read it stored
// everything it handed over: when it did, the files recorded in it join
// the records in memory; otherwise the next pass reads the records from
// the store again.
func (d *DirSource) PassDone(stored bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !stored || d.known == nil {
		d.known, d.marked = nil, nil
		return
	}
	for _, fs := range d.marked {
		d.known[fs.Path] = fileRecord{size: fs.Size, mod: fs.ModTime}
	}
	d.marked = d.marked[:0]
}

// recordLoad reads the records of the files under a root from the store
// beside the walk that compares the files with them. The records arrive
// in the byte order of their paths (store.Ingest.EachFileStamp), so once
// the read passed a path, every record up to it is in known: the walk
// compares a file as soon as that holds, and waits only when it runs
// ahead of the read.
type recordLoad struct {
	mu sync.Mutex
	// more is signalled when records arrive or the read ends.
	more  *sync.Cond
	known map[string]fileRecord
	upto  string // the last path read
	done  bool
	err   error
}

// loadBatch is how many records the read adds to known at a time.
const loadBatch = 512

// startLoad starts reading the records under root from files.
func startLoad(ctx context.Context, files store.Ingest, root string) *recordLoad {
	l := &recordLoad{known: map[string]fileRecord{}}
	l.more = sync.NewCond(&l.mu)
	go l.run(ctx, files, root)
	return l
}

// run reads the records, adding them to known a batch at a time.
func (l *recordLoad) run(ctx context.Context, files store.Ingest, root string) {
	type record struct {
		path string
		rec  fileRecord
	}
	batch := make([]record, 0, loadBatch)
	flush := func() {
		l.mu.Lock()
		for _, r := range batch {
			l.known[r.path] = r.rec
		}
		if len(batch) > 0 {
			l.upto = batch[len(batch)-1].path
		}
		l.mu.Unlock()
		l.more.Broadcast()
		batch = batch[:0]
	}
	err := files.EachFileStamp(ctx, root, func(path string, size int64, mod time.Time) error {
		batch = append(batch, record{path, fileRecord{size: size, mod: mod}})
		if len(batch) == loadBatch {
			flush()
		}
		return nil
	})
	flush()
	l.mu.Lock()
	l.done = true
	if err != nil {
		l.err = fmt.Errorf("reading the records of %s: %w", root, err)
	}
	l.mu.Unlock()
	l.more.Broadcast()
}

// seen returns the record of path, waiting until the read passed it.
func (l *recordLoad) seen(path string) (int64, time.Time, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.done && l.upto < path {
		l.more.Wait()
	}
	if l.err != nil {
		return 0, time.Time{}, false, l.err
	}
	r, ok := l.known[path]
	return r.size, r.mod, ok, nil
}

// wait waits for the read to end and returns the records.
func (l *recordLoad) wait() (map[string]fileRecord, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.done {
		l.more.Wait()
	}
	return l.known, l.err
}

// dirSeen is the corpus.SeenStore of a DirSource's pass (mu held).
type dirSeen DirSource

// FileSeen implements corpus.SeenStore.
func (s *dirSeen) FileSeen(_ context.Context, path string) (int64, time.Time, bool, error) {
	if s.loading != nil {
		return s.loading.seen(path)
	}
	r, ok := s.known[path]
	return r.size, r.mod, ok, nil
}

// MarkFile implements corpus.SeenStore: the record goes to the Ingester,
// to be written with the file's documents.
func (s *dirSeen) MarkFile(ctx context.Context, path string, size int64, mod time.Time, docID, skipped string) error {
	fs := store.FileState{Path: path, Size: size, ModTime: mod, DocID: docID, Skipped: skipped}
	if err := s.Ingest.File(ctx, fs); err != nil {
		return err
	}
	s.marked = append(s.marked, fs)
	return nil
}

var _ corpus.SeenStore = (*dirSeen)(nil)

// passConfirmer is a Source that keeps what it recorded in memory once the
// pass stored it (DirSource).
type passConfirmer interface {
	PassDone(stored bool)
}

// confirmPass tells each source that keeps records whether the pass stored
// everything.
func confirmPass(sources []Source, stored bool) {
	for _, src := range sources {
		if c, ok := src.(passConfirmer); ok {
			c.PassDone(stored)
		}
	}
}
