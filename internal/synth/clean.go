package synth

import "github.com/wirewatch/wirewatch/dedup"

// commonShingle is the number of articles above which a shingle counts as
// boilerplate ("the company said it") and is ignored by Clean.
const commonShingle = 100

// Clean returns the articles with at least minWords words that share less
// than maxShare of their shingles (dedup.DefaultShingle words) with every
// other article: corpora hold near-duplicates of their own (Reuters
// corrections, BBC copies), which would otherwise be unlabelled copies.
// Overlaps are counted exactly with an inverted index, not estimated, so
// the labels do not depend on the method under test; shingles found in more
// than 100 articles are ignored. The order of articles is kept.
func Clean(arts []Article, minWords int, maxShare float64) []Article {
	sets := make([][]uint64, len(arts))
	index := map[uint64][]int32{}
	for i := range arts {
		if arts[i].Words() < minWords {
			continue
		}
		sets[i] = dedup.Shingles(nil, arts[i].Text(), dedup.DefaultShingle)
		for _, s := range sets[i] {
			index[s] = append(index[s], int32(i))
		}
	}
	dup := make([]bool, len(arts))
	overlap := make([]int32, len(arts))
	var touched []int32
	for i, set := range sets {
		if set == nil {
			continue
		}
		touched = touched[:0]
		for _, s := range set {
			docs := index[s]
			if len(docs) > commonShingle {
				continue
			}
			for _, j := range docs {
				if int(j) == i {
					continue
				}
				if overlap[j] == 0 {
					touched = append(touched, j)
				}
				overlap[j]++
			}
		}
		for _, j := range touched {
			m := min(len(set), len(sets[j]))
			if float64(overlap[j]) >= maxShare*float64(m) {
				dup[i], dup[j] = true, true
			}
			overlap[j] = 0
		}
	}
	var out []Article
	for i := range arts {
		if sets[i] != nil && !dup[i] {
			out = append(out, arts[i])
		}
	}
	return out
}
