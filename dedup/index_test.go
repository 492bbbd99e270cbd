package dedup

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func candIDs(cs []Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s:%d", c.ID, c.Shared))
	}
	return out
}

func TestIndexCandidates(t *testing.T) {
	x := NewIndex(100, 0, 32, 4)
	x.Add("a", unknown, []uint32{1, 2, 3, 4})
	x.Add("b", unknown, []uint32{3, 4, 5, 6})
	x.Add("c", unknown, []uint32{6, 7, 8, 9})
	x.Add("a", unknown, []uint32{1, 2, 3, 4}) // checked again
	cases := []struct {
		keys    []uint32
		exclude string
		limit   int
		want    []string
	}{
		{[]uint32{3}, "", 10, []string{"a:1", "b:1"}}, // equal counts: the newest first
		{[]uint32{3, 4, 6}, "", 10, []string{"b:3", "a:2", "c:1"}},
		{[]uint32{3, 4, 6}, "b", 10, []string{"a:2", "c:1"}},
		{[]uint32{3, 4, 6}, "", 2, []string{"b:3", "a:2"}},
		{[]uint32{1, 2, 3, 4}, "", 10, []string{"a:4", "b:2"}}, // a once, though added twice
		{[]uint32{42}, "", 10, nil},
		{nil, "", 10, nil},
	}
	for _, tc := range cases {
		if got := candIDs(x.Candidates(tc.keys, tc.exclude, unknown, tc.limit)); !slices.Equal(got, tc.want) {
			t.Errorf("Candidates(%v, %q, %d) = %v, want %v", tc.keys, tc.exclude, tc.limit, got, tc.want)
		}
	}
	if x.Len() != 4 {
		t.Errorf("Len = %d, want 4", x.Len())
	}
}

// TestIndexWindow checks that the index holds the last Window documents
// and at most one generation more, and that older ones stop being
// candidates.
func TestIndexWindow(t *testing.T) {
	const window = 3000
	x := NewIndex(window, 0, 32, 2)
	for i := range 20000 {
		x.Add(fmt.Sprint(i), unknown, []uint32{uint32(i), 1 << 31})
		if i >= window && (x.Len() < window || x.Len() > window+maxGeneration) {
			t.Fatalf("after %d documents the index holds %d", i+1, x.Len())
		}
	}
	if got := x.Candidates([]uint32{19999}, "", unknown, 5); len(got) != 1 || got[0].ID != "19999" {
		t.Errorf("newest document: %v", got)
	}
	if got := x.Candidates([]uint32{20000 - uint32(window)}, "", unknown, 5); len(got) != 1 {
		t.Errorf("document %d, inside the window: %v", 20000-window, got)
	}
	if got := x.Candidates([]uint32{5}, "", unknown, 5); got != nil {
		t.Errorf("document 5, long gone: %v", got)
	}
	if b := x.Bytes(); float64(b) > 2*float64(x.Len())*(4*2/maxLoad+40) {
		t.Errorf("%d bytes for %d documents of 2 bands", b, x.Len())
	}
}

// TestIndexPerBand checks that a band value shared by many documents keeps
// only the newest PerBand of them in each generation.
func TestIndexPerBand(t *testing.T) {
	x := NewIndex(100000, 0, 8, 2)
	for i := range 500 {
		x.Add(fmt.Sprint(i), unknown, []uint32{7, uint32(1000 + i)})
	}
	got := x.Candidates([]uint32{7}, "", unknown, 100)
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	if want := []string{"499", "498", "497", "496", "495", "494", "493", "492"}; !slices.Equal(ids, want) {
		t.Errorf("shared band: %v, want the 8 newest %v", ids, want)
	}
	// Their own bands still find every document.
	for _, i := range []int{0, 250, 499} {
		if got := x.Candidates([]uint32{uint32(1000 + i)}, "", unknown, 5); len(got) != 1 || got[0].ID != fmt.Sprint(i) {
			t.Errorf("document %d by its own band: %v", i, got)
		}
	}
}

// bulletin returns a market report of one template, differing from the
// others only in its figures.
func bulletin(r *rand.Rand, i int) string {
	return fmt.Sprintf("FTSE 100 closes at %.1f\nThe FTSE 100 index closed at %.1f points on day %d, up %.1f "+
		"points or %.2f percent from the previous close. Turnover was %d million shares in %d trades. "+
		"Gainers outnumbered losers by %d to %d, with %d stocks unchanged. Sterling traded at %.4f dollars "+
		"and %.4f euros at the close. Brent crude was quoted at %.2f dollars a barrel.",
		7000+r.Float64()*500, 7000+r.Float64()*500, i, r.Float64()*40, r.Float64(), 400+r.IntN(900),
		20000+r.IntN(90000), r.IntN(100), r.IntN(100), r.IntN(20), 1.2+r.Float64()/10, 1.1+r.Float64()/10,
		70+r.Float64()*20)
}

// TestDetectorBulletins checks that texts of one template, every one a
// candidate of every earlier one, are each compared with at most
// MaxCandidates others: the work per document does not grow with their
// number (BenchmarkBulletins measures it).
func TestDetectorBulletins(t *testing.T) {
	for _, n := range []int{1000, 4000} {
		r := rand.New(rand.NewPCG(1, 2))
		texts := map[string]string{}
		d, err := NewDetector(func(_ context.Context, id string) (string, error) { return texts[id], nil }, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			id := fmt.Sprint(i)
			texts[id] = bulletin(r, i)
			v, err := d.Check(context.Background(), id, texts[id])
			if err != nil {
				t.Fatal(err)
			}
			if v.Candidates > DefaultMaxCandidates {
				t.Fatalf("bulletin %d compared with %d candidates", i, v.Candidates)
			}
		}
		st := d.Stats()
		t.Logf("%d bulletins: %.1f candidates each, %d capped, %d loads", n, float64(st.Candidates)/float64(n), st.Capped, st.Loads)
		if st.Capped < n/2 {
			t.Errorf("%d bulletins: only %d checks capped; the template is not exercised", n, st.Capped)
		}
	}
}

// BenchmarkBulletins measures Check over N one-template bulletins: the CPU
// per document (cpu-ns/op) at N and at 4N should be about the same.
func BenchmarkBulletins(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprint("N=", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			docs := make([]testDoc, n)
			for i := range docs {
				docs[i] = testDoc{id: fmt.Sprint(i), text: bulletin(r, i)}
			}
			text := textsOf(docs)
			ctx := context.Background()
			var d *Detector
			b.ReportAllocs()
			clock := startClock(b)
			for i := 0; i < b.N; i++ {
				if i%n == 0 {
					b.StopTimer()
					var err error
					if d, err = NewDetector(text, Options{}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				doc := docs[i%n]
				if _, err := d.Check(ctx, doc.id, doc.text); err != nil {
					b.Fatal(err)
				}
			}
			clock.report(b, docs)
		})
	}
}

// BenchmarkIndex measures the index alone at its default window: adding a
// document of 64 random band keys and looking up its candidates, with the
// memory it holds per document.
func BenchmarkIndex(b *testing.B) {
	x := NewIndex(DefaultWindow, 0, DefaultPerBand, SignatureSize/DefaultRows)
	r := rand.New(rand.NewPCG(3, 4))
	keys := make([]uint32, SignatureSize/DefaultRows)
	ids := make([]string, 1<<16)
	for i := range ids {
		ids[i] = fmt.Sprintf("%064x", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range keys {
			keys[j] = r.Uint32()
		}
		x.Candidates(keys, "", unknown, DefaultMaxCandidates)
		x.Add(ids[i%len(ids)], unknown, keys)
	}
	b.StopTimer()
	if x.Len() > 0 {
		b.ReportMetric(float64(x.Bytes())/float64(x.Len()), "bytes/doc")
	}
}

// TestIndexSpan checks that with a span a candidate published further
// than the span from the document looked up, before or after it, is passed
// over and counted, and that a document of unknown time is compared with
// any.
func TestIndexSpan(t *testing.T) {
	const day = 24 * 3600
	x := NewIndex(1000, 7*24*time.Hour, 32, 2)
	x.Add("a", 100*day, []uint32{1, 2})
	x.Add("b", 101*day, []uint32{1, 3})
	x.Add("undated", unknown, []uint32{1, 4})
	x.Add("c", 103*day, []uint32{1, 5})
	for _, tc := range []struct {
		at   int64
		want []string
	}{
		{110 * day, []string{"c:1", "undated:1"}},
		{94 * day, []string{"undated:1", "b:1", "a:1"}},
		{unknown, []string{"c:1", "undated:1", "b:1", "a:1"}},
		{200 * day, []string{"undated:1"}},
		{102 * day, []string{"c:1", "undated:1", "b:1", "a:1"}},
	} {
		before := x.OutOfSpan()
		got := candIDs(x.Candidates([]uint32{1, 9}, "", tc.at, 10))
		if !slices.Equal(got, tc.want) {
			t.Errorf("at day %d: candidates %v, want %v", tc.at/day, got, tc.want)
		}
		if skipped := x.OutOfSpan() - before; skipped != 4-len(tc.want) {
			t.Errorf("at day %d: %d passed over, want %d", tc.at/day, skipped, 4-len(tc.want))
		}
	}
	if x.Len() != 4 {
		t.Errorf("Len = %d, want 4: nothing is older than the span before the newest", x.Len())
	}
}

// TestIndexSpanBoundsMemory checks that with a span the index holds about
// one and a half spans of documents, however many more the window would
// take, and that the newest stay candidates.
func TestIndexSpanBoundsMemory(t *testing.T) {
	const perDay, days = 200, 100
	span := 7 * 24 * time.Hour
	x := NewIndex(100_000, span, 32, 2)
	maxHeld := 0
	for i := range perDay * days {
		at := int64(i) * 24 * 3600 / perDay
		x.Add(fmt.Sprint(i), at, []uint32{uint32(i), 1 << 31})
		maxHeld = max(maxHeld, x.Len())
	}
	// One and a half spans, plus the day the oldest generation closes in.
	if limit := perDay * (7*3/2 + 1); maxHeld > limit || maxHeld < 7*perDay {
		t.Errorf("the index held up to %d documents, want between %d and %d", maxHeld, 7*perDay, limit)
	}
	last := perDay*days - 1
	if got := x.Candidates([]uint32{uint32(last - 7*perDay + 1)}, "", int64(last)*24*3600/perDay, 5); len(got) != 1 {
		t.Errorf("a document published within the span: %v", got)
	}
}

func spanKeys(seed int, bands int) []uint32 {
	k := make([]uint32, bands)
	for i := range k {
		k[i] = uint32(seed*1000003 + i*7919 + 1)
	}
	return k
}

// TestIndexSpanBeforeTheEpoch checks that documents published before 1970
// (negative Unix times) share a generation and age like any others.
func TestIndexSpanBeforeTheEpoch(t *testing.T) {
	x := NewIndex(100_000, 7*24*time.Hour, 32, 32)
	t0 := time.Date(1965, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		x.Add(fmt.Sprint(i), seconds(t0.Add(time.Duration(i)*time.Minute)), spanKeys(i, 32))
	}
	t.Logf("200 documents of 1965 within 200 minutes: %d generations, %d bytes", len(x.gens), x.Bytes())
	if len(x.gens) > 2 {
		t.Errorf("%d generations for 200 documents published within a few hours", len(x.gens))
	}
}

// TestIndexSpanOutOfOrder checks that documents published out of order (every
// other one 4 days before the others) do not each open a generation.
func TestIndexSpanOutOfOrder(t *testing.T) {
	x := NewIndex(100_000, 7*24*time.Hour, 32, 32)
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 2000 {
		at := t0.Add(time.Duration(i) * time.Second)
		if i%2 == 1 {
			at = at.Add(-4 * 24 * time.Hour)
		}
		x.Add(fmt.Sprint(i), seconds(at), spanKeys(i, 32))
	}
	t.Logf("2000 documents, every other one 4 days late: %d generations, %d bytes", len(x.gens), x.Bytes())
	if len(x.gens) > 3 {
		t.Errorf("%d generations", len(x.gens))
	}
}
