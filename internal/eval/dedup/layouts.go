package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/internal/synth"
)

// evalLayouts compares band layouts on the generated set and on all
// Reuters stories with a body, checked in corpus order.
func evalLayouts(ctx context.Context, docs []synth.Doc, reuters []synth.Article, o dedup.Options) (table, error) {
	tab := table{head: []string{"bands × rows", "candidates/doc (set)", "LSH candidate recall", "precision", "recall",
		"candidates/doc (Reuters)", "copies reported (Reuters)"}}
	var pool []doc
	for _, a := range reuters {
		pool = append(pool, doc{id: a.ID, text: a.Text()})
	}
	for _, rows := range []int{1, 2, 4, 8} {
		lo := o
		lo.Rows = rows
		recs, st, err := run(ctx, docs, lo)
		if err != nil {
			return table{}, err
		}
		cand, pos := 0, 0
		for _, r := range recs {
			if r.positive {
				pos++
				if r.candidateOK {
					cand++
				}
			}
		}
		rvs, rst, err := stream(ctx, pool, lo)
		if err != nil {
			return table{}, err
		}
		s := scoreAt(recs, o.Containment)
		tab.add(fmt.Sprintf("%d × %d", dedup.SignatureSize/rows, rows),
			float64(st.Candidates)/float64(st.Checks), ratio(cand, pos),
			fmt.Sprintf("%.4f", s.precision()), fmt.Sprintf("%.4f", s.recall()),
			float64(rst.Candidates)/float64(rst.Checks), copies(rvs))
	}
	return tab, nil
}

// evalTruncated checks, for BBC articles of at least 300 words, a copy made
// of the first share of their words, after the article itself: how often
// the LSH finds the pair. The copy's containment is 1 and its Jaccard
// similarity about the share kept.
func evalTruncated(ctx context.Context, bbc []synth.Article, o dedup.Options) (table, error) {
	var longs []synth.Article
	for _, a := range bbc {
		if a.Words() >= 300 && len(longs) < 300 {
			longs = append(longs, a)
		}
	}
	shares := []float64{0.1, 0.2, 0.3, 0.5}
	head := []string{"bands × rows"}
	for _, s := range shares {
		head = append(head, fmt.Sprintf("first %.0f%%", 100*s))
	}
	tab := table{head: head}
	for _, rows := range []int{1, 2, 4} {
		lo := o
		lo.Rows = rows
		row := []any{fmt.Sprintf("%d × %d", dedup.SignatureSize/rows, rows)}
		for _, share := range shares {
			var docs []doc
			for _, a := range longs {
				words := strings.Fields(a.Text())
				docs = append(docs, doc{id: a.ID, text: a.Text()},
					doc{id: a.ID + "#lead", text: strings.Join(words[:int(share*float64(len(words)))], " ")})
			}
			vs, _, err := stream(ctx, docs, lo)
			if err != nil {
				return table{}, err
			}
			found := 0
			for i := 1; i < len(vs); i += 2 {
				if vs[i].Nearest == docs[i-1].id {
					found++
				}
			}
			row = append(row, fmt.Sprintf("%.3f (p=%.3f)", ratio(found, len(longs)), candidateProb(share, rows)))
		}
		tab.add(row...)
	}
	return tab, nil
}

// evalCache counts how often a candidate's text must be loaded for several
// cache sizes.
func evalCache(ctx context.Context, docs []synth.Doc, o dedup.Options) (table, error) {
	tab := table{head: []string{"cache size", "candidates", "loads", "loads per 1,000 documents"}}
	for _, size := range []int{-1, 64, 256, 1024, 4096} {
		co := o
		co.CacheSize = size
		_, st, err := run(ctx, docs, co)
		if err != nil {
			return table{}, err
		}
		name := fmt.Sprint(size)
		if size < 0 {
			name = "off"
		}
		tab.add(name, st.Candidates, st.Loads, 1000*float64(st.Loads)/float64(st.Checks))
	}
	return tab, nil
}

// evalCommon compares boilerplate counts (Options.Common) on the generated
// set at the threshold in force and at 0.6.
func evalCommon(ctx context.Context, docs []synth.Doc, o dedup.Options) (table, error) {
	tab := table{head: []string{"boilerplate at ≥ documents", fmt.Sprintf("precision at %.2f", o.Containment),
		fmt.Sprintf("recall at %.2f", o.Containment), "precision at 0.60", "recall at 0.60"}}
	for _, common := range []int{-1, 8, 16, 32, 64, 128} {
		co := o
		co.Common = common
		recs, _, err := run(ctx, docs, co)
		if err != nil {
			return table{}, err
		}
		name := fmt.Sprint(common)
		if common < 0 {
			name = "off (plain containment)"
		}
		s, s6 := scoreAt(recs, o.Containment), scoreAt(recs, 0.6)
		tab.add(name, fmt.Sprintf("%.4f", s.precision()), fmt.Sprintf("%.4f", s.recall()),
			fmt.Sprintf("%.4f", s6.precision()), fmt.Sprintf("%.4f", s6.recall()))
	}
	return tab, nil
}

func copies(vs []dedup.Verdict) int {
	n := 0
	for _, v := range vs {
		if v.CopyOf != "" {
			n++
		}
	}
	return n
}
