package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/internal/dataset"
)

// doc is a document to check: an ID and its text.
type doc struct{ id, text string }

// stream checks docs in order with a fresh detector and returns the
// verdicts.
func stream(ctx context.Context, docs []doc, o dedup.Options) ([]dedup.Verdict, dedup.Stats, error) {
	texts := make(map[string]string, len(docs))
	for _, d := range docs {
		texts[d.id] = d.text
	}
	det, err := dedup.NewDetector(func(_ context.Context, id string) (string, error) {
		return texts[id], nil
	}, o)
	if err != nil {
		return nil, dedup.Stats{}, err
	}
	out := make([]dedup.Verdict, len(docs))
	for i, d := range docs {
		if out[i], err = det.Check(ctx, d.id, d.text); err != nil {
			return nil, dedup.Stats{}, err
		}
	}
	return out, det.Stats(), nil
}

var datePrefix = regexp.MustCompile(`^\s*date \d{4}-\d{2}-\d{2}\s`)

// seedsDir finds dedup/testdata/seeds above the working directory.
func seedsDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("seeds: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "dedup", "testdata", "seeds"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("seeds: no go.mod above %s", wd)
		}
	}
}

// readSeeds returns the seed articles in name order, without their date
// prefix; IDs are the file numbers ("000").
func readSeeds() ([]doc, error) {
	dir, err := seedsDir()
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	sort.Strings(files)
	var out []doc
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("seeds: %w", err)
		}
		out = append(out, doc{
			id:   strings.SplitN(filepath.Base(f), "_", 2)[0],
			text: datePrefix.ReplaceAllString(string(b), ""),
		})
	}
	return out, nil
}

// seedResult is what the detector said of the seeds.
type seedResult struct {
	pairs  table
	copies []string
}

func evalSeeds(ctx context.Context, o dedup.Options) (seedResult, error) {
	seeds, err := readSeeds()
	if err != nil {
		return seedResult{}, err
	}
	res := seedResult{pairs: table{head: []string{"pair", "shingles", "containment", "Jaccard", "MinHash estimate"}}}
	for i := range seeds {
		for j := i + 1; j < len(seeds); j++ {
			a := dedup.FingerprintOf(seeds[i].text, o)
			b := dedup.FingerprintOf(seeds[j].text, o)
			res.pairs.add(seeds[i].id+"/"+seeds[j].id, fmt.Sprintf("%d/%d", len(a.Shingles), len(b.Shingles)),
				dedup.Containment(a.Shingles, b.Shingles), dedup.Jaccard(a.Shingles, b.Shingles),
				a.Signature.Similarity(&b.Signature))
		}
	}
	verdicts, _, err := stream(ctx, seeds, o)
	if err != nil {
		return seedResult{}, err
	}
	for i, v := range verdicts {
		if v.CopyOf != "" {
			res.copies = append(res.copies, seeds[i].id+" copies "+v.CopyOf)
		}
	}
	return res, nil
}

// bbcResult is what the detector said of the BBC articles in path order.
type bbcResult struct {
	// exact is the number of files byte-identical to an earlier one;
	// found those reported as copies at containment 1 of an identical
	// file.
	exact, found int
	// near counts the other articles reported as copies.
	near int
	// nearExamples names a few of them.
	nearExamples []string
}

func evalBBC(ctx context.Context, dir string, o dedup.Options) (bbcResult, error) {
	arts, err := dataset.BBC(dir)
	if err != nil {
		return bbcResult{}, err
	}
	docs := make([]doc, len(arts))
	sums := map[string][32]byte{}
	seen := map[[32]byte]bool{}
	var res bbcResult
	for i, a := range arts {
		docs[i] = doc{id: a.Path, text: string(a.Raw)}
		sum := sha256.Sum256(a.Raw)
		sums[a.Path] = sum
		if seen[sum] {
			res.exact++
		}
		seen[sum] = true
	}
	verdicts, _, err := stream(ctx, docs, o)
	if err != nil {
		return bbcResult{}, err
	}
	clear(seen)
	for i, v := range verdicts {
		sum := sums[docs[i].id]
		switch {
		case seen[sum]:
			if v.CopyOf != "" && v.Containment == 1 && sums[v.CopyOf] == sum {
				res.found++
			}
		case v.CopyOf != "":
			res.near++
			if len(res.nearExamples) < 5 {
				res.nearExamples = append(res.nearExamples, fmt.Sprintf("%s ~ %s (%.2f)", docs[i].id, v.CopyOf, v.Containment))
			}
		}
		seen[sum] = true
	}
	return res, nil
}
