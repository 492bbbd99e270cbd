package sqlite_test

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

// BenchmarkStoredLatency measures Latest and Search, as `/latest` runs
// them (10 newest documents), on a store a scan filled:
//
//	WIREWATCH_BENCH_DB=path/to/wirewatch.db go test ./store/sqlite -run '^$' -bench StoredLatency -benchtime 400x
//
// It reports the median and the 99th percentile of the calls' times. It
// is skipped without WIREWATCH_BENCH_DB (see docs/benchmarks/ingest.md).
func BenchmarkStoredLatency(b *testing.B) {
	path := os.Getenv("WIREWATCH_BENCH_DB")
	if path == "" {
		b.Skip("WIREWATCH_BENCH_DB names no store")
	}
	db, err := sqlite.Open(b.Context(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	filters := []store.RegionFilter{
		{Countries: []string{"US"}}, {Countries: []string{"GB"}}, {Countries: []string{"JP"}},
		{Countries: []string{"BR"}}, {Countries: []string{"AF"}}, {Countries: []string{"NG"}},
		{Admin1: []string{"US.NY"}}, {Admin1: []string{"GB.ENG"}}, {PlaceIDs: []int64{2643743}}, // London
		{PlaceIDs: []int64{1850147}}, // Tokyo
	}
	words := []string{"oil", "bank rates", "election", "profit", "police", "coffee prices", "football",
		"government minister", "earthquake", "wheat exports"}
	b.Run("latest", func(b *testing.B) {
		timed(b, func(i int) error {
			_, err := db.Latest(b.Context(), filters[i%len(filters)], 10)
			return err
		})
	})
	b.Run("search", func(b *testing.B) {
		timed(b, func(i int) error {
			_, err := db.Search(b.Context(), words[i%len(words)], 10)
			return err
		})
	})
}

// timed runs call b.N times and reports the median and 99th percentile.
func timed(b *testing.B, call func(i int) error) {
	took := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := call(i); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
