package rules

import (
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/dataset"
	"github.com/wirewatch/wirewatch/internal/testutil"
)

var reuters struct {
	once   sync.Once
	bodies []string
	bytes  int64
	err    error
}

// reutersDir is where Reuters-21578 is, if anywhere.
func reutersDir() (string, bool) { return dataset.Dir("reuters21578") }

// reutersBodies returns the non-empty bodies of Reuters-21578, or skips.
func reutersBodies(tb testing.TB) ([]string, int64) {
	dir, ok := reutersDir()
	if !ok {
		tb.Skip("reuters21578 not found")
	}
	reuters.once.Do(func() {
		stories, err := dataset.Reuters(dir)
		reuters.err = err
		for _, s := range stories {
			if s.Body != "" {
				reuters.bodies = append(reuters.bodies, s.Body)
				reuters.bytes += int64(len(s.Body))
			}
		}
	})
	if reuters.err != nil {
		tb.Fatal(reuters.err)
	}
	return reuters.bodies, reuters.bytes
}

// defaultMatcher compiles the repository's rules.yaml with the embedded
// gazetteer and waits for its index.
func defaultMatcher(tb testing.TB) *Matcher {
	m := compileShipped(tb)
	m.Wait() // the tests reach into the index
	return m
}

// compileShipped compiles the repository's rules.yaml with the embedded
// gazetteer, its index not built yet.
func compileShipped(tb testing.TB) *Matcher {
	gaz := geo.Default()
	cfg, err := Loader{Gazetteer: gaz}.Load("../rules.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	m, err := Compile(cfg, gaz)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// corpusBench runs fn over every Reuters-21578 body b.N times and reports
// documents/s, and MB/s and documents/s per CPU second (cpu-MB/s,
// cpu-docs/s), which stay meaningful on a busy machine.
func corpusBench(b *testing.B, fn func(string)) {
	bodies, n := reutersBodies(b)
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuOK := testutil.CPUTime()
	for i := 0; i < b.N; i++ {
		for _, s := range bodies {
			fn(s)
		}
	}
	b.StopTimer()
	docs := float64(len(bodies)) * float64(b.N)
	b.ReportMetric(docs/b.Elapsed().Seconds(), "docs/s")
	if cpu1, ok := testutil.CPUTime(); ok && cpuOK && cpu1 > cpu0 {
		sec := (cpu1 - cpu0).Seconds()
		b.ReportMetric(float64(n)*float64(b.N)/sec/1e6, "cpu-MB/s")
		b.ReportMetric(docs/sec, "cpu-docs/s")
	}
}

// BenchmarkMatch is Match over every Reuters-21578 body with the default
// rules.yaml and the whole gazetteer: tokens, index, place resolution,
// rules.
func BenchmarkMatch(b *testing.B) {
	m := defaultMatcher(b)
	corpusBench(b, func(s string) { m.Match(s) })
}

// BenchmarkScan is Match without place resolution and rule evaluation:
// tokenizing and the index lookups alone.
func BenchmarkScan(b *testing.B) {
	m := defaultMatcher(b)
	sc := m.pool.Get().(*scratch)
	corpusBench(b, func(s string) {
		sc.toks = corpus.Tokenize(sc.toks[:0], s)
		m.scan(sc, s)
	})
}

// BenchmarkTokenize is the floor: corpus.Tokenize alone over the same text.
func BenchmarkTokenize(b *testing.B) {
	var toks []corpus.Token
	corpusBench(b, func(s string) { toks = corpus.Tokenize(toks[:0], s) })
}

// BenchmarkCompile builds the default matcher with the whole gazetteer.
func BenchmarkCompile(b *testing.B) {
	gaz := geo.Default()
	cfg, err := Loader{Gazetteer: gaz}.Load("../rules.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := Compile(cfg, gaz)
		if err != nil {
			b.Fatal(err)
		}
		m.Wait()
	}
}

// BenchmarkMatchKeywords is Match with the default rules' keywords alone:
// no regions and an empty gazetteer, the work `grep -w -i` does with the
// keywords as patterns.
func BenchmarkMatchKeywords(b *testing.B) {
	cfg, err := Loader{}.Load("../rules.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for i := range cfg.Rules {
		cfg.Rules[i].Regions = nil
	}
	cfg.Regions, cfg.Aliases = nil, nil
	m, err := Compile(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	corpusBench(b, func(s string) { m.Match(s) })
}
