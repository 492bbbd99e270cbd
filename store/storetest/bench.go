package storetest

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/internal/dataset"
	"github.com/wirewatch/wirewatch/store"
)

// CorpusSize is the number of documents in the store that the Latest
// and Search benchmarks query.
const CorpusSize = 20_000

// RunBenchmarks measures the store's hot paths on the Reuters-21578 news
// stories (see internal/dataset), or skips when they are not there. open
// returns a new, empty store each time it is called.
func RunBenchmarks(b *testing.B, open func(b *testing.B) store.Store) {
	docs := benchDocs(b)
	b.Run("PutDocument", func(b *testing.B) {
		s := open(b)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			d := docs[i%len(docs)]
			d.ID = fmt.Sprintf("%s-%d", d.ID, i)
			if _, err := s.PutDocument(ctx, d.Document); err != nil {
				b.Fatal(err)
			}
			if err := s.SetAnalysis(ctx, d.ID, d.analysis); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
	b.Run("Outbox", func(b *testing.B) {
		// One message through its life: enqueued, found at the head of its
		// channel, claimed and marked sent; 8 channels take turns.
		s := open(b)
		ctx := b.Context()
		now := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
		payload := []byte(`{"rule":"provincial-capital-assault","story":1,"docs":["e6838cd641e1a9de"]}`)
		i := 0
		for b.Loop() {
			ch := fmt.Sprintf("C%d", i%8)
			if _, err := s.Enqueue(ctx, store.OutboxRow{Key: fmt.Sprintf("alert/%d/slack/%s", i, ch),
				Transport: "slack", Channel: ch, Kind: "alert", Payload: payload, Due: now}); err != nil {
				b.Fatal(err)
			}
			heads, err := s.OutboxHeads(ctx, now, 256)
			if err != nil {
				b.Fatal(err)
			}
			if len(heads) != 1 {
				b.Fatalf("%d heads, want 1", len(heads))
			}
			if ok, err := s.ClaimOutbox(ctx, heads[0].ID, now); err != nil || !ok {
				b.Fatalf("ClaimOutbox = %v, %v", ok, err)
			}
			if err := s.MarkSent(ctx, heads[0].ID, "1625731200.000100", now); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("OutboxBacklog", func(b *testing.B) { benchOutboxBacklog(b, open) })
	b.Run("Corpus", func(b *testing.B) {
		s := open(b)
		load(b, s, docs)
		// A store that keeps planner statistics refreshes them, as a
		// server would in time after a bulk load.
		if a, ok := s.(analyzer); ok {
			if err := a.Analyze(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
		benchQueries(b, s, docs)
	})
}

// analyzer is a store that keeps statistics for its query planner.
type analyzer interface {
	Analyze(ctx context.Context) error
}

// benchDoc is a document with the analysis the benchmarks give it.
type benchDoc struct {
	corpus.Document
	analysis corpus.Analysis
}

var (
	benchOnce  sync.Once
	benchCache []benchDoc
	benchErr   error
)

// benchDocs returns CorpusSize documents made from the Reuters stories
// (repeated with new IDs when there are fewer), or skips the benchmark.
func benchDocs(b *testing.B) []benchDoc {
	dir, ok := dataset.Dir("reuters21578")
	if !ok {
		b.Skip("Reuters-21578 not found: set WIREWATCH_DATA to the folder that holds reuters21578/")
	}
	benchOnce.Do(func() {
		var stories []dataset.ReutersStory
		if stories, benchErr = dataset.Reuters(dir); benchErr != nil {
			return
		}
		base := time.Date(1987, 2, 26, 0, 0, 0, 0, time.UTC)
		for i := 0; len(benchCache) < CorpusSize; i++ {
			s := stories[i%len(stories)]
			body := s.Body
			if body == "" {
				body = s.Title
			}
			pub, err := time.Parse("2-Jan-2006 15:04:05.00", s.Date)
			if err != nil {
				pub = base.Add(time.Duration(i) * time.Minute)
			}
			d := corpus.Document{ID: fmt.Sprintf("reuters-%s-%d", s.NewID, i/len(stories)), Source: "Reuters",
				Path: "reuters/" + s.NewID + ".txt", Title: s.Title, Body: body, Published: pub}
			benchCache = append(benchCache, benchDoc{Document: d, analysis: benchAnalysis(i, s.Places)})
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchCache
}

// benchAnalysis gives document i a country (its first Reuters place), one
// of 20 admin1 regions of that country and one of 500 places.
func benchAnalysis(i int, places []string) corpus.Analysis {
	country := "XX"
	if len(places) > 0 {
		country = strings.ToUpper(places[0])
	}
	admin1 := fmt.Sprintf("%s.%02d", country, i%20)
	h := fnv.New64a()
	h.Write([]byte(country))
	return corpus.Analysis{
		Regions: []corpus.DocRegion{
			{PlaceID: benchPlace(i % 500), Name: fmt.Sprintf("Place %d", i%500), Level: "city", Admin1: admin1,
				Admin1Name: "Region " + admin1, Country: country, Text: "Place", Offset: 40},
			{PlaceID: int64(h.Sum64() >> 2), Name: country, Level: "country", Country: country, Text: country},
		},
		Matches: []corpus.DocMatch{{Rule: "markets", Keywords: []string{"oil", "prices"}, Regions: []string{country},
			GroupKey: admin1, GroupName: "Region " + admin1, Evidence: `"oil" and "prices"`}},
	}
}

func benchPlace(n int) int64 { return int64(1_000_000 + n) }

// load stores docs with their analyses, four at a time.
func load(b *testing.B, s store.Store, docs []benchDoc) {
	start := time.Now()
	ctx := b.Context()
	work := make(chan benchDoc)
	var wg sync.WaitGroup
	var once sync.Once
	var loadErr error
	for range 4 {
		wg.Go(func() {
			for d := range work {
				if err := loadOne(ctx, s, d); err != nil {
					once.Do(func() { loadErr = err })
				}
			}
		})
	}
	for _, d := range docs {
		work <- d
	}
	close(work)
	wg.Wait()
	if loadErr != nil {
		b.Fatal(loadErr)
	}
	b.Logf("loaded %d documents in %v", len(docs), time.Since(start).Round(time.Millisecond))
}

func loadOne(ctx context.Context, s store.Store, d benchDoc) error {
	if _, err := s.PutDocument(ctx, d.Document); err != nil {
		return err
	}
	if err := s.SetAnalysis(ctx, d.ID, d.analysis); err != nil {
		return err
	}
	return nil
}

// benchQueries measures the queries on a store holding docs.
func benchQueries(b *testing.B, s store.Store, docs []benchDoc) {
	// On the benchmark corpus the filters match 40, 541, 11,030 and about 830
	// documents.
	for _, tc := range []struct {
		name string
		f    store.RegionFilter
	}{
		{"place", store.RegionFilter{PlaceIDs: []int64{benchPlace(123)}}},
		{"admin1", store.RegionFilter{Admin1: []string{"USA.07"}}},
		{"country", store.RegionFilter{Countries: []string{"USA"}}},
		{"mixed", store.RegionFilter{PlaceIDs: []int64{benchPlace(7), benchPlace(300)}, Admin1: []string{"UK.03"},
			Countries: []string{"JAPAN"}}},
	} {
		b.Run("Latest/"+tc.name, func(b *testing.B) {
			ctx := b.Context()
			for b.Loop() {
				hits, err := s.Latest(ctx, tc.f, 10)
				if err != nil {
					b.Fatal(err)
				}
				if len(hits) == 0 {
					b.Fatal("no hits")
				}
			}
		})
	}
	// On the benchmark corpus the words are in 31, 502, 14,644 and 3
	// documents.
	for _, tc := range []struct{ name, q string }{
		{"rare", "coffee brazil quota"},
		{"common", "oil prices"},
		{"everywhere", "said"},
		{"rarest", "zebra"},
	} {
		b.Run("Search/"+tc.name, func(b *testing.B) {
			ctx := b.Context()
			for b.Loop() {
				if _, err := s.Search(ctx, tc.q, 10); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
