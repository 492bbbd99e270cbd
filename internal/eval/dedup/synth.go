package main

import (
	"context"
	"fmt"
	"math"

	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/internal/dataset"
	"github.com/wirewatch/wirewatch/internal/synth"
)

// pools reads Reuters and BBC from the data folder and returns them as
// cleaned article pools (at least minWords words, no near-duplicates) and
// the Reuters articles as read.
func pools(reutersDir, bbcDir string) (clean [][]synth.Article, reuters []synth.Article, err error) {
	stories, err := dataset.Reuters(reutersDir)
	if err != nil {
		return nil, nil, err
	}
	arts, err := dataset.BBC(bbcDir)
	if err != nil {
		return nil, nil, err
	}
	r, b := synth.FromReuters(stories), synth.FromBBC(arts)
	const minWords, maxShare = 60, 0.3
	return [][]synth.Article{synth.Clean(r, minWords, maxShare), synth.Clean(b, minWords, maxShare)}, r, nil
}

// record is what the detector said of one generated document.
type record struct {
	doc synth.Doc
	v   dedup.Verdict
	// positive: an earlier document has the same group.
	positive bool
	// nearestOK: Nearest is in the document's group.
	nearestOK bool
	// candidateOK: a candidate was in the document's group.
	candidateOK bool
	// jaccard is the exact Jaccard similarity of a copy with its
	// original; contained the exact, plain containment of a rewrite in the
	// original it was made from.
	jaccard, contained float64
}

// run checks the generated docs in order and labels each verdict.
func run(ctx context.Context, docs []synth.Doc, o dedup.Options) ([]record, dedup.Stats, error) {
	texts := make(map[string]string, len(docs))
	group := make(map[string]int, len(docs))
	original := map[int]string{}
	source := map[string]string{}
	for _, d := range docs {
		texts[d.ID] = d.Text
		group[d.ID] = d.Group
		if d.Kind == synth.Original {
			original[d.Group] = d.Text
			source[d.Source] = d.Text
		}
	}
	det, err := dedup.NewDetector(func(_ context.Context, id string) (string, error) {
		return texts[id], nil
	}, o)
	if err != nil {
		return nil, dedup.Stats{}, err
	}
	seen := map[int]bool{}
	out := make([]record, len(docs))
	for i, d := range docs {
		v, err := det.Check(ctx, d.ID, d.Text)
		if err != nil {
			return nil, dedup.Stats{}, fmt.Errorf("check %s: %w", d.ID, err)
		}
		rec := record{doc: d, v: v, positive: seen[d.Group], nearestOK: v.Nearest != "" && group[v.Nearest] == d.Group}
		for _, c := range v.Compared {
			rec.candidateOK = rec.candidateOK || group[c] == d.Group
		}
		switch d.Kind {
		case synth.Copy:
			rec.jaccard = dedup.Jaccard(dedup.Shingles(nil, d.Text, o.Shingle), dedup.Shingles(nil, original[d.Group], o.Shingle))
		case synth.Rewrite:
			rec.contained = dedup.Containment(dedup.Shingles(nil, d.Text, o.Shingle), dedup.Shingles(nil, source[d.Source], o.Shingle))
		}
		seen[d.Group] = true
		out[i] = rec
	}
	return out, det.Stats(), nil
}

// score is precision and recall of copy detection at one threshold.
type score struct {
	threshold         float64
	tp, fp, positives int
}

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.positives == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.positives)
}

func (s score) f1() float64 {
	p, r := s.precision(), s.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// scoreAt scores the records as if the threshold were t: a document is
// reported as a copy of Nearest when its containment reaches t. The best
// candidate does not depend on the threshold, so one run serves them all.
func scoreAt(recs []record, t float64) score {
	s := score{threshold: t}
	for _, r := range recs {
		if r.positive {
			s.positives++
		}
		if r.v.Nearest == "" || r.v.Containment < t {
			continue
		}
		if r.nearestOK {
			s.tp++
		} else {
			s.fp++
		}
	}
	return s
}

// byKind counts, per kind, the documents and those reported as copies at
// threshold t (wrongly, for every kind but copies).
func byKind(recs []record, t float64) table {
	tab := table{head: []string{"kind", "documents", "reported as copies", "of which wrong group", "mean containment with nearest"}}
	for _, k := range []synth.Kind{synth.Copy, synth.Original, synth.Rewrite, synth.Related, synth.Unrelated} {
		n, rep, wrong := 0, 0, 0
		sum := 0.0
		for _, r := range recs {
			if r.doc.Kind != k {
				continue
			}
			n++
			sum += r.v.Containment
			if r.v.Nearest != "" && r.v.Containment >= t {
				rep++
				if !r.nearestOK {
					wrong++
				}
			}
		}
		tab.add(k, n, rep, wrong, sum/math.Max(1, float64(n)))
	}
	return tab
}

// byEdit gives the recall of copies that got each edit.
func byEdit(recs []record, t float64) table {
	tab := table{head: []string{"edit", "copies with it", "recall", "LSH candidate recall"}}
	for _, e := range synth.EditNames() {
		n, found, cand := 0, 0, 0
		for _, r := range recs {
			if !r.positive || !hasEdit(r.doc.Edits, e) {
				continue
			}
			n++
			if r.nearestOK && r.v.Containment >= t {
				found++
			}
			if r.candidateOK {
				cand++
			}
		}
		tab.add(e, n, ratio(found, n), ratio(cand, n))
	}
	return tab
}

// byJaccard gives the LSH candidate recall of copies by their exact
// Jaccard similarity with their original, next to the probability the
// band layout predicts.
func byJaccard(recs []record, rows int) table {
	tab := table{head: []string{"Jaccard with original", "copies", "LSH candidate recall", "predicted (at the bucket's low end)"}}
	edges := []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.01}
	for i := 0; i+1 < len(edges); i++ {
		n, cand := 0, 0
		for _, r := range recs {
			if r.doc.Kind == synth.Copy && r.positive && r.jaccard >= edges[i] && r.jaccard < edges[i+1] {
				n++
				if r.candidateOK {
					cand++
				}
			}
		}
		tab.add(fmt.Sprintf("[%.1f, %.1f)", edges[i], math.Min(1, edges[i+1])), n, ratio(cand, n), candidateProb(edges[i], rows))
	}
	return tab
}

// candidateProb is the probability that a pair with Jaccard similarity j
// shares at least one of SignatureSize/rows bands of rows values.
func candidateProb(j float64, rows int) float64 {
	return 1 - math.Pow(1-math.Pow(j, float64(rows)), float64(dedup.SignatureSize/rows))
}

func hasEdit(edits []string, e string) bool {
	for _, x := range edits {
		if x == e {
			return true
		}
	}
	return false
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// rewriteStats returns the mean and the largest plain containment of the
// rewrites in the originals they were made from.
func rewriteStats(recs []record) (mean, most float64) {
	n := 0
	for _, r := range recs {
		if r.doc.Kind == synth.Rewrite {
			n++
			mean += r.contained
			most = math.Max(most, r.contained)
		}
	}
	return mean / math.Max(1, float64(n)), most
}
