package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// Source reads documents: a directory, a feed.
type Source interface {
	// Name identifies the source in logs.
	Name() string
	// Scan hands every new document to fn.
	Scan(ctx context.Context, fn corpus.Handler) error
}

// Scanner runs one pass over the sources: new documents are stored (exact
// duplicates once, with every path), then processed by the engine in order
// of publication.
type Scanner struct {
	Sources []Source
	// Feeds, when set, are fetched in the pass too, at the same time as
	// the sources are read, and waited for (`bot scan`). The running bot
	// leaves it nil: its FeedPoller fetches feeds apart from the scans.
	Feeds   *FeedPoller
	Engine  *Engine
	Log     *slog.Logger
	Metrics *Metrics
	// Writes, when set, learns from each pass whether the store took its
	// writes.
	Writes *StoreHealth

	mu   sync.Mutex
	last ScanReport
}

// ScanReport sums up a pass.
type ScanReport struct {
	At        time.Time
	New       int
	Dupes     int
	Processed int
	Errors    []string
	Outcomes  []Outcome
	// Skipped counts the files passed over, by reason (a corpus.SkipError
	// reason); Unreadable the files that could not be read and are tried
	// again next time.
	Skipped    map[string]int
	Unreadable int
}

// Scan runs one pass. A failing source is logged and the others still run;
// the error returned is the first failure of storing or processing.
func (s *Scanner) Scan(ctx context.Context) (ScanReport, error) {
	rep := ScanReport{At: s.Engine.Clock.Now()}
	var mu sync.Mutex // rep and storeErr, while feeds are fetched
	var storeErr error
	put := func(ctx context.Context, d corpus.Document) error {
		created, err := s.Engine.Store.PutDocument(ctx, d)
		if err != nil {
			err = fmt.Errorf("storing %s: %w", d.Path, err)
			mu.Lock()
			if storeErr == nil && ctx.Err() == nil {
				storeErr = err
			}
			mu.Unlock()
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if created {
			rep.New++
		} else {
			rep.Dupes++
		}
		return nil
	}
	var feedErrs []error
	feedsDone := make(chan struct{})
	if s.Feeds != nil {
		go func() {
			defer close(feedsDone)
			feedErrs = s.Feeds.FetchAll(ctx, put)
		}()
	} else {
		close(feedsDone)
	}
	for _, src := range s.Sources {
		err := src.Scan(ctx, put)
		if err != nil {
			if ctx.Err() != nil {
				<-feedsDone
				return rep, ctx.Err()
			}
			s.Log.Error("source failed; other sources go on", "source", src.Name(), "err", err)
			rep.Errors = append(rep.Errors, src.Name()+": "+err.Error())
			s.Metrics.Use().SourceErrors.Inc()
		}
		rep.addSkips(src)
	}
	<-feedsDone
	for _, err := range feedErrs {
		s.Log.Error("feed failed; other sources go on", "err", err)
		rep.Errors = append(rep.Errors, err.Error())
	}
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	outcomes, err := s.Engine.ProcessPending(ctx)
	rep.Outcomes = outcomes
	rep.Processed = len(outcomes)
	s.Metrics.Use().scanned(rep, err, s.Engine.Clock.Now())
	s.recordWrites(ctx, rep, storeErr, err)
	s.mu.Lock()
	s.last = rep
	s.last.Outcomes = nil // the caller has them; keep no bodies around
	s.mu.Unlock()
	level := slog.LevelDebug
	attrs := []any{"new", rep.New, "duplicates", rep.Dupes, "processed", rep.Processed}
	if sum := rep.SkipSummary(); sum != "" {
		attrs = append(attrs, "skipped", sum)
	}
	if rep.New > 0 || rep.Processed > 0 || len(attrs) > 6 {
		level = slog.LevelInfo
	}
	s.Log.Log(ctx, level, "scan done", attrs...)
	if storeErr != nil {
		return rep, storeErr
	}
	return rep, err
}

// recordWrites tells Writes how the pass's writes went: failed when a
// document could not be stored (storeErr) or processed (processErr), went
// through when the pass wrote something without error. A pass that had
// nothing to write says nothing.
func (s *Scanner) recordWrites(ctx context.Context, rep ScanReport, storeErr, processErr error) {
	if s.Writes == nil || ctx.Err() != nil {
		return
	}
	now := s.Engine.Clock.Now()
	switch {
	case storeErr != nil:
		s.Writes.Record(storeErr, now)
	case processErr != nil:
		s.Writes.Record(processErr, now)
	case rep.New+rep.Dupes+rep.Processed > 0:
		s.Writes.Record(nil, now)
	}
}

// Last returns the report of the last pass.
func (s *Scanner) Last() ScanReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// DirSource adapts corpus.DirSource, keeping its seen-state in the store.
type DirSource struct {
	Dir  corpus.DirSource
	last corpus.Stats
}

// NewDirSource reads root, recording files in st.
func NewDirSource(root string, st store.FileStates, p corpus.Parser) *DirSource {
	return &DirSource{Dir: corpus.DirSource{Root: root, Seen: SeenStore{st}, Parser: p}}
}

// Name is "dir:" and the root.
func (d *DirSource) Name() string { return "dir:" + d.Dir.Root }

// Scan reads new and changed files.
func (d *DirSource) Scan(ctx context.Context, fn corpus.Handler) error {
	st, err := d.Dir.Scan(ctx, fn)
	d.last = st
	return err
}

// SeenStore keeps corpus file state in the store.
type SeenStore struct{ Store store.FileStates }

// FileSeen implements corpus.SeenStore.
func (s SeenStore) FileSeen(ctx context.Context, path string) (int64, time.Time, bool, error) {
	fs, err := s.Store.FileState(ctx, path)
	if errors.Is(err, store.ErrNotFound) {
		return 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, time.Time{}, false, err
	}
	return fs.Size, fs.ModTime, true, nil
}

// MarkFile implements corpus.SeenStore.
func (s SeenStore) MarkFile(ctx context.Context, path string, size int64, mod time.Time, docID, skipped string) error {
	return s.Store.SetFileState(ctx, store.FileState{Path: path, Size: size, ModTime: mod, DocID: docID, Skipped: skipped})
}

var _ corpus.SeenStore = SeenStore{}
