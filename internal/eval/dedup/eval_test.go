package main

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/internal/dataset"
	"github.com/wirewatch/wirewatch/internal/synth"
)

func TestSeeds(t *testing.T) {
	res, err := evalSeeds(context.Background(), dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"001 copies 000"}; !slices.Equal(res.copies, want) {
		t.Errorf("copies %v, want %v", res.copies, want)
	}
}

func dataDirs(t *testing.T) (reuters, bbc string) {
	t.Helper()
	b, ok1 := dataset.Dir("bbc-news")
	r, ok2 := dataset.Dir("reuters21578")
	if !ok1 || !ok2 {
		t.Skip("bbc-news or reuters21578 not found (set WIREWATCH_DATA)")
	}
	return r, b
}

// TestBBCExactDuplicates checks that every byte-identical BBC file is
// reported as a copy, at containment 1, of an identical earlier file.
func TestBBCExactDuplicates(t *testing.T) {
	_, bbc := dataDirs(t)
	res, err := evalBBC(context.Background(), bbc, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.exact != 98 || res.found != res.exact {
		t.Errorf("%d exact duplicates, %d found; want 98 and 98", res.exact, res.found)
	}
	t.Logf("other near-copies reported: %d, e.g. %v", res.near, res.nearExamples)
}

var generated = sync.OnceValues(func() ([]synth.Doc, error) {
	r, _ := dataset.Dir("reuters21578")
	b, _ := dataset.Dir("bbc-news")
	ps, _, err := pools(r, b)
	if err != nil {
		return nil, err
	}
	return synth.Generate(ps, synth.Config{Seed: 1})
})

// TestSyntheticQuality checks copy detection on the generated syndication
// set against the targets: recall at least 0.95 at precision at least 0.99
// with the default options.
func TestSyntheticQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: reads and cleans both corpora")
	}
	dataDirs(t)
	docs, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	recs, stats, err := run(context.Background(), docs, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := scoreAt(recs, dedup.DefaultContainment)
	t.Logf("%d documents, %d positives: precision %.4f, recall %.4f, %.2f candidates per document",
		len(docs), s.positives, s.precision(), s.recall(), float64(stats.Candidates)/float64(stats.Checks))
	if s.positives < 1500 {
		t.Errorf("only %d positives generated", s.positives)
	}
	if s.precision() < 0.99 || s.recall() < 0.95 {
		t.Errorf("precision %.4f, recall %.4f: want at least 0.99 and 0.95", s.precision(), s.recall())
	}
	// The same-story rewrites must stay below the threshold.
	for _, r := range recs {
		if r.doc.Kind == synth.Rewrite && r.v.CopyOf != "" {
			t.Errorf("rewrite %s reported as a copy of %s at %.2f", r.doc.ID, r.v.CopyOf, r.v.Containment)
		}
	}
}

func TestScoreAt(t *testing.T) {
	recs := []record{
		{positive: true, nearestOK: true, v: dedup.Verdict{Nearest: "a", Containment: 0.9}},
		{positive: true, nearestOK: true, v: dedup.Verdict{Nearest: "a", Containment: 0.4}},
		{positive: true},
		{nearestOK: false, v: dedup.Verdict{Nearest: "b", Containment: 0.7}},
		{v: dedup.Verdict{Nearest: "c", Containment: 0.2}},
	}
	cases := []struct {
		t              float64
		tp, fp, pos    int
		precision, rec float64
	}{
		{0.5, 1, 1, 3, 0.5, 1.0 / 3},
		{0.3, 2, 1, 3, 2.0 / 3, 2.0 / 3},
		{0.8, 1, 0, 3, 1, 1.0 / 3},
		{0.95, 0, 0, 3, 1, 0},
	}
	for _, tc := range cases {
		s := scoreAt(recs, tc.t)
		if s.tp != tc.tp || s.fp != tc.fp || s.positives != tc.pos || s.precision() != tc.precision || s.recall() != tc.rec {
			t.Errorf("at %.2f: %+v (precision %.3f recall %.3f)", tc.t, s, s.precision(), s.recall())
		}
	}
}
