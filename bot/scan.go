package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
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
	// the sources are read, and waited for (`bot scan`); ObserveFeeds, when
	// set, sees each item they hand over. The running bot leaves Feeds nil:
	// its FeedPoller fetches feeds apart from the scans.
	Feeds        *FeedPoller
	ObserveFeeds func(corpus.Document)
	Engine       *Engine
	// Ingest stores what the sources read; the directory and feed sources
	// record their progress through it too.
	Ingest  *Ingester
	Log     *slog.Logger
	Metrics *Metrics
	// Each, when set, receives the outcome of every document processed,
	// in order of processing, once it is stored.
	Each func(Outcome)
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
	// Skipped counts the files passed over, by reason (a corpus.SkipError
	// reason); Unreadable the files that could not be read and are tried
	// again next time.
	Skipped    map[string]int
	Unreadable int
}

// Scan runs one pass. A failing source is logged and the others still run;
// the error returned is the first failure of storing or processing. Memory
// does not grow with the number of documents: they are stored in batches
// as they are read, processed in batches, and their outcomes handed to
// Each.
func (s *Scanner) Scan(ctx context.Context) (ScanReport, error) {
	rep := ScanReport{At: s.Engine.Clock.Now()}
	feedsDone := make(chan struct{})
	var feedNew, feedDupes int
	var feedErrs []error
	if s.Feeds != nil {
		go func() {
			defer close(feedsDone)
			feedNew, feedDupes, feedErrs = s.Feeds.FetchAll(ctx, s.ObserveFeeds)
		}()
	} else {
		close(feedsDone)
	}
	// The analyzer is prepared (the matcher's index built) as the first
	// document comes, on another processor while documents are stored; a
	// pass that finds nothing new never builds it.
	var once sync.Once
	handle := func(ctx context.Context, d corpus.Document) error {
		once.Do(func() { prepare(s.Engine.Analyzer) })
		return s.Ingest.Document(ctx, d)
	}
	for _, src := range s.Sources {
		err := src.Scan(ctx, handle)
		if err != nil {
			if ctx.Err() != nil {
				<-feedsDone
				s.Ingest.Flush(ctx) //nolint:errcheck // ending anyway
				confirmPass(s.Sources, false)
				return rep, ctx.Err()
			}
			s.Log.Error("source failed; other sources go on", "source", src.Name(), "err", err)
			rep.Errors = append(rep.Errors, src.Name()+": "+err.Error())
			s.Metrics.Use().SourceErrors.Inc()
		}
		rep.addSkips(src)
	}
	var storeErr error
	if rep.New, rep.Dupes, storeErr = s.Ingest.Flush(ctx); storeErr != nil {
		storeErr = fmt.Errorf("storing documents: %w", storeErr)
	}
	confirmPass(s.Sources, storeErr == nil)
	<-feedsDone
	rep.New, rep.Dupes = rep.New+feedNew, rep.Dupes+feedDupes
	for _, err := range feedErrs {
		s.Log.Error("feed failed; other sources go on", "err", err)
		rep.Errors = append(rep.Errors, err.Error())
	}
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	n, err := s.Engine.ProcessPending(ctx, s.Each)
	rep.Processed = n
	s.Metrics.Use().scanned(rep, err, s.Engine.Clock.Now())
	s.recordWrites(ctx, rep, storeErr, err)
	s.mu.Lock()
	s.last = rep
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

// recordWrites tells Writes how the pass's writes went: failed when
// documents could not be stored (storeErr) or processed (processErr), went
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
