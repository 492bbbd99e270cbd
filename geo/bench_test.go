package geo

import (
	"runtime"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/testutil"
)

// BenchmarkLoad measures building the gazetteer from the embedded data, as
// Default does once, and reports the CPU time of the process per load
// (cpu-ms/op, which other load on the machine distorts less than the
// wall-clock time) and the heap it keeps.
func BenchmarkLoad(b *testing.B) {
	cpu0, cpuOK := testutil.CPUTime()
	for b.Loop() {
		g, err := loadGzip(embedded)
		if err != nil {
			b.Fatal(err)
		}
		loaded = g
	}
	b.StopTimer()
	if cpu1, ok := testutil.CPUTime(); ok && cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	loaded = nil
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	g, err := loadGzip(embedded)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(len(g.Names())), "names")
	b.ReportMetric(float64(g.Len()), "places")
	runtime.KeepAlive(g)
}

// loaded keeps what BenchmarkLoad builds, so the building is not optimised
// away.
var loaded *Gazetteer

// benchText is a news story of about 1,000 words naming 320 places.
var benchText = strings.Repeat("Taliban fighters entered Qala-i-Naw, the capital of Badghis province, "+
	"on Wednesday after weeks of clashes in Ab Kamari and Muqur districts, officials in Herat said. "+
	"US and Afghan forces struck back from Kabul; Pakistan and Iran closed crossings near Zaranj. "+
	"Mobile phone networks were down, Reuters reported from London and New York. ", 20)

func BenchmarkResolve(b *testing.B) {
	m := defaultMatcher()
	ms := m.mentions(benchText)
	dst := make([]Tag, 0, len(ms))
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		dst = m.g.AppendResolve(dst[:0], benchText, ms)
	}
	b.ReportMetric(float64(len(ms)), "mentions")
}

func BenchmarkLookup(b *testing.B) {
	g := Default()
	b.ReportAllocs()
	for b.Loop() {
		if len(g.Lookup("Qala-e-Naw")) == 0 {
			b.Fatal("not found")
		}
	}
}

// BenchmarkResolveManyRegions resolves a text naming every country four
// times: about 1,000 mentions and 250 regions named, the worst case of the
// linear scans over the regions a text names.
func BenchmarkResolveManyRegions(b *testing.B) {
	m := defaultMatcher()
	var sb strings.Builder
	for range 4 {
		for _, p := range m.g.places {
			if p.Level == LevelCountry {
				sb.WriteString("Trade with " + p.Name + " grew. ")
			}
		}
	}
	text := sb.String()
	ms := m.mentions(text)
	dst := make([]Tag, 0, len(ms))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		dst = m.g.AppendResolve(dst[:0], text, ms)
	}
	b.ReportMetric(float64(len(ms)), "mentions")
}
