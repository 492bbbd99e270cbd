package corpus

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// collect returns a Handler that appends documents to *docs.
func collect(docs *[]Document) Handler {
	return func(_ context.Context, d Document) error {
		*docs = append(*docs, d)
		return nil
	}
}

func paths(docs []Document) []string {
	var ps []string
	for _, d := range docs {
		ps = append(ps, d.Path)
	}
	return ps
}

// writeFile writes a file under dir with a fixed modification time.
func writeFile(t *testing.T, dir, name, content string, mod time.Time) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDirSourceReadsTheSampleCorpus(t *testing.T) {
	// The default corpus directory holds the five seeds and a README and a
	// .filetimes manifest, which are not articles.
	src := &DirSource{Root: "../examples/corpus", Seen: &MemorySeen{}, Parser: Parser{Logger: discard}}
	var docs []Document
	st, err := src.Scan(context.Background(), collect(&docs))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.Glob("../examples/corpus/0*.txt")
	if len(want) != 5 || !slices.Equal(paths(docs), want) {
		t.Errorf("read %v, want %v", paths(docs), want)
	}
	if st.Read != 5 || st.Documents != 5 || st.Skipped != 0 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestDirSourcePackageDirHoldsNoArticles(t *testing.T) {
	// A Go package directory read as a corpus: Go files, README.md and
	// testdata are passed over, so nothing is read.
	src := &DirSource{Root: ".", Seen: &MemorySeen{}, Parser: Parser{Logger: discard}}
	var docs []Document
	st, err := src.Scan(context.Background(), collect(&docs))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 0 || st.Read != 0 || st.Skipped != 0 || st.Failed != 0 {
		t.Errorf("read %v, stats %+v", paths(docs), st)
	}
}

func TestDirSourceScan(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2021, 7, 8, 10, 0, 0, 123456789, time.UTC)
	writeFile(t, dir, "b/002.txt", "Afghan forces retake city\nKabul flew in commandos.", t0)
	writeFile(t, dir, "a.txt", " date 2021-07-08 Smoke covered the city.", t0)
	writeFile(t, dir, "c/feed.rss", `<rss><channel><title>Desk</title><item><title>One</title><description>x</description></item><item><title>Two</title><description>y</description></item></channel></rss>`, t0)
	writeFile(t, dir, "d/articles.jsonl", `{"title":"J1","body":"b"}`+"\n"+`{"title":"J2","body":"c"}`+"\n", t0)
	writeFile(t, dir, "empty.md", "", t0)
	writeFile(t, dir, "bad.json", "{", t0)
	writeFile(t, dir, "image.txt", "\x89PNG\x00\x00", t0)
	// Never read: testdata, hidden files and directories, Go and other files, README.
	writeFile(t, dir, "testdata/x.txt", "Headline\nbody", t0)
	writeFile(t, dir, "b/testdata/y.txt", "Headline\nbody", t0)
	writeFile(t, dir, ".hidden.txt", "Headline\nbody", t0)
	writeFile(t, dir, ".git/HEAD.txt", "Headline\nbody", t0)
	writeFile(t, dir, "sub/.cache/z.txt", "Headline\nbody", t0)
	writeFile(t, dir, "main.go", "package main", t0)
	writeFile(t, dir, "notes.txt~", "Headline\nbody", t0)
	writeFile(t, dir, "README.md", "# Corpus\nThis folder holds articles.", t0)
	writeFile(t, dir, "b/LICENSE.txt", "Licence\nterms", t0)

	var log bytes.Buffer
	seen := &MemorySeen{}
	src := &DirSource{Root: dir, Seen: seen, Parser: Parser{Logger: slog.New(slog.NewTextHandler(&log, nil))}}
	ctx := context.Background()
	var docs []Document
	st, err := src.Scan(ctx, collect(&docs))
	if err != nil {
		t.Fatal(err)
	}
	j := func(p string) string { return filepath.Join(dir, p) }
	wantPaths := []string{j("a.txt"), j("b/002.txt"), j("c/feed.rss"), j("c/feed.rss"), j("d/articles.jsonl"), j("d/articles.jsonl")}
	if !slices.Equal(paths(docs), wantPaths) {
		t.Errorf("read %v\nwant %v", paths(docs), wantPaths)
	}
	if st.Read != 4 || st.Documents != 6 || st.Skipped != 3 || st.Unchanged != 0 || st.Failed != 0 || len(st.Skips) != 3 {
		t.Errorf("first scan stats %+v", st)
	}
	for path, reason := range map[string]string{"bad.json": ReasonMalformed, "empty.md": ReasonEmpty, "image.txt": ReasonBinary} {
		f, ok := seen.File(j(path))
		if !ok || f.Skipped != reason || f.DocID != "" {
			t.Errorf("%s recorded as %+v, want skipped %q", path, f, reason)
		}
		if !strings.Contains(log.String(), path) {
			t.Errorf("log does not name %s:\n%s", path, log.String())
		}
	}
	if f, ok := seen.File(j("a.txt")); !ok || f.DocID != docs[0].ID || f.Skipped != "" || !f.ModTime.Equal(t0) || f.Size != 40 {
		t.Errorf("a.txt recorded as %+v", f)
	}
	if f, _ := seen.File(j("c/feed.rss")); f.DocID != docs[2].ID {
		t.Errorf("feed recorded with doc %q, want its first %q", f.DocID, docs[2].ID)
	}

	// Second scan: nothing is read.
	docs = nil
	if st, err = src.Scan(ctx, collect(&docs)); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 0 || st.Read != 0 || st.Unchanged != 7 || st.Skipped != 0 {
		t.Errorf("second scan read %v, stats %+v", paths(docs), st)
	}

	// A touched file, a changed file (same time, new size), a fixed skipped
	// file and a new file are read; nothing else is.
	t1 := t0.Add(time.Hour)
	if err := os.Chtimes(j("a.txt"), t1, t1); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "b/002.txt", "Afghan forces retake city\nKabul flew in more commandos.", t0)
	writeFile(t, dir, "image.txt", "A photo caption\nNow text.", t0)
	writeFile(t, dir, "b/003.md", "# New report\nFighting went on.", t0)
	docs = nil
	if st, err = src.Scan(ctx, collect(&docs)); err != nil {
		t.Fatal(err)
	}
	want := []string{j("a.txt"), j("b/002.txt"), j("b/003.md"), j("image.txt")}
	if !slices.Equal(paths(docs), want) {
		t.Errorf("third scan read %v\nwant %v", paths(docs), want)
	}
	if st.Read != 4 || st.Unchanged != 4 || st.Skipped != 0 {
		t.Errorf("third scan stats %+v", st)
	}

	// A restart with the same seen-state reads nothing.
	restarted := &DirSource{Root: dir, Seen: seen, Parser: Parser{Logger: discard}}
	docs = nil
	if st, err = restarted.Scan(ctx, collect(&docs)); err != nil || len(docs) != 0 || st.Unchanged != 8 {
		t.Errorf("after restart: read %v, stats %+v, err %v", paths(docs), st, err)
	}
}

func TestDirSourceHandlerErrorLeavesFileUnseen(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	writeFile(t, dir, "a.txt", "Headline A\nbody a", t0)
	writeFile(t, dir, "b.txt", "Headline B\nbody b", t0)
	seen := &MemorySeen{}
	src := &DirSource{Root: dir, Seen: seen, Parser: Parser{Logger: discard}}
	boom := errors.New("store down")
	var handled []string
	_, err := src.Scan(context.Background(), func(_ context.Context, d Document) error {
		handled = append(handled, d.Title)
		if d.Title == "Headline B" {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want the handler's error", err)
	}
	if _, ok := seen.File(filepath.Join(dir, "a.txt")); !ok {
		t.Error("a.txt, handled, is not recorded")
	}
	if _, ok := seen.File(filepath.Join(dir, "b.txt")); ok {
		t.Error("b.txt, whose handler failed, is recorded")
	}
	var docs []Document
	if _, err := src.Scan(context.Background(), collect(&docs)); err != nil || len(docs) != 1 || docs[0].Title != "Headline B" {
		t.Errorf("rescan read %v, err %v; want only b.txt", paths(docs), err)
	}
}

func TestDirSourceErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := (&DirSource{Root: t.TempDir()}).Scan(ctx, collect(new([]Document))); err == nil {
		t.Error("no error without a SeenStore")
	}
	if _, err := (&DirSource{Root: filepath.Join(t.TempDir(), "missing"), Seen: &MemorySeen{}}).Scan(ctx, collect(new([]Document))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing root: err %v, want ErrNotExist", err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "a.txt", "Headline\nbody", time.Now())
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := (&DirSource{Root: dir, Seen: &MemorySeen{}}).Scan(cctx, collect(new([]Document))); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v, want context.Canceled", err)
	}
}

func TestDirSourceSizeLimit(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "big.txt", "Headline\n"+strings.Repeat("word ", 100), time.Now())
	seen := &MemorySeen{}
	src := &DirSource{Root: dir, Seen: seen, Parser: Parser{MaxSize: 100, Logger: discard}}
	st, err := src.Scan(context.Background(), collect(new([]Document)))
	if err != nil || st.Skipped != 1 || st.Skips[0].Reason != ReasonTooLarge {
		t.Errorf("stats %+v, err %v", st, err)
	}
	if f, _ := seen.File(filepath.Join(dir, "big.txt")); f.Skipped != ReasonTooLarge {
		t.Errorf("recorded %+v", f)
	}
}

func TestReadPaths(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	writeFile(t, dir, "z.txt", "Zulu headline\nbody z", t0)
	writeFile(t, dir, "d/b.txt", "Bravo headline\nbody b", t0)
	writeFile(t, dir, "d/a.txt", "Alpha headline\nbody a", t0)
	writeFile(t, dir, "d/.hidden.txt", "Hidden headline\nbody", t0)
	writeFile(t, dir, ".explicit.txt", "Explicit headline\nbody", t0)
	writeFile(t, dir, "page.html", "<p>x</p>", t0)
	j := func(p string) string { return filepath.Join(dir, p) }
	p := &Parser{Logger: discard}
	ctx := context.Background()

	var docs []Document
	st, err := ReadPaths(ctx, p, []string{j("z.txt"), j("d"), j(".explicit.txt"), j("page.html"), j("z.txt")}, collect(&docs))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{j("z.txt"), j("d/a.txt"), j("d/b.txt"), j(".explicit.txt"), j("z.txt")}
	if !slices.Equal(paths(docs), want) {
		t.Errorf("read %v\nwant %v", paths(docs), want)
	}
	if st.Read != 5 || st.Skipped != 1 || st.Skips[0].Reason != ReasonUnsupported {
		t.Errorf("stats %+v", st)
	}

	docs = nil
	if _, err := ReadPaths(ctx, p, []string{j("z.txt"), j("missing.txt")}, collect(&docs)); !errors.Is(err, os.ErrNotExist) || len(docs) != 0 {
		t.Errorf("missing path: read %v, err %v; want ErrNotExist before reading", paths(docs), err)
	}

	// The sample corpus, as `bot scan examples/corpus` reads it.
	docs = nil
	if st, err = ReadPaths(ctx, nil, []string{"../examples/corpus"}, collect(&docs)); err != nil || st.Documents != 5 {
		t.Errorf("sample: %+v, %v", st, err)
	}
}
