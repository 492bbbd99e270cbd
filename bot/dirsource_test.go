package bot

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

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

func (s *countingStore) EachFileState(ctx context.Context, prefix string, fn func(store.FileState) error) error {
	s.loads.Add(1)
	return s.IngestStore.EachFileState(ctx, prefix, fn)
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
