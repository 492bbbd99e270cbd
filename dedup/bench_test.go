package dedup

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/internal/dataset"
	"github.com/wirewatch/wirewatch/internal/testutil"
)

// reutersDocs are the Reuters-21578 stories with a body, as (id, text)
// pairs, read once.
var reutersDocs = sync.OnceValues(func() ([]testDoc, error) {
	dir, ok := dataset.Dir("reuters21578")
	if !ok {
		return nil, nil
	}
	stories, err := dataset.Reuters(dir)
	if err != nil {
		return nil, err
	}
	var docs []testDoc
	for _, s := range stories {
		if s.Body != "" {
			docs = append(docs, testDoc{id: "reuters/" + s.NewID, text: s.Title + "\n" + s.Body})
		}
	}
	return docs, nil
})

type testDoc struct{ id, text string }

func loadReuters(tb testing.TB) []testDoc {
	tb.Helper()
	docs, err := reutersDocs()
	if err != nil {
		tb.Fatal(err)
	}
	if docs == nil {
		tb.Skip("reuters21578 not found (set WIREWATCH_DATA)")
	}
	return docs
}

// textsOf returns a TextFunc over docs.
func textsOf(docs []testDoc) TextFunc {
	m := make(map[string]string, len(docs))
	for _, d := range docs {
		m[d.id] = d.text
	}
	return func(_ context.Context, id string) (string, error) { return m[id], nil }
}

// benchClock starts measuring CPU time; its report method adds the
// figures per document: docs/s of wall time, and CPU ns per document and
// docs per CPU second, which a busy machine disturbs less.
type benchClock struct{ cpu0 time.Duration }

func startClock(b *testing.B) benchClock {
	b.ResetTimer()
	c, _ := testutil.CPUTime()
	return benchClock{cpu0: c}
}

func (c benchClock) report(b *testing.B, docs []testDoc) {
	cpu, ok := testutil.CPUTime()
	b.StopTimer()
	bytes := 0
	for _, d := range docs {
		bytes += len(d.text)
	}
	b.SetBytes(int64(bytes / len(docs)))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	if ok {
		per := float64(cpu-c.cpu0) / float64(b.N)
		b.ReportMetric(per, "cpu-ns/op")
		b.ReportMetric(1e9/per, "docs/cpu-s")
	}
}

// BenchmarkFingerprint measures tokenizing, shingling, MinHash and bands of
// one Reuters story.
func BenchmarkFingerprint(b *testing.B) {
	docs := loadReuters(b)
	f := NewFingerprinter(Options{})
	b.ReportAllocs()
	clock := startClock(b)
	for i := 0; i < b.N; i++ {
		f.Fingerprint(docs[i%len(docs)].text)
	}
	clock.report(b, docs)
}

// BenchmarkCheck measures Detector.Check over the Reuters stories in order
// with its in-memory index: fingerprint, band query, confirmation of the
// candidates and insert. After the last story it starts again on an empty
// index.
func BenchmarkCheck(b *testing.B) {
	docs := loadReuters(b)
	text := textsOf(docs)
	ctx := context.Background()
	var d *Detector
	b.ReportAllocs()
	clock := startClock(b)
	for i := 0; i < b.N; i++ {
		if i%len(docs) == 0 {
			b.StopTimer()
			var err error
			if d, err = NewDetector(text, Options{}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		doc := docs[i%len(docs)]
		if _, err := d.Check(ctx, doc.id, doc.text); err != nil {
			b.Fatal(err)
		}
	}
	clock.report(b, docs)
}
