// Command eval measures near-duplicate detection on the seed articles, the
// BBC News exact duplicates and a labelled syndication set generated from
// Reuters-21578 and BBC News, and prints a Markdown report.
//
//	go run ./internal/eval/dedup [-n 1000] [-seed 1] [-containment 0.6] [-rows 2] [-shingle 5]
//
// The data sets are found as internal/dataset.Dir finds them (WIREWATCH_DATA
// or ../shared/data next to the repository).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/internal/dataset"
	"github.com/wirewatch/wirewatch/internal/synth"
)

func main() {
	var (
		cfg  synth.Config
		opts dedup.Options
	)
	flag.IntVar(&cfg.Originals, "n", 1000, "originals in the generated set")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "seed of the generated set")
	flag.IntVar(&opts.Shingle, "shingle", dedup.DefaultShingle, "shingle size in words")
	flag.Float64Var(&opts.Containment, "containment", dedup.DefaultContainment, "containment threshold")
	flag.IntVar(&opts.Rows, "rows", dedup.DefaultRows, "signature values per LSH band")
	flag.IntVar(&opts.Common, "common", dedup.DefaultCommon, "documents a shingle must occur in to be boilerplate (negative: off)")
	flag.Parse()
	if err := report(context.Background(), os.Stdout, cfg, opts); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

// report writes the whole quality report: the seeds, BBC News, the
// generated set and the studies made on it.
func report(ctx context.Context, w io.Writer, cfg synth.Config, o dedup.Options) error {
	if err := o.Validate(); err != nil {
		return err
	}
	fmt.Fprintf(w, "Options: shingle %d, containment %.2f, %d bands of %d rows, boilerplate at %d documents.\n\n",
		o.Shingle, o.Containment, dedup.SignatureSize/o.Rows, o.Rows, o.Common)
	bbcDir, ok1 := dataset.Dir("bbc-news")
	reutersDir, ok2 := dataset.Dir("reuters21578")
	if !ok1 || !ok2 {
		return fmt.Errorf("bbc-news or reuters21578 not found: set WIREWATCH_DATA")
	}
	if err := reportSeedsAndBBC(ctx, w, bbcDir, o); err != nil {
		return err
	}
	ps, reuters, err := pools(reutersDir, bbcDir)
	if err != nil {
		return err
	}
	docs, err := synth.Generate(ps, cfg)
	if err != nil {
		return err
	}
	if err := reportGenerated(ctx, w, cfg, ps, docs, o); err != nil {
		return err
	}
	return reportStudies(ctx, w, ps, docs, reuters, o)
}

// reportSeedsAndBBC writes what the detector finds among the five seeds
// and the BBC News articles.
func reportSeedsAndBBC(ctx context.Context, w io.Writer, bbcDir string, o dedup.Options) error {
	seeds, err := evalSeeds(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "## Seeds")
	seeds.pairs.write(w)
	fmt.Fprintf(w, "Copies reported, checking 000..004 in order: %v\n\n", seeds.copies)
	bbc, err := evalBBC(ctx, bbcDir, o)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "## BBC News, all 2,225 articles in path order")
	fmt.Fprintf(w, "Byte-identical copies of an earlier file: %d; reported as copies of an identical file at containment 1.0: %d.\n",
		bbc.exact, bbc.found)
	fmt.Fprintf(w, "Other articles reported as near-copies: %d, e.g. %v\n\n", bbc.near, bbc.nearExamples)
	return nil
}

// reportGenerated writes precision and recall on the generated set, and
// how they vary with the threshold, the kind of document and the edit.
func reportGenerated(ctx context.Context, w io.Writer, cfg synth.Config, ps [][]synth.Article, docs []synth.Doc, o dedup.Options) error {
	start := time.Now()
	recs, stats, err := run(ctx, docs, o)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	counts := map[synth.Kind]int{}
	positives := 0
	for _, r := range recs {
		counts[r.doc.Kind]++
		if r.positive {
			positives++
		}
	}
	fmt.Fprintf(w, "## Generated syndication set (seed %d)\n", cfg.Seed)
	fmt.Fprintf(w, "Pools after cleaning: %d Reuters, %d BBC articles. Set: %d documents (%d originals, %d copies, %d rewrites, %d related, %d unrelated), %d positives.\n",
		len(ps[0]), len(ps[1]), len(docs), counts[synth.Original], counts[synth.Copy], counts[synth.Rewrite],
		counts[synth.Related], counts[synth.Unrelated], positives)
	fmt.Fprintf(w, "Checked in %v with %.2f candidates per document; %d of %d candidate shingle sets came from the cache.\n\n",
		elapsed.Round(time.Millisecond), float64(stats.Candidates)/float64(stats.Checks), stats.CacheHits, stats.Candidates)
	s := scoreAt(recs, o.Containment)
	fmt.Fprintf(w, "At containment %.2f: precision %.4f, recall %.4f (TP %d, FP %d, positives %d).\n\n",
		o.Containment, s.precision(), s.recall(), s.tp, s.fp, s.positives)
	mean, most := rewriteStats(recs)
	fmt.Fprintf(w, "Rewrites share on average %.3f (at most %.3f) of their shingles with their original (plain containment).\n\n", mean, most)
	fmt.Fprintln(w, "### Threshold sweep")
	sweep := table{head: []string{"containment ≥", "precision", "recall", "F1", "TP", "FP", "FN"}}
	for t := 0.20; t < 0.96; t += 0.05 {
		s := scoreAt(recs, t)
		sweep.add(fmt.Sprintf("%.2f", t), fmt.Sprintf("%.4f", s.precision()), fmt.Sprintf("%.4f", s.recall()),
			s.f1(), s.tp, s.fp, s.positives-s.tp)
	}
	sweep.write(w)
	for _, part := range []struct {
		title string
		tab   table
	}{
		{"### By kind", byKind(recs, o.Containment)},
		{"### Copies by edit", byEdit(recs, o.Containment)},
		{"### Copies by Jaccard similarity with their original", byJaccard(recs, o.Rows)},
	} {
		fmt.Fprintln(w, part.title)
		part.tab.write(w)
	}
	return nil
}

// reportStudies writes the studies of one setting each: the boilerplate
// count, the band layouts, truncated copies and the shingle cache.
func reportStudies(ctx context.Context, w io.Writer, ps [][]synth.Article, docs []synth.Doc, reuters []synth.Article, o dedup.Options) error {
	fmt.Fprintln(w, "## Boilerplate count")
	common, err := evalCommon(ctx, docs, o)
	if err != nil {
		return err
	}
	common.write(w)
	fmt.Fprintln(w, "## Band layouts")
	layouts, err := evalLayouts(ctx, docs, reuters, o)
	if err != nil {
		return err
	}
	layouts.write(w)
	fmt.Fprintln(w, "## Truncated copies (a lead-only copy of a long article)")
	trunc, err := evalTruncated(ctx, ps[1], o)
	if err != nil {
		return err
	}
	trunc.write(w)
	fmt.Fprintln(w, "## Shingle cache size (generated set, in publication order)")
	cache, err := evalCache(ctx, docs, o)
	if err != nil {
		return err
	}
	cache.write(w)
	return nil
}
