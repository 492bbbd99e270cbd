package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// benchParse parses the files matching pattern once per iteration.
func benchParse(b *testing.B, pattern string) {
	files, _ := filepath.Glob(pattern)
	if len(files) == 0 {
		b.Fatalf("no files match %s", pattern)
	}
	data := make([][]byte, len(files))
	var total int64
	for i, f := range files {
		var err error
		if data[i], err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
		total += int64(len(data[i]))
	}
	p := Parser{Logger: discard}
	mod := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for i, f := range files {
			if _, err := p.Parse(f, data[i], mod); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParseSeeds(b *testing.B)      { benchParse(b, "../examples/corpus/0*.txt") }
func BenchmarkParseBBC(b *testing.B)        { benchParse(b, "testdata/bbc/[bept]*/*.txt") }
func BenchmarkParseJSONL(b *testing.B)      { benchParse(b, "testdata/reuters/reuters.jsonl") }
func BenchmarkParseFeedRSS(b *testing.B)    { benchParse(b, "testdata/feeds/rss2.xml") }
func BenchmarkParseFeedAtom(b *testing.B)   { benchParse(b, "testdata/feeds/atom.xml") }
func BenchmarkParseFeedLatin1(b *testing.B) { benchParse(b, "testdata/feeds/latin1.rss") }

// BenchmarkScanUnchanged measures a periodic scan of a directory whose 1,000
// files were all read before: the cost of every BOT_SCAN_SCHEDULE tick when
// nothing is new.
func BenchmarkScanUnchanged(b *testing.B) {
	dir := b.TempDir()
	for i := range 1000 {
		name := filepath.Join(dir, fmt.Sprintf("d%02d", i%20), fmt.Sprintf("%04d.txt", i))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name, fmt.Appendf(nil, "Headline %d\nBody of article %d.", i, i), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	src := &DirSource{Root: dir, Seen: &MemorySeen{}, Parser: Parser{Logger: discard}}
	ctx := context.Background()
	nop := func(context.Context, Document) error { return nil }
	if st, err := src.Scan(ctx, nop); err != nil || st.Read != 1000 {
		b.Fatalf("first scan: %+v, %v", st, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if st, err := src.Scan(ctx, nop); err != nil || st.Unchanged != 1000 {
			b.Fatalf("scan: %+v, %v", st, err)
		}
	}
}

// BenchmarkReadPathsBBC reads the whole BBC News dataset (2,225 files) when
// CORPUS_BENCH_BBC names its bbc/ directory.
func BenchmarkReadPathsBBC(b *testing.B) {
	dir := os.Getenv("CORPUS_BENCH_BBC")
	if dir == "" {
		b.Skip("set CORPUS_BENCH_BBC to the BBC dataset's bbc/ directory")
	}
	p := &Parser{Logger: discard}
	ctx := context.Background()
	var st Stats
	for b.Loop() {
		var err error
		if st, err = ReadPaths(ctx, p, []string{dir}, func(context.Context, Document) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Documents), "docs/op")
	b.ReportMetric(float64(st.Skipped), "skipped/op")
}
