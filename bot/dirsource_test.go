package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// noMatch matches nothing: documents are stored without alerts.
type noMatch struct{}

func (noMatch) Analyze(string) corpus.Analysis { return corpus.Analysis{} }

// countingStore counts the reads of file records, and fails the next
// PutDocuments while fail is set.
type countingStore struct {
	IngestStore
	loads atomic.Int32
	fail  atomic.Bool
}

func (s *countingStore) EachFileStamp(ctx context.Context, prefix string, fn func(string, int64, time.Time) error) error {
	s.loads.Add(1)
	return s.IngestStore.EachFileStamp(ctx, prefix, fn)
}

func (s *countingStore) PutDocuments(ctx context.Context, docs []corpus.Document, files []store.FileState) ([]bool, error) {
	if s.fail.Load() {
		return nil, errors.New("disk full")
	}
	return s.IngestStore.PutDocuments(ctx, docs, files)
}

func writeArticle(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDirSourceKeepsRecordsBetweenPasses: the scheduled passes of a
// running bot read the file records from the store once, see new and
// changed files without reading them again, and after a pass whose
// documents could not be stored, read the records again, so the files of
// that pass are read once more and nothing is lost.
func TestDirSourceKeepsRecordsBetweenPasses(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	f.engine.Analyzer = noMatch{}
	dir := t.TempDir()
	writeArticle(t, filepath.Join(dir, "a.txt"), "Alpha\n\nThe first article.")
	writeArticle(t, filepath.Join(dir, "sub", "b.txt"), "Beta\n\nThe second article.")
	cs := &countingStore{IngestStore: f.store}
	in := &Ingester{Store: cs}
	src := NewDirSource(dir, cs, in, corpus.Parser{Logger: slog.New(slog.DiscardHandler)})
	sc := &Scanner{Sources: []Source{src}, Engine: f.engine, Ingest: in, Log: slog.New(slog.DiscardHandler)}
	pass := func(wantNew, wantRead, wantUnchanged int) {
		t.Helper()
		rep, err := sc.Scan(ctx)
		if err != nil {
			t.Fatalf("scan: %v", err)
		}
		st := src.LastStats()
		if rep.New != wantNew || st.Read != wantRead || st.Unchanged != wantUnchanged {
			t.Fatalf("pass: %d new, %d read, %d unchanged; want %d, %d, %d", rep.New, st.Read, st.Unchanged,
				wantNew, wantRead, wantUnchanged)
		}
	}
	pass(2, 2, 0)
	pass(0, 0, 2)
	writeArticle(t, filepath.Join(dir, "sub", "deeper", "c.txt"), "Gamma\n\nA third article.")
	writeArticle(t, filepath.Join(dir, "a.txt"), "Alpha\n\nThe first article, and a longer second version.")
	pass(2, 2, 1)
	pass(0, 0, 3)
	if n := cs.loads.Load(); n != 1 {
		t.Errorf("file records read from the store %d times, want once", n)
	}

	writeArticle(t, filepath.Join(dir, "d.txt"), "Delta\n\nA fourth article.")
	cs.fail.Store(true)
	if _, err := sc.Scan(ctx); err == nil {
		t.Fatal("scan with a failing store: no error")
	}
	cs.fail.Store(false)
	pass(1, 1, 3)
	if n := cs.loads.Load(); n != 2 {
		t.Errorf("file records read from the store %d times, want twice (again after the failed pass)", n)
	}
}

// trickleStore hands over the file records slowly, a few at a time, so a
// pass's walk runs ahead of them, and fails after failAfter records while
// failAfter is positive.
type trickleStore struct {
	IngestStore
	failAfter atomic.Int32
}

func (s *trickleStore) EachFileStamp(ctx context.Context, prefix string, fn func(string, int64, time.Time) error) error {
	n := int32(0)
	return s.IngestStore.EachFileStamp(ctx, prefix, func(path string, size int64, mod time.Time) error {
		n++
		if f := s.failAfter.Load(); f > 0 && n > f {
			return errors.New("connection lost")
		}
		if n%50 == 0 {
			time.Sleep(time.Millisecond)
		}
		return fn(path, size, mod)
	})
}

// TestDirSourceReadsRecordsBesideTheWalk: the records are read from the
// store while the walk compares the files with them; a walk ahead of the
// read waits for the records of its files, so an unchanged folder reads
// nothing, and a read that fails half way fails the pass without reading
// any file, and the next pass reads the records again.
func TestDirSourceReadsRecordsBesideTheWalk(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	f.engine.Analyzer = noMatch{}
	dir := t.TempDir()
	const files = 700 // more than one batch of records
	for i := range files {
		writeArticle(t, filepath.Join(dir, fmt.Sprintf("d%d", i%3), fmt.Sprintf("a%03d.txt", i)),
			fmt.Sprintf("Headline %d\n\nArticle number %d of the folder.", i, i))
	}
	ts := &trickleStore{IngestStore: f.store}
	log := slog.New(slog.DiscardHandler)
	in := &Ingester{Store: ts}
	sc := &Scanner{Sources: []Source{NewDirSource(dir, ts, in, corpus.Parser{Logger: log})}, Engine: f.engine, Ingest: in, Log: log}
	if rep, err := sc.Scan(ctx); err != nil || rep.New != files {
		t.Fatalf("first scan: %+v, %v", rep, err)
	}
	// A new source, as a command's catch-up pass has: its records come
	// from the store.
	src := NewDirSource(dir, ts, in, corpus.Parser{Logger: log})
	sc.Sources = []Source{src}
	ts.failAfter.Store(files / 2)
	// The scanner reports a failed source and goes on with the others.
	if rep, err := sc.Scan(ctx); err != nil || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "connection lost") {
		t.Fatalf("pass whose records fail half way: errors %q, %v; want the store's", rep.Errors, err)
	}
	if st := src.LastStats(); st.Read != 0 {
		t.Fatalf("pass whose records failed read %d files, want none", st.Read)
	}
	ts.failAfter.Store(0)
	for range 2 {
		rep, err := sc.Scan(ctx)
		if err != nil {
			t.Fatalf("pass: %v", err)
		}
		if st := src.LastStats(); rep.New != 0 || st.Read != 0 || st.Unchanged != files {
			t.Fatalf("unchanged folder: %d new, %d read, %d unchanged; want 0, 0, %d", rep.New, st.Read, st.Unchanged, files)
		}
	}
}

// TestDirSourceRootAsWritten: a corpus folder given as "./corpus" or
// "corpus/" (the default is "./examples/corpus") finds the records of its
// files after a restart, so unchanged files are not read again.
func TestDirSourceRootAsWritten(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	f.engine.Analyzer = noMatch{}
	t.Chdir(t.TempDir())
	writeArticle(t, filepath.Join("corpus", "a.txt"), "Alpha\n\nThe first article.")
	writeArticle(t, filepath.Join("corpus", "sub", "b.txt"), "Beta\n\nThe second article.")
	log := slog.New(slog.DiscardHandler)
	for i, root := range []string{"./corpus", "./corpus", "corpus/", "corpus"} {
		in := &Ingester{Store: f.store}
		src := NewDirSource(root, f.store, in, corpus.Parser{Logger: log})
		sc := &Scanner{Sources: []Source{src}, Engine: f.engine, Ingest: in, Log: log}
		if _, err := sc.Scan(ctx); err != nil {
			t.Fatalf("scan of %q: %v", root, err)
		}
		st := src.LastStats()
		wantRead, wantUnchanged := 0, 2
		if i == 0 {
			wantRead, wantUnchanged = 2, 0
		}
		if st.Read != wantRead || st.Unchanged != wantUnchanged {
			t.Errorf("pass %d with root %q: %d read, %d unchanged; want %d, %d", i+1, root, st.Read, st.Unchanged, wantRead, wantUnchanged)
		}
	}
}

// preparingAnalyzer counts how often it was asked to prepare.
type preparingAnalyzer struct {
	noMatch
	prepared *atomic.Int32
}

func (a preparingAnalyzer) Prepare() { a.prepared.Add(1) }

// TestScanPreparesTheAnalyzerForNewDocumentsOnly checks that a pass
// prepares the analyzer (builds the matcher's index) when its first new
// document comes, once, and that a pass that finds nothing new leaves it
// alone, so a catch-up scan with nothing new never pays for it.
func TestScanPreparesTheAnalyzerForNewDocumentsOnly(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	var prepared atomic.Int32
	f.engine.Analyzer = preparingAnalyzer{prepared: &prepared}
	dir := t.TempDir()
	in := &Ingester{Store: f.store}
	src := NewDirSource(dir, f.store, in, corpus.Parser{Logger: slog.New(slog.DiscardHandler)})
	sc := &Scanner{Sources: []Source{src}, Engine: f.engine, Ingest: in, Log: slog.New(slog.DiscardHandler)}
	for i, tc := range []struct {
		files, wantPrepared int
	}{{0, 0}, {3, 1}, {0, 1}, {1, 2}} {
		for k := range tc.files {
			writeArticle(t, filepath.Join(dir, fmt.Sprintf("%d-%d.txt", i, k)), fmt.Sprintf("Title %d %d\n\nBody %d %d.", i, k, i, k))
		}
		rep, err := sc.Scan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.New != tc.files || int(prepared.Load()) != tc.wantPrepared {
			t.Errorf("pass %d: %d new, prepared %d times in all; want %d and %d", i, rep.New, prepared.Load(), tc.files, tc.wantPrepared)
		}
	}
}
