package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// DirSource adapts corpus.DirSource: files are compared with the records
// of the store, read in one query, and recorded through the Ingester with
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
}

// fileRecord is what a pass compares of a file.
type fileRecord struct {
	size int64
	mod  time.Time
}

// NewDirSource reads root, recording files in st through in.
func NewDirSource(root string, st store.Ingest, in *Ingester, p corpus.Parser) *DirSource {
	return &DirSource{Root: root, Parser: p, Files: st, Ingest: in}
}

// Name is "dir:" and the root.
func (d *DirSource) Name() string { return "dir:" + d.Root }

// Scan reads new and changed files.
func (d *DirSource) Scan(ctx context.Context, fn corpus.Handler) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.All {
		d.known = map[string]fileRecord{}
	} else if d.known == nil || len(d.marked) > 0 {
		if err := d.load(ctx); err != nil {
			return err
		}
	}
	d.marked = d.marked[:0]
	src := corpus.DirSource{Root: d.Root, Seen: (*dirSeen)(d), Parser: d.Parser}
	st, err := src.Scan(ctx, fn)
	d.last = st
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

// load reads the records of the files under Root from the store.
func (d *DirSource) load(ctx context.Context) error {
	known := map[string]fileRecord{}
	err := d.Files.EachFileState(ctx, d.Root, func(fs store.FileState) error {
		known[fs.Path] = fileRecord{size: fs.Size, mod: fs.ModTime}
		return nil
	})
	if err != nil {
		d.known = nil
		return fmt.Errorf("reading the records of %s: %w", d.Root, err)
	}
	d.known = known
	return nil
}

// dirSeen is the corpus.SeenStore of a DirSource's pass (mu held).
type dirSeen DirSource

// FileSeen implements corpus.SeenStore.
func (s *dirSeen) FileSeen(_ context.Context, path string) (int64, time.Time, bool, error) {
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
